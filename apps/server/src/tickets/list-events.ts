/**
 * A ticket's timeline: its audit events oldest first, with the actor's name. Customers see the
 * steps that concern them, stripped of internal fields (owners, departments, opinions, plans).
 */
import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { TicketEvent } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { auditEvents, users } from '../db/schema.js';
import { findVisibleTicket } from './access.js';

/**
 * Event types a customer sees, each with the `data` keys shown to them. Anything not listed
 * (reassign, escalate, complete_measure, approvals…) stays staff-only.
 */
export const CUSTOMER_EVENTS: Readonly<Record<string, readonly string[]>> = {
  'ticket.created': [],
  'ticket.assigned': [],
  'ticket.accept': [],
  'ticket.resolve': ['resolution'],
  'ticket.submit_plan': [],
  'ticket.approve_plan': [],
  'ticket.reject_plan': [],
  'ticket.start_acceptance': [],
  'ticket.pass_acceptance': [],
  'ticket.fail_acceptance': [],
  'ticket.confirm': ['rating', 'comment'],
  'ticket.auto_close': [],
  'ticket.reopen': ['reason'],
  'ticket.cancel': ['reason'],
  'ticket.set_waiting': ['waiting', 'note'],
  'comment.added': ['commentId', 'visibility', 'excerpt'],
};

/** Ticket columns a customer may see change in before/after. */
const CUSTOMER_FIELDS = new Set([
  'status', 'waitingOnCustomer', 'resolution', 'feedback', 'cancelReason', 'resolvedAt', 'closedAt',
]);

export type EventRow = typeof auditEvents.$inferSelect;

function isInternal(e: EventRow): boolean {
  return e.type === 'comment.added' && e.data?.visibility !== 'public';
}

function pick(obj: Record<string, unknown> | null, keys: { has(k: string): boolean }): Record<string, unknown> | null {
  if (!obj) return null;
  const out = Object.fromEntries(Object.entries(obj).filter(([k]) => keys.has(k)));
  return Object.keys(out).length ? out : null;
}

/**
 * The same rule as a WHERE condition, so paged feeds (the workbench activity) can skip what a
 * customer may not see in SQL; toTicketEvent() still applies the rule to every row.
 */
export function customerEventsWhere(): SQL {
  return and(
    inArray(auditEvents.type, Object.keys(CUSTOMER_EVENTS)),
    or(sql`${auditEvents.type} <> 'comment.added'`, sql`${auditEvents.data}->>'visibility' = 'public'`),
  )!;
}

/** An event as the API shows it to this caller, or null when a customer may not see it. */
export function toTicketEvent(opts: { event: EventRow; actorName: string | null; forCustomer: boolean }): TicketEvent | null {
  const { event: e, actorName, forCustomer } = opts;
  const shownData = CUSTOMER_EVENTS[e.type];
  if (forCustomer && (!shownData || isInternal(e))) return null;
  return {
    id: String(e.id),
    seq: e.seq,
    type: e.type,
    actor: e.actorId && actorName !== null ? { id: e.actorId, displayName: actorName } : null,
    actorKind: e.actorKind,
    at: e.at.toISOString(),
    before: forCustomer ? pick(e.before, CUSTOMER_FIELDS) : e.before,
    after: forCustomer ? pick(e.after, CUSTOMER_FIELDS) : e.after,
    data: forCustomer ? pick(e.data, new Set(shownData)) : e.data,
  };
}

export async function listTicketEvents(opts: { db: DbOrTx; actor: Actor; ticketId: string }): Promise<TicketEvent[]> {
  const { db, actor, ticketId } = opts;
  await findVisibleTicket({ db, actor, ticketId });

  const rows = await db.select({ event: auditEvents, actorName: users.displayName })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(eq(auditEvents.ticketId, ticketId))
    .orderBy(asc(auditEvents.id));

  const forCustomer = actor.role === 'customer';
  const items: TicketEvent[] = [];
  for (const { event, actorName } of rows) {
    const view = toTicketEvent({ event, actorName, forCustomer });
    if (view) items.push(view);
  }
  return items;
}
