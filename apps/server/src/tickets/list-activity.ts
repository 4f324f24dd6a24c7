/**
 * The workbench activity feed: the newest audit events of the tickets the caller may see,
 * newest first, paged by event id (ids only grow, so new events never shift older pages).
 * Customers get the same events, stripped the same way, as on their ticket's timeline.
 */
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { ActivityItem, ActivityList, ActivityQuery } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { auditEvents, tickets, users } from '../db/schema.js';
import { visibleTicketsWhere } from './access.js';
import { customerEventsWhere, toTicketEvent } from './list-events.js';

export async function listActivity(opts: { db: DbOrTx; actor: Actor; query: ActivityQuery }): Promise<ActivityList> {
  const { db, actor, query } = opts;
  const forCustomer = actor.role === 'customer';
  const conds: Array<SQL | undefined> = [visibleTicketsWhere(actor)];
  if (forCustomer) conds.push(customerEventsWhere());
  if (query.before) conds.push(lt(auditEvents.id, Number(query.before)));

  const rows = await db
    .select({
      event: auditEvents,
      actorName: users.displayName,
      ticket: { id: tickets.id, number: tickets.number, title: tickets.title },
    })
    .from(auditEvents)
    .innerJoin(tickets, eq(tickets.id, auditEvents.ticketId))
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(and(...conds))
    .orderBy(desc(auditEvents.id))
    .limit(query.limit + 1);

  const page = rows.slice(0, query.limit);
  const items: ActivityItem[] = [];
  for (const { event, actorName, ticket } of page) {
    const view = toTicketEvent({ event, actorName, forCustomer });
    if (view) items.push({ ...view, ticket });
  }
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > query.limit && last ? String(last.event.id) : null };
}
