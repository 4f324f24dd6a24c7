/** A ticket's tags as the detail page shows them (suggested, confirmed and removed). */
import { asc, eq } from 'drizzle-orm';
import type { TicketTag } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { ticketTags, users } from '../db/schema.js';
import { loadRoutingData } from './routing-cache.js';

export async function listTicketTags(opts: { db: DbOrTx; ticketId: string }): Promise<TicketTag[]> {
  const rows = await opts.db.select({ t: ticketTags, decidedByName: users.displayName }).from(ticketTags)
    .leftJoin(users, eq(users.id, ticketTags.decidedById))
    .where(eq(ticketTags.ticketId, opts.ticketId)).orderBy(asc(ticketTags.createdAt));
  const data = await loadRoutingData(opts.db);
  return rows.map(({ t, decidedByName }) => {
    const tag = data.tags.get(t.tagId);
    return {
      tagId: t.tagId, name: tag?.name ?? '', path: tag?.path ?? '', source: t.source, state: t.state, reason: t.reason,
      decidedBy: t.decidedById ? { id: t.decidedById, displayName: decidedByName ?? '' } : null,
      decidedAt: t.decidedAt?.toISOString() ?? null,
    };
  });
}
