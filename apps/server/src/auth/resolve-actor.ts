/**
 * Resolves the caller of a request: a bearer API token (`Authorization: Bearer clt_…`) or the
 * session cookie. Expired sessions, revoked or expired tokens and inactive users resolve to null.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { TokenScope } from '@closeloop/contract';
import type { Db } from '../db/client.js';
import { apiTokens, sessions, userDepartments, users } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { scopesForRole, type Actor } from './actor.js';
import { sha256, TOKEN_PREFIX } from './secrets.js';

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
  const [row] = await db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, sha256(token)), isNull(apiTokens.revokedAt)))
    .limit(1);
  if (!row || !row.user.active || (row.token.expiresAt && row.token.expiresAt <= now)) {
    throw new AppError('UNAUTHENTICATED', 'unknown, revoked or expired token');
  }
  if (!row.token.lastUsedAt || now.getTime() - row.token.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id));
  }
  const allowed = scopesForRole(row.user.role);
  const scopes = row.token.scopes.filter((s: TokenScope) => allowed.includes(s));
  return {
    kind: 'token',
    userId: row.user.id,
    role: row.user.role,
    departmentIds: await departmentIdsOf(db, row.user.id),
    customerId: row.user.customerId,
    scopes,
    tokenId: row.token.id,
  };
}

export async function resolveSession(db: Db, cookie: string): Promise<Actor | null> {
  const now = new Date();
  const id = sha256(cookie);
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!row || !row.user.active) return null;
  if (now.getTime() - row.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(sessions)
      .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_IDLE_MS) })
      .where(eq(sessions.id, id));
  }
  return {
    kind: 'user',
    userId: row.user.id,
    role: row.user.role,
    departmentIds: await departmentIdsOf(db, row.user.id),
    customerId: row.user.customerId,
    scopes: scopesForRole(row.user.role),
    sessionId: id,
  };
}
