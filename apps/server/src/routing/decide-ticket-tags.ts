/**
 * A person confirms or removes the tagger's suggestions and adds tags by hand (人工复核). One
 * transaction: the ticket row is locked (its audit chain), the tag rows change set-based, and
 * one audit event `ticket.tags_decided` records what was decided by whom.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { TicketTag, TicketTagDecision } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { tickets, ticketTags } from '../db/schema.js';
import { AppError, forbidden, notFound } from '../http/app-error.js';
import { canSeeTicket } from '../tickets/access.js';
import { ticketRowColumns } from '../tickets/ticket-row.js';
import { loadRoutingData } from './routing-cache.js';
import { listTicketTags } from './ticket-tags.js';

const TAGGERS = new Set(['admin', 'manager', 'agent', 'handler']);

export async function decideTicketTags(opts: { db: Db; actor: Actor; ticketId: string; input: TicketTagDecision }): Promise<TicketTag[]> {
  const { db, actor, ticketId, input } = opts;
  if (!TAGGERS.has(actor.role)) throw forbidden('only staff may tag tickets');
  const all = [...input.confirm, ...input.remove, ...input.add];
  if (new Set(all).size !== all.length) {
    throw new AppError('VALIDATION_FAILED', 'confirm: a tag may appear in one list only', [{ path: 'confirm', message: 'a tag may appear in one list only' }]);
  }
  const data = await loadRoutingData(db);
  input.add.forEach((id, i) => {
    if (!data.tags.get(id)?.active) throw new AppError('VALIDATION_FAILED', `add.${i}: no such active tag`, [{ path: `add.${i}`, message: 'no such active tag' }]);
  });
  const now = new Date();
  await db.transaction(async (tx) => {
    const [ticket] = await tx.select(ticketRowColumns).from(tickets).where(eq(tickets.id, ticketId)).for('update');
    if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');
    const decided = (ids: string[], state: 'confirmed' | 'removed') => (ids.length ? tx.update(ticketTags)
      .set({ state, decidedById: actor.userId, decidedAt: now })
      .where(and(eq(ticketTags.ticketId, ticketId), inArray(ticketTags.tagId, ids)))
      .returning({ tagId: ticketTags.tagId }) : Promise.resolve([]));
    const confirmed = await decided(input.confirm, 'confirmed');
    const removed = await decided(input.remove, 'removed');
    const missing = [...input.confirm.filter((id) => !confirmed.some((r) => r.tagId === id)),
      ...input.remove.filter((id) => !removed.some((r) => r.tagId === id))];
    if (missing.length) {
      throw new AppError('VALIDATION_FAILED', 'confirm: the ticket does not carry this tag', missing.map((id) => ({
        path: input.confirm.includes(id) ? `confirm.${input.confirm.indexOf(id)}` : `remove.${input.remove.indexOf(id)}`,
        message: 'the ticket does not carry this tag',
      })));
    }
    if (input.add.length) {
      await tx.insert(ticketTags).values(input.add.map((tagId) => ({
        ticketId, tagId, source: 'manual' as const, state: 'confirmed' as const, decidedById: actor.userId, decidedAt: now,
      }))).onConflictDoUpdate({
        target: [ticketTags.ticketId, ticketTags.tagId],
        set: { state: 'confirmed', decidedById: actor.userId, decidedAt: now, source: sql`ticket_tags.source` },
      });
    }
    if (!all.length) return;
    const path = (id: string) => data.tags.get(id)?.path ?? id;
    await appendEvent({
      tx, actor, chain: ticketChain(ticketId), ticketId, type: 'ticket.tags_decided', at: now, chainLocked: true,
      data: {
        confirmed: input.confirm.map((id) => ({ tagId: id, path: path(id) })),
        removed: input.remove.map((id) => ({ tagId: id, path: path(id) })),
        added: input.add.map((id) => ({ tagId: id, path: path(id) })),
      },
    });
  });
  return listTicketTags({ db, ticketId });
}
