/**
 * The workbench activity feed: the newest audit events of the tickets the caller may see, in
 * event time, newest first (id breaks ties). Time, not id: demo data and imports write events
 * with an earlier `at` after later ones, and the feed must read 7天前, 8天前, 20天前 in order.
 * Served by audit_events_at_idx walked backwards. The cursor stays an event id (the contract's
 * `before`); the page continues after that event's (at, id). An event written later with an
 * earlier time lands in its place in time, possibly on a page already read.
 * Customers get the same events, stripped the same way, as on their ticket's timeline.
 */
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
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
  if (query.before) {
    const before = Number(query.before);
    conds.push(sql`(${auditEvents.at}, ${auditEvents.id}) < (select b.at, b.id from ${auditEvents} b where b.id = ${before})`);
  }

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
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
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
