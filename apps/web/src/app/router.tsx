/**
 * Routes. Every page is a lazy chunk, so the first screen only carries the shell; each route
 * names its breadcrumb trail (translation keys) in `handle`.
 */
import { createBrowserRouter, type RouteObject } from 'react-router';
import { AppLayout } from './layout/app-layout.js';
import { RouteError } from '../components/route-error.js';
import { PageSpinner } from '../components/page-spinner.js';
import { portalRoute } from '../pages/portal/portal-routes.js';

type PageModule = { default: React.ComponentType };
const page = (load: () => Promise<PageModule>) => async () => ({ Component: (await load()).default });

const routes: RouteObject[] = [
  { path: '/login', lazy: page(() => import('../pages/login/login-page.js')), errorElement: <RouteError />, hydrateFallbackElement: <PageSpinner /> },
  { path: '/f/:token', lazy: page(() => import('../pages/followup/public-follow-up-page.js')), errorElement: <RouteError />, hydrateFallbackElement: <PageSpinner /> },
  portalRoute,
  {
    path: '/',
    element: <AppLayout />,
    errorElement: <RouteError />,
    hydrateFallbackElement: <PageSpinner />,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          { index: true, lazy: page(() => import('../pages/workbench/workbench-page.js')), handle: { crumbs: ['menu.workbench'] } },
          { path: 'tickets', lazy: page(() => import('../pages/tickets/list-page.js')), handle: { crumbs: ['menu.tickets', 'crumb.ticketList'] } },
          { path: 'tickets/new', lazy: page(() => import('../pages/tickets/new-ticket-page.js')), handle: { crumbs: ['menu.tickets', 'crumb.newTicket'] } },
          { path: 'tickets/:id', lazy: page(() => import('../pages/tickets/detail-page.js')), handle: { crumbs: ['menu.tickets', 'crumb.ticketDetail'] } },
          { path: 'approvals', lazy: page(() => import('../pages/approvals/approvals-page.js')), handle: { crumbs: ['menu.approvals'] } },
          { path: 'knowledge', lazy: page(() => import('../pages/knowledge/knowledge-page.js')), handle: { crumbs: ['menu.knowledge'] } },
          { path: 'account/notifications', lazy: page(() => import('../pages/account/notification-settings-page.js')), handle: { crumbs: ['crumb.account', 'notificationPrefs.title'] } },
          { path: 'settings', lazy: page(() => import('../pages/settings/settings-page.js')), handle: { crumbs: ['menu.settings'] } },
          { path: '*', lazy: page(() => import('../pages/not-found-page.js')), handle: { crumbs: ['crumb.notFound'] } },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
