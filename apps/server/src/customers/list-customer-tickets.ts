/**
 * A customer's tickets, newest first: the history shown beside every ticket so nobody asks the
 * customer again what they already told us (SPEC §5). Limited to tickets the caller may open.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Channel, CustomerTicket, Priority, TicketStatus } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { categories, tickets } from '../db/schema.js';
import { visibleTicketsWhere } from '../tickets/access.js';
import { getCustomerRow } from './get-customer.js';

export interface ListCustomerTicketsOptions {
  db: DbOrTx;
  actor: Actor;
  customerId: string;
  limit: number;
}

export async function listCustomerTickets(opts: ListCustomerTicketsOptions): Promise<CustomerTicket[]> {
  const { db, actor, customerId } = opts;
  await getCustomerRow({ db, id: customerId });
  const rows = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      channel: tickets.channel,
      status: tickets.status,
      priority: tickets.priority,
      createdAt: tickets.createdAt,
      closedAt: tickets.closedAt,
      categoryId: categories.id,
      categoryName: categories.name,
      categoryCode: categories.code,
    })
    .from(tickets)
    .innerJoin(categories, eq(categories.id, tickets.categoryId))
    .where(and(eq(tickets.customerId, customerId), visibleTicketsWhere(actor)))
    .orderBy(desc(tickets.createdAt), desc(tickets.id))
    .limit(opts.limit);
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    channel: r.channel as Channel,
    status: r.status as TicketStatus,
    priority: r.priority as Priority,
    category: { id: r.categoryId, name: r.categoryName, code: r.categoryCode },
    createdAt: r.createdAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
  }));
}
