/**
 * Housekeeping the runner does now and then: tables that only grow are trimmed of rows nobody
 * needs any more. Safe on several instances at once (each delete skips rows another is deleting).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/util.js';

/** How long finished side effects, spent idempotency keys and expired sessions are kept. */
export const RETENTION = {
  outboxDoneDays: 7,
  /** Fired or cancelled SLA timers (what they did stays in sla_firings and the audit trail). */
  timersDoneDays: 7,
  idempotencyKeyDays: 7,
  expiredSessionDays: 1,
} as const;

const BATCH = 1000;

export interface HousekeepingResult {
  outbox: number;
  timers: number;
  idempotencyKeys: number;
  sessions: number;
}

async function deleted(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  return rowsOf<{ id: unknown }>(await db.execute(query)).length;
}

export async function runHousekeeping(opts: { db: Db; now?: Date }): Promise<HousekeepingResult> {
  const now = opts.now ?? new Date();
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
  // Dead outbox rows are kept: they are the visible record of what failed.
  const outbox = await deleted(opts.db, sql`
    delete from outbox where id in (
      select id from outbox where status = 'done' and processed_at < ${daysAgo(RETENTION.outboxDoneDays)}
      limit ${BATCH} for update skip locked)
    returning id`);
  const timers = await deleted(opts.db, sql`
    delete from timers where id in (
      select id from timers where status in ('done', 'cancelled') and coalesce(fired_at, created_at) < ${daysAgo(RETENTION.timersDoneDays)}
      limit ${BATCH} for update skip locked)
    returning id`);
  const idempotencyKeys = await deleted(opts.db, sql`
    delete from idempotency_keys where (scope, key) in (
      select scope, key from idempotency_keys where created_at < ${daysAgo(RETENTION.idempotencyKeyDays)}
      limit ${BATCH} for update skip locked)
    returning key as id`);
  const sessions = await deleted(opts.db, sql`
    delete from sessions where id in (
      select id from sessions where expires_at < ${daysAgo(RETENTION.expiredSessionDays)}
      limit ${BATCH} for update skip locked)
    returning id`);
  return { outbox, timers, idempotencyKeys, sessions };
}
