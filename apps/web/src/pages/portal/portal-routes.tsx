/** The portal's routes, outside the staff layout and its login guard (mounted at /portal). */
import type { RouteObject } from 'react-router';
import { PageSpinner } from '../../components/page-spinner.js';
import { RouteError } from '../../components/route-error.js';

type PageModule = { default: React.ComponentType };
const page = (load: () => Promise<PageModule>) => async () => ({ Component: (await load()).default });

export const portalRoute: RouteObject = {
  path: '/portal',
  lazy: page(() => import('./portal-shell.js')),
  errorElement: <RouteError />,
  hydrateFallbackElement: <PageSpinner />,
  children: [
    {
      errorElement: <RouteError />,
      children: [
        { index: true, lazy: page(() => import('./portal-home-page.js')) },
        { path: 'submit', lazy: page(() => import('./portal-submit-page.js')) },
        { path: 'track', lazy: page(() => import('./portal-track-page.js')) },
        { path: 'login', lazy: page(() => import('./portal-login-page.js')) },
        { path: 'tickets', lazy: page(() => import('./portal-tickets-page.js')) },
        { path: 'tickets/:number', lazy: page(() => import('./portal-ticket-page.js')) },
      ],
    },
  ],
};
