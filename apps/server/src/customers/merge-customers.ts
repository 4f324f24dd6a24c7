/**
 * Staff merge two customer records found to be one person (客户合并): the merged customer's
 * tickets, identities, portal logins and platform conversations move to the surviving customer
 * in one transaction; both customers' audit chains record it; the merged id is then gone and
 * answers 404 naming the survivor (customer_merges).
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { TERMINAL_STATUSES, type CustomerMerge, type CustomerMergeResult } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { customerIdentities, customerMerges, customers, portalSessions, tickets, users } from '../db/schema.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { AppError, invalidField, notFound } from '../http/app-error.js';
import { moveIntegrationCustomer } from '../integrations/receive-message.js';
import { enqueueMany } from '../jobs/outbox.js';
import { ticketRowColumns } from '../tickets/ticket-row.js';
import { ticketSearchText } from '../tickets/ticket-search-text.js';
import { customerChain } from './customer-view.js';

/** What a merge would move: the confirmation dialog shows it before anything is written. */
export async function mergePreview(db: Db, customerId: string): Promise<{ tickets: number; identities: number }> {
  const [t] = await db.select({ n: sql<number>`count(*)::int` }).from(tickets).where(eq(tickets.customerId, customerId));
  const [i] = await db.select({ n: sql<number>`count(*)::int` }).from(customerIdentities).where(eq(customerIdentities.customerId, customerId));
  return { tickets: Number(t?.n ?? 0), identities: Number(i?.n ?? 0) };
}

export async function mergeCustomers(opts: {
  db: Db; actor: Actor; customerId: string; input: CustomerMerge;
}): Promise<CustomerMergeResult> {
  const { db, actor, customerId: fromId, input } = opts;
  const intoId = input.intoCustomerId;
  if (intoId === fromId) throw invalidField('intoCustomerId', 'a customer cannot be merged into itself');
  return db.transaction(async (tx) => {
    // Both rows locked in id order: two merges of the same pair cannot deadlock or cross.
    const locked = await tx.select().from(customers).where(inArray(customers.id, [fromId, intoId]))
      .orderBy(customers.id).for('update');
    const from = locked.find((c) => c.id === fromId);
    const into = locked.find((c) => c.id === intoId);
    if (!from) throw notFound('customer');
    if (!into) throw new AppError('VALIDATION_FAILED', 'intoCustomerId: no such customer', [{ path: 'intoCustomerId', message: 'no such customer' }]);

    const moved = await tx.update(tickets).set({ customerId: intoId, updatedAt: sql`now()` })
      .where(eq(tickets.customerId, fromId)).returning({ id: tickets.id, number: tickets.number, title: tickets.title, status: tickets.status });
    const identities = await tx.update(customerIdentities).set({ customerId: intoId })
      .where(eq(customerIdentities.customerId, fromId)).returning({ kind: customerIdentities.kind, value: customerIdentities.value });
    await tx.update(users).set({ customerId: intoId }).where(eq(users.customerId, fromId));
    await moveIntegrationCustomer(tx, fromId, intoId);
    // Open portal sessions (code access) keep working for the survivor.
    await tx.update(portalSessions).set({ customerId: intoId }).where(eq(portalSessions.customerId, fromId));
    // Earlier merges into the merged customer now point at the survivor.
    await tx.update(customerMerges).set({ intoCustomerId: intoId }).where(eq(customerMerges.intoCustomerId, fromId));
    await tx.insert(customerMerges).values({ customerId: fromId, intoCustomerId: intoId, reason: input.reason, mergedById: actor.userId });
    // The survivor keeps its contact; one it lacks comes from the merged record.
    if (from.phone) await tx.update(customers).set({ phone: from.phone }).where(and(eq(customers.id, intoId), isNull(customers.phone)));
    if (from.email) await tx.update(customers).set({ email: from.email }).where(and(eq(customers.id, intoId), isNull(customers.email)));
    await tx.update(customers).set({ updatedAt: sql`now()` }).where(eq(customers.id, intoId));

    const data = {
      fromCustomerId: fromId, fromName: from.name, intoCustomerId: intoId, intoName: into.name, reason: input.reason,
      tickets: moved.length, identities: identities.map((i) => `${i.kind}:${i.value}`),
    };
    await appendEvent({ tx, actor, chain: customerChain(fromId), type: 'customer.merged', data });
    await appendEvent({ tx, actor, chain: customerChain(intoId), type: 'customer.merged_in', data });

    if (moved.length) {
      // Search finds the moved tickets by the survivor's name.
      const rows = await tx.select(ticketRowColumns).from(tickets).where(inArray(tickets.id, moved.map((m) => m.id)));
      for (const t of rows) {
        await tx.update(tickets).set({ searchText: ticketSearchText({ ...t, customerName: into.name }) }).where(eq(tickets.id, t.id));
      }
      // SLA targets follow the customer's tier: open tickets hear of their new customer.
      const open = moved.filter((m) => !(TERMINAL_STATUSES as readonly string[]).includes(m.status));
      const at = new Date();
      await enqueueMany(tx, eventOutboxRows(open.map((m) => domainEvent('ticket.updated', {
        ticketId: m.id, number: m.number, title: m.title, command: null, fields: ['customer'],
      }, { actor, at }))));
    }
    await tx.delete(customers).where(eq(customers.id, fromId));
    return { intoCustomerId: intoId, movedTickets: moved.length, movedIdentities: identities.length };
  });
}

/** 404 for a customer id that is gone; one merged away names the customer it lives on in. */
export async function customerGone(db: Db, id: string): Promise<AppError> {
  const [merged] = await db.select().from(customerMerges).where(eq(customerMerges.customerId, id)).limit(1);
  if (!merged) return notFound('customer');
  return new AppError('NOT_FOUND', `customer was merged into ${merged.intoCustomerId}`, [
    { path: 'id', message: `merged into ${merged.intoCustomerId}`, code: 'merged' },
  ]);
}
