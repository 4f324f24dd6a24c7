/**
 * Idempotency-Key for creating POSTs: a client that retries after a lost answer gets the
 * resource it already created instead of a duplicate. The key row is claimed inside the create's
 * own transaction, so it exists exactly when the resource does; on PostgreSQL a second request
 * with the same key waits on the unique index until the first commits, then replays it.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { sqlOf, type DbOrTx, type Tx } from '../db/client.js';
import { idempotencyKeys } from '../db/schema.js';
import { AppError } from './app-error.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** 1–200 printable ASCII characters (RFC draft: a UUID or similar random string). */
export const zIdempotencyKey = z
  .string()
  .regex(/^[\x20-\x7e]{1,200}$/, 'expected 1–200 printable ASCII characters')
  .refine((k) => k.trim().length > 0, 'must not be blank');

/** Route header schema: documents the header and checks it; other headers pass through. */
export const zIdempotencyHeaders = z.looseObject({
  [IDEMPOTENCY_HEADER]: zIdempotencyKey.optional().describe('Repeat with the same body to get the same resource back'),
});

/** Keys are per caller: two integrations may pick the same key without colliding. */
export function idempotencyScope(actor: Actor): string {
  if (actor.kind === 'token' && actor.tokenId) return `token:${actor.tokenId}`;
  if (actor.userId) return `user:${actor.userId}`;
  return actor.kind;
}

/** JSON with object keys sorted at every level: the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

export type IdempotencyClaim = { claimed: true } | { claimed: false; resourceId: string };

/**
 * Claims the key for `resourceId` inside the caller's transaction. Not claimed = an earlier
 * request with this key and the same body created `resourceId`; a different body is refused (422).
 */
export async function claimIdempotencyKey(opts: {
  tx: Tx; scope: string; key: string; hash: string; resourceId: string;
}): Promise<IdempotencyClaim> {
  const { tx, scope, key, hash, resourceId } = opts;
  const inserted = await tx.insert(idempotencyKeys)
    .values({ scope, key, requestHash: hash, resourceId })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length) return { claimed: true };
  const [existing] = await tx.select().from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  if (!existing?.resourceId) {
    // Only possible if the row was removed between the two statements; the client may retry.
    throw new AppError('CONFLICT', 'a request with this Idempotency-Key is in progress; retry');
  }
  if (existing.requestHash !== hash) {
    throw new AppError('IDEMPOTENCY_MISMATCH', 'this Idempotency-Key was used with a different request body', [
      { path: `headers.${IDEMPOTENCY_HEADER}`, message: 'already used with a different body' },
    ]);
  }
  return { claimed: false, resourceId: existing.resourceId };
}

/**
 * Outside any transaction: the resource an earlier request with this key created, or null if
 * the key is unused; the same key with another body is refused (422).
 */
export async function findIdempotentResource(opts: {
  db: DbOrTx; scope: string; key: string; hash: string;
}): Promise<string | null> {
  const [row] = await sqlOf(opts.db).query<{ request_hash: string; resource_id: string | null }>(
    'select request_hash, resource_id from idempotency_keys where scope = $1 and key = $2',
    [opts.scope, opts.key], 'idempotency_find',
  );
  if (!row?.resource_id) return null;
  if (row.request_hash !== opts.hash) {
    throw new AppError('IDEMPOTENCY_MISMATCH', 'this Idempotency-Key was used with a different request body', [
      { path: `headers.${IDEMPOTENCY_HEADER}`, message: 'already used with a different body' },
    ]);
  }
  return row.resource_id;
}
