/**
 * Tickets that were waiting in plan_review before approval flows existed (an upgraded database)
 * have no instance, and approve_plan is now the system's: at start-up their plan gate is opened
 * as if the plan had just been submitted — the category's flow starts (the owner as initiator),
 * or, with no flow attached, the gate passes. Bounded per start; uses tickets_status_created_idx.
 */
import { and, eq, sql } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { flowInstances, tickets } from '../db/schema.js';
import { applyTransitionInTx } from '../tickets/apply-transition.js';
import { ticketRowColumns } from '../tickets/ticket-row.js';
import { FLOW_APPROVED_OPINION, NO_FLOW_OPINION, openApprovalGate } from './open-gate.js';

export async function openPendingPlanGates(opts: { db: Db; now?: Date; limit?: number }): Promise<{ opened: number; passed: number }> {
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  const pending = await opts.db.select({ id: tickets.id }).from(tickets).where(and(
    eq(tickets.status, 'plan_review'),
    sql`not exists (select 1 from flow_instances i where i.ticket_id = ${tickets.id} and i.gate = 'plan_review' and i.status = 'running')`,
  )).limit(opts.limit ?? 500);
  let opened = 0;
  let passed = 0;
  for (const p of pending) {
    await opts.db.transaction(async (tx) => {
      const [t] = await tx.select(ticketRowColumns).from(tickets).where(eq(tickets.id, p.id)).for('update');
      if (!t || t.status !== 'plan_review') return;
      const [running] = await tx.select({ id: flowInstances.id }).from(flowInstances).where(and(
        eq(flowInstances.ticketId, t.id), eq(flowInstances.gate, 'plan_review'), eq(flowInstances.status, 'running'),
      )).limit(1);
      if (running) return;
      // The system opens it; the ticket owner is the initiator (openApprovalGate).
      const r = await openApprovalGate(tx, { gate: 'plan_review', ticket: t, subjectRef: `plan:${t.version}`, initiator: SYSTEM_ACTOR, now });
      if (r.result === 'running') { opened++; return; }
      // No flow (or every node passed at once, or an empty-approver rule that would refuse: the plan was submitted before it existed).
      await applyTransitionInTx(tx, {
        actor: SYSTEM_ACTOR, ticketId: t.id, now,
        transition: { command: 'approve_plan', opinion: r.instanceId ? FLOW_APPROVED_OPINION : NO_FLOW_OPINION },
      });
      passed++;
    });
  }
  return { opened, passed };
}
