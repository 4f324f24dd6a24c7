/**
 * 待我验收: tickets in accepting with an open round, for verifiers, managers and admins (within
 * what they may see). Served by the partial index of open rounds.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { zMyAcceptanceList } from '@closeloop/contract';
import type { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { acceptanceRounds, tickets } from '../db/schema.js';
import { visibleTicketsWhere } from '../tickets/access.js';
import { VERIFIER_ROLES } from './record-item.js';

export async function listMyAcceptances(opts: { db: DbOrTx; actor: Actor; limit?: number }): Promise<z.infer<typeof zMyAcceptanceList>> {
  const { db, actor } = opts;
  if (!VERIFIER_ROLES.has(actor.role) || !actor.userId) return { items: [] };
  const me = actor.userId;
  const rows = await db.select({
    t: { id: tickets.id, number: tickets.number, title: tickets.title, status: tickets.status, priority: tickets.priority },
    round: acceptanceRounds.round,
    startedAt: acceptanceRounds.startedAt,
    items: sql<number>`(select count(*)::int from acceptance_items i where i.round_id = ${acceptanceRounds.id})`,
    recorded: sql<number>`(select count(*)::int from acceptance_items i where i.round_id = ${acceptanceRounds.id} and i.result is not null)`,
    ownMeasureItems: sql<number>`(select count(*)::int from acceptance_items i join rect_measures m on m.id = i.measure_id
      where i.round_id = ${acceptanceRounds.id} and m.owner_id = ${me})`,
  }).from(acceptanceRounds).innerJoin(tickets, eq(tickets.id, acceptanceRounds.ticketId))
    .where(and(eq(acceptanceRounds.status, 'open'), eq(tickets.status, 'accepting'), visibleTicketsWhere(actor)))
    .orderBy(asc(acceptanceRounds.startedAt))
    .limit(opts.limit ?? 100);
  return {
    items: rows.map((r) => ({
      ticket: { ...r.t, status: r.t.status as never }, round: r.round, startedAt: r.startedAt.toISOString(),
      items: Number(r.items), recorded: Number(r.recorded), ownMeasureItems: Number(r.ownMeasureItems),
    })),
  };
}
