/** The signed-in user, loaded once by the layout and shared with every page. */
import { createContext, useContext } from 'react';
import type { Me, Role } from '@closeloop/contract';

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside the signed-in layout');
  return me;
}

export const isStaff = (me: Pick<Me, 'role'>) => me.role !== 'customer';
export const hasRole = (me: Pick<Me, 'role'>, ...roles: Role[]) => roles.includes(me.role);

/** Where to go after login: only paths inside this app, never another site. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}

export function loginPath(): string {
  const here = `${window.location.pathname}${window.location.search}`;
  return here === '/' || here.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}
