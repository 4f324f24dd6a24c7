/** Who is calling: resolved once per request from the session cookie or a bearer token. */
import type { Role, TokenScope } from '@closeloop/contract';
import { AppError } from '../http/app-error.js';

export interface Actor {
  kind: 'user' | 'token' | 'system';
  userId: string | null;
  role: Role;
  departmentIds: string[];
  /** Set for role = customer: the customer whose tickets this login may reach. */
  customerId: string | null;
  scopes: TokenScope[];
  sessionId?: string;
  tokenId?: string;
}

export const SYSTEM_ACTOR: Actor = {
  kind: 'system', userId: null, role: 'admin', departmentIds: [], customerId: null,
  scopes: ['tickets:read', 'tickets:write', 'customers:read', 'admin', 'integrations:write'],
};

/** Scopes a signed-in user has by role; a token has at most these of its user. */
export function scopesForRole(role: Role): TokenScope[] {
  switch (role) {
    // integrations:write is for platform connectors' tokens (POST /integrations/{source}/messages).
    case 'admin': return ['tickets:read', 'tickets:write', 'customers:read', 'admin', 'integrations:write'];
    case 'customer': return ['tickets:read', 'tickets:write'];
    default: return ['tickets:read', 'tickets:write', 'customers:read'];
  }
}

export function isStaff(actor: Actor): boolean {
  return actor.role !== 'customer';
}

/** The route's guard: 401 without a caller, 403 without the scope or role. */
export function requireActor(
  actor: Actor | null,
  need: { scope?: TokenScope; roles?: readonly Role[] } = {},
): Actor {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'sign in or send a bearer token');
  if (need.scope && !actor.scopes.includes(need.scope)) {
    throw new AppError('FORBIDDEN', `needs scope ${need.scope}`);
  }
  if (need.roles && !need.roles.includes(actor.role)) {
    throw new AppError('FORBIDDEN', `needs role ${need.roles.join(' or ')}`);
  }
  return actor;
}
