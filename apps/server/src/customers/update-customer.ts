/**
 * Staff correct a customer's name or set their tier (客户分层), which SLA policies match on. A new
 * name is also written into the search text of the customer's tickets, so search finds them by it.
 */
import { and, eq, notInArray, sql } from 'drizzle-orm';
import { TERMINAL_STATUSES, type Customer, type CustomerUpdate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { customers, tickets } from '../db/schema.js';
import { ticketRowColumns } from '../tickets/ticket-row.js';
import { ticketSearchText } from '../tickets/ticket-search-text.js';
import { appendEvent } from '../audit/append-event.js';
import { notFound } from '../http/app-error.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { enqueueMany } from '../jobs/outbox.js';
import { customerChain, toCustomer } from './customer-view.js';

export async function updateCustomer(opts: { db: Db; actor: Actor; id: string; input: CustomerUpdate }): Promise<Customer> {
  const { db, actor, id, input } = opts;
  const row = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(customers).where(eq(customers.id, id)).for('update').limit(1);
    if (!current) throw notFound('customer');
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (input.name !== undefined && input.name !== current.name) {
      before.name = current.name;
      after.name = input.name;
    }
    if (input.tier !== undefined && input.tier !== current.tier) {
      before.tier = current.tier;
      after.tier = input.tier;
    }
    if (Object.keys(after).length === 0) return current;
    const [updated] = await tx.update(customers).set({ ...after, updatedAt: sql`now()` })
      .where(eq(customers.id, id)).returning();
    await appendEvent({ tx, actor, chain: customerChain(id), type: 'customer.updated', before, after });
    if (after.tier !== undefined) {
      // SLA targets follow the tier: each open ticket of the customer hears of it.
      const open = await tx.select({ id: tickets.id, number: tickets.number, title: tickets.title }).from(tickets)
        .where(and(eq(tickets.customerId, id), notInArray(tickets.status, [...TERMINAL_STATUSES])));
      const at = new Date();
      await enqueueMany(tx, eventOutboxRows(open.map((t) => domainEvent('ticket.updated', {
        ticketId: t.id, number: t.number, title: t.title, command: null, fields: ['customer.tier'],
      }, { actor, at }))));
    }
    if (after.name !== undefined) {
      const own = await tx.select(ticketRowColumns).from(tickets).where(eq(tickets.customerId, id));
      for (const t of own) {
        await tx.update(tickets)
          .set({ searchText: ticketSearchText({ ...t, customerName: updated!.name }) })
          .where(eq(tickets.id, t.id));
      }
    }
    return updated!;
  });
  return toCustomer(db, row);
}
