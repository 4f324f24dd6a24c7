/** Who is looking at the portal: a customer account, one ticket opened by code, or nobody yet. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { portalApi } from './portal-api.js';

export const SESSION_KEY = ['portal', 'me'] as const;

export function usePortalSession() {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: SESSION_KEY, queryFn: portalApi.me, staleTime: 60_000, retry: false });
  return {
    ...q,
    signOut: async () => {
      await portalApi.signOut().catch(() => undefined);
      if (q.data?.kind === 'account') await portalApi.signOutAccount().catch(() => undefined);
      qc.removeQueries({ queryKey: ['portal'] });
      qc.removeQueries({ queryKey: ['me'] });
      await qc.invalidateQueries({ queryKey: SESSION_KEY });
    },
  };
}
