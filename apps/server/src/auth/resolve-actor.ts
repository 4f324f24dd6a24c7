/**
 * Resolves the caller of a request: a bearer API token (`Authorization: Bearer clt_…`) or the
 * session cookie. Expired sessions, revoked or expired tokens and inactive users resolve to null.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { TokenScope } from '@closeloop/contract';
import type { Db } from '../db/client.js';
import { apiTokens, sessions, userDepartments, users } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { cachePerDatabase, REFERENCE_TTL_MS } from '../cache/ttl-cache.js';
import { scopesForRole, type Actor } from './actor.js';
import { sha256, TOKEN_PREFIX } from './secrets.js';

/**
 * Every request resolves its caller; at intake rates that is most of the database work, so the
 * rows are kept for under a second. A revoked token, ended session or deactivated user is
 * dropped here at once by this instance (forgetCallers) and by every other one within the TTL.
 */
type TokenHit = { token: typeof apiTokens.$inferSelect; user: typeof users.$inferSelect; departmentIds: string[] };
type SessionHit = { session: typeof sessions.$inferSelect; user: typeof users.$inferSelect; departmentIds: string[] };
const tokenCache = cachePerDatabase<TokenHit | null>(REFERENCE_TTL_MS);
const sessionCache = cachePerDatabase<SessionHit | null>(REFERENCE_TTL_MS);

/** Call after committing a change to tokens, sessions, users or memberships. */
export function forgetCallers(): void {
  tokenCache.clearAll();
  sessionCache.clearAll();
}

/** Sessions slide: each use extends them, written at most once per this interval. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 5 * 60 * 1000;

async function departmentIdsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db.select({ id: userDepartments.departmentId }).from(userDepartments)
    .where(eq(userDepartments.userId, userId));
  return rows.map((r) => r.id);
}

export async function resolveBearer(db: Db, header: string): Promise<Actor> {
  const token = header.slice('Bearer '.length).trim();
  if (!token.startsWith(TOKEN_PREFIX)) throw new AppError('UNAUTHENTICATED', 'unknown token');
  const now = new Date();
  const tokenHash = sha256(token);
  const row = await tokenCache(db).get(tokenHash, async () => {
    const [found] = await db
      .select({ token: apiTokens, user: users })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
      .limit(1);
    if (!found) return null;
    if (!found.token.lastUsedAt || now.getTime() - found.token.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
      await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, found.token.id));
    }
    return { ...found, departmentIds: await departmentIdsOf(db, found.user.id) };
  });
  if (!row || !row.user.active || (row.token.expiresAt && row.token.expiresAt <= now)) {
    throw new AppError('UNAUTHENTICATED', 'unknown, revoked or expired token');
  }
  const allowed = scopesForRole(row.user.role);
  const scopes = row.token.scopes.filter((s: TokenScope) => allowed.includes(s));
  return {
    kind: 'token',
    userId: row.user.id,
    role: row.user.role,
    departmentIds: row.departmentIds,
    customerId: row.user.customerId,
    scopes,
    tokenId: row.token.id,
  };
}

export async function resolveSession(db: Db, cookie: string): Promise<Actor | null> {
  const now = new Date();
  const id = sha256(cookie);
  const row = await sessionCache(db).get(id, async () => {
    const [found] = await db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now)))
      .limit(1);
    if (!found) return null;
    if (now.getTime() - found.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
      await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id));
      found.session = { ...found.session, lastSeenAt: now, expiresAt };
    }
    return { ...found, departmentIds: await departmentIdsOf(db, found.user.id) };
  });
  if (!row || !row.user.active || row.session.expiresAt <= now) return null;
  return {
    kind: 'user',
    userId: row.user.id,
    role: row.user.role,
    departmentIds: row.departmentIds,
    customerId: row.user.customerId,
    scopes: scopesForRole(row.user.role),
    sessionId: id,
  };
}
