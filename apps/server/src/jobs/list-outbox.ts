/** Outbox rows for the admin, newest first, filtered by status and kind, with counts per status. */
import { and, count, desc, eq, lt } from 'drizzle-orm';
import type { OutboxList, OutboxListQuery } from '@closeloop/contract';
import type { Db } from '../db/client.js';
import { outbox } from '../db/schema.js';
import { toNumber } from '../db/util.js';
import { toOutboxItem } from './outbox-view.js';

export async function listOutbox(opts: { db: Db; query: OutboxListQuery }): Promise<OutboxList> {
  const { db, query } = opts;
  // Ids are UUID v7: id order is enqueue order, and the last id is the next page's cursor.
  const rows = await db
    .select()
    .from(outbox)
    .where(and(
      query.status ? eq(outbox.status, query.status) : undefined,
      query.kind ? eq(outbox.kind, query.kind) : undefined,
      query.cursor ? lt(outbox.id, query.cursor) : undefined,
    ))
    .orderBy(desc(outbox.id))
    .limit(query.limit + 1);
  const perStatus = await db.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status);
  const counts = { pending: 0, processing: 0, done: 0, dead: 0 };
  for (const c of perStatus) counts[c.status] = toNumber(c.n);
  const page = rows.slice(0, query.limit);
  return {
    items: page.map(toOutboxItem),
    nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null,
    counts,
  };
}
