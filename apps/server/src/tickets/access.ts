/**
 * Who may see which tickets. Customers: only their own. admin, agent, verifier: every ticket.
 * manager, handler: tickets of their departments, owned by them, created by them, or with a
 * rectification measure they own (a measure owner may sit in another department).
 * A ticket the caller may not see answers 404, the same as a missing one.
 */
import { eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { notFound } from '../http/app-error.js';
import type { Actor } from '../auth/actor.js';
import { tickets } from '../db/schema.js';
import type { TicketRow } from './ticket-row.js';

const SEE_ALL = new Set(['admin', 'agent', 'verifier']);

/** A WHERE condition limiting a ticket query to what the actor may see; undefined = no limit. */
export function visibleTicketsWhere(actor: Actor): SQL | undefined {
  if (actor.kind === 'system' || SEE_ALL.has(actor.role)) return undefined;
  if (actor.role === 'customer') {
    return actor.customerId ? eq(tickets.customerId, actor.customerId) : sql`false`;
  }
  const conds: SQL[] = [];
  if (actor.departmentIds.length) conds.push(inArray(tickets.departmentId, actor.departmentIds));
  if (actor.userId) {
    conds.push(eq(tickets.ownerId, actor.userId));
    conds.push(eq(tickets.createdById, actor.userId));
    conds.push(sql`${tickets.plan} @> ${JSON.stringify({ measures: [{ ownerId: actor.userId }] })}::jsonb`);
  }
  return conds.length ? or(...conds) : sql`false`;
}

export function canSeeTicket(
  actor: Actor,
  t: Pick<TicketRow, 'customerId' | 'departmentId' | 'ownerId' | 'createdById' | 'plan'>,
): boolean {
  if (actor.kind === 'system' || SEE_ALL.has(actor.role)) return true;
  if (actor.role === 'customer') return !!actor.customerId && t.customerId === actor.customerId;
  return (
    (!!t.departmentId && actor.departmentIds.includes(t.departmentId)) ||
    (!!actor.userId && (t.ownerId === actor.userId || t.createdById === actor.userId ||
      !!t.plan?.measures.some((m) => m.ownerId === actor.userId)))
  );
}

/**
 * The access-relevant columns of a ticket the actor may see, or 404 NOT_FOUND — the same answer
 * as for a missing ticket, so existence is not revealed.
 */
export async function findVisibleTicket(opts: { db: DbOrTx; actor: Actor; ticketId: string }) {
  const [ticket] = await opts.db
    .select({
      id: tickets.id, number: tickets.number, customerId: tickets.customerId,
      departmentId: tickets.departmentId, ownerId: tickets.ownerId,
      createdById: tickets.createdById, plan: tickets.plan,
    })
    .from(tickets).where(eq(tickets.id, opts.ticketId)).limit(1);
  if (!ticket || !canSeeTicket(opts.actor, ticket)) throw notFound('ticket');
  return ticket;
}
