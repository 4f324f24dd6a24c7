/**
 * Sets (or clears) the explicit SLA policy of a ticket — what the rules engine's "set SLA policy"
 * does at intake, here for an admin or manager later. Writes only the system column (no version
 * bump) with its audit event and a ticket.updated (`slaPolicyId`), on which the SLA subscriber
 * recomputes the clocks and records `sla.recomputed`.
 */
import { eq } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { slaPolicies, tickets } from '../db/schema.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { invalidField, notFound } from '../http/app-error.js';
import { enqueueMany } from '../jobs/outbox.js';
import { canSeeTicket } from '../tickets/access.js';
import { ticketRowColumns } from '../tickets/ticket-row.js';

export async function setTicketPolicy(opts: { db: Db; actor: Actor; ticketId: string; policyId: string | null }): Promise<void> {
  const { db, actor, ticketId, policyId } = opts;
  if (policyId) {
    const [p] = await db.select({ id: slaPolicies.id, active: slaPolicies.active }).from(slaPolicies).where(eq(slaPolicies.id, policyId));
    if (!p || !p.active) throw invalidField('policyId', 'no such active SLA policy');
  }
  await db.transaction(async (tx) => {
    const [t] = await tx.select({ ...ticketRowColumns, slaPolicyId: tickets.slaPolicyId }).from(tickets).where(eq(tickets.id, ticketId)).for('update');
    if (!t || !canSeeTicket(actor, t)) throw notFound('ticket');
    if (t.slaPolicyId === policyId) return;
    await tx.update(tickets).set({ slaPolicyId: policyId }).where(eq(tickets.id, ticketId));
    const now = new Date();
    await appendEvent({
      tx, actor, chain: ticketChain(ticketId), ticketId, type: 'ticket.sla_policy_set', at: now, chainLocked: true,
      before: { slaPolicyId: t.slaPolicyId }, after: { slaPolicyId: policyId },
    });
    await enqueueMany(tx, eventOutboxRows([domainEvent('ticket.updated', {
      ticketId, number: t.number, title: t.title, command: null, fields: ['slaPolicyId'],
    }, { actor, at: now })]));
  });
}
