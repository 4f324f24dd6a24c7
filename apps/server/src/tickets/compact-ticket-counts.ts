/**
 * Folds the append-only ticket_count_deltas (written by triggers on tickets, migration 0002)
 * into ticket_count_summary, so counts read a small table. Meant to run about once a second from
 * the background runner of every instance: an advisory lock lets one instance compact at a time
 * (the others return at once), each batch is one short transaction, and a delta row is deleted
 * in the same transaction that adds it to the summary, so running it twice never counts twice.
 * Writers never wait for it: they only insert deltas; the summary is written here alone.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { rowsOf, toNumber } from '../db/util.js';

/** Two-key advisory lock space, apart from the single-key locks of audit chains. */
const LOCK_CLASS = 7261;
const LOCK_COMPACT_COUNTS = 2;

export async function compactTicketCounts(opts: {
  db: DbOrTx;
  /** Delta rows per transaction. */
  batchSize?: number;
  /** Batches per call; the rest waits for the next call. */
  maxBatches?: number;
}): Promise<{ moved: number; skipped: boolean }> {
  const { db } = opts;
  const batchSize = opts.batchSize ?? 20_000;
  const maxBatches = opts.maxBatches ?? 50;
  let moved = 0;
  for (let i = 0; i < maxBatches; i++) {
    const batch = await db.transaction(async (tx) => {
      const [lock] = rowsOf<{ ok: boolean }>(await tx.execute(
        sql`select pg_try_advisory_xact_lock(${sql.raw(String(LOCK_CLASS))}, ${sql.raw(String(LOCK_COMPACT_COUNTS))}) as ok`,
      ));
      if (!lock?.ok) return null;
      // Sorted upserts: two compactions (should the lock ever be bypassed) lock rows in one order.
      const [row] = rowsOf<{ moved: unknown }>(await tx.execute(sql`
        with moved as (
          delete from ticket_count_deltas
          where id in (select id from ticket_count_deltas order by id limit ${sql.raw(String(batchSize))})
          returning status, priority, channel, category_id, department_id, owner_id, n
        ), summed as (
          select status, priority, channel, category_id, department_id, owner_id, sum(n)::int as n, count(*) as rows
          from moved group by 1, 2, 3, 4, 5, 6
        ), upserted as (
          insert into ticket_count_summary (status, priority, channel, category_id, department_id, owner_id, n)
          select status, priority, channel, category_id, department_id, owner_id, n from summed
          order by 1, 2, 3, 4, 5, 6
          on conflict on constraint ticket_count_summary_dims_uq
          do update set n = ticket_count_summary.n + excluded.n
          returning 1
        )
        select coalesce(sum(rows), 0) as moved from summed`));
      const n = toNumber(row?.moved);
      if (n) await tx.execute(sql`delete from ticket_count_summary where n = 0`);
      return n;
    });
    if (batch === null) return { moved, skipped: true };
    moved += batch;
    if (batch < batchSize) break;
  }
  return { moved, skipped: false };
}

/** Pending delta rows, roughly (ids of committed and rolled-back writes alike). */
export async function pendingTicketCountDeltas(opts: { db: DbOrTx }): Promise<number> {
  const [row] = rowsOf<{ n: unknown }>(await opts.db.execute(
    sql`select coalesce(max(id) - min(id) + 1, 0) as n from ticket_count_deltas`,
  ));
  return toNumber(row?.n);
}
