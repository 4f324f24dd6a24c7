/**
 * Approval gates: where a ticket needs a flow's decision. `openApprovalGate` starts the flow
 * attached to the ticket's category for the gate (passed when none is attached, refused when
 * an empty-approver rule refuses), inside the caller's transaction. apply-transition.ts calls
 * `approvalGateOnTransition` once per transition: entering plan_review opens the plan gate;
 * leaving it any other way (cancel) cancels the running instance; a ticket that ends (closed,
 * cancelled) cancels its running cancellation and dispute instances. `holdForApproval` is the
 * cancellation gate: a staff `cancel` (lifecycle rule `approvalGate`) waits for the flow.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ApprovalGate, GateResult, TicketCommand, Transition } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx, Tx } from '../db/client.js';
import { flowDefinitionCategories, flowDefinitions, flowInstances, flowVersions } from '../db/schema.js';
import { newId } from '../db/util.js';
import { AppError } from '../http/app-error.js';
import type { SystemTransition } from '../tickets/lifecycle.js';
import type { TicketRow } from '../tickets/ticket-row.js';
import { engineContext, ticketFields } from './engine-context.js';
import { startInstance } from './engine/engine.js';
import type { EngineState, FieldValues } from './engine/types.js';
import { recordStep, type InstanceMeta } from './record-step.js';
import { FLOW_APPROVED_OPINION, NO_FLOW_OPINION } from './system-opinions.js';

export { FLOW_APPROVED_OPINION, NO_FLOW_OPINION } from './system-opinions.js';

export interface OpenGateInput {
  gate: ApprovalGate;
  ticket: TicketRow;
  /** What the gate decides on: `plan:<ticket version>`, `compensation:<id>` … (one running instance per subject). */
  subjectRef: string;
  initiator: Actor;
  /** Extra field values for conditions, e.g. `{ 'subject.amount': 1500 }`. */
  fields?: FieldValues;
  now: Date;
  /** Called when the category has a flow on the gate, before it starts (may refuse by throwing). */
  onFlow?: () => void;
}
export interface OpenGateResult { result: GateResult; instanceId: string | null; refusedNodeId?: string }

export async function openApprovalGate(tx: Tx, input: OpenGateInput): Promise<OpenGateResult> {
  const { ticket, now } = input;
  const [flow] = await tx.select({
    id: flowDefinitions.id, name: flowDefinitions.name, adminUserId: flowDefinitions.adminUserId,
    versionId: flowVersions.id, tree: flowVersions.tree,
  }).from(flowDefinitionCategories)
    .innerJoin(flowDefinitions, eq(flowDefinitions.id, flowDefinitionCategories.definitionId))
    .innerJoin(flowVersions, eq(flowVersions.id, flowDefinitions.activeVersionId))
    .where(and(eq(flowDefinitionCategories.categoryId, ticket.categoryId), eq(flowDefinitionCategories.gate, input.gate)));
  if (!flow) return { result: 'passed', instanceId: null };
  input.onFlow?.();
  const initiatorId = input.initiator.userId ?? ticket.ownerId ?? flow.adminUserId;
  const fields: FieldValues = { ...ticketFields(ticket), ...input.fields };
  const ctx = await engineContext(tx, { tree: flow.tree, fields, ticket, initiatorId, adminUserId: flow.adminUserId, now });
  const started = startInstance({ initiatorId, adminUserId: flow.adminUserId }, ctx);
  if (started.refused) {
    return { result: 'refused', instanceId: null, refusedNodeId: started.state.route[started.state.current] };
  }
  const meta: InstanceMeta = {
    id: newId(now.getTime()), definitionId: flow.id, definitionName: flow.name, versionId: flow.versionId, gate: input.gate,
    ticketId: ticket.id, ticketNumber: ticket.number, ticketTitle: ticket.title, subjectRef: input.subjectRef, initiatorId,
    tree: flow.tree,
  };
  await recordStep(tx, { meta, actor: input.initiator, action: { kind: 'start' }, result: started, isNew: true, now, fields });
  return { result: started.outcome === 'approved' ? 'passed' : 'running', instanceId: meta.id };
}

export const CANCELLATION_SUBJECT = 'cancellation';
export const disputeSubject = (disputeId: string) => `dispute:${disputeId}`;

/** The running instance of a gate on a subject of the ticket, if any (flow_instances_running_uq). */
export async function runningInstanceId(tx: DbOrTx, ticketId: string, gate: ApprovalGate, subjectRef: string): Promise<string | null> {
  const [row] = await tx.select({ id: flowInstances.id }).from(flowInstances).where(and(
    eq(flowInstances.ticketId, ticketId), eq(flowInstances.gate, gate), eq(flowInstances.subjectRef, subjectRef),
    sql`${flowInstances.status} = 'running'`,
  ));
  return row?.id ?? null;
}

/**
 * A gated lifecycle command (staff `cancel`): refused 409 while one already waits; with a flow
 * on the gate it starts an instance (subject.reason) and answers true: the command is held and
 * the system issues it when the flow approves (act-on-instance.ts). No flow → false: apply now.
 */
export async function holdForApproval(tx: Tx, opts: {
  gate: ApprovalGate; ticket: TicketRow; actor: Actor; transition: Transition | SystemTransition; now: Date;
}): Promise<boolean> {
  const { ticket, transition } = opts;
  if (opts.gate !== 'cancellation' || transition.command !== 'cancel') return false;
  if (await runningInstanceId(tx, ticket.id, 'cancellation', CANCELLATION_SUBJECT)) {
    throw new AppError('CONFLICT', 'a cancellation of this ticket already awaits approval');
  }
  const r = await openApprovalGate(tx, {
    gate: 'cancellation', ticket, subjectRef: CANCELLATION_SUBJECT, initiator: opts.actor, now: opts.now,
    fields: { 'subject.reason': transition.reason },
  });
  if (r.result === 'refused') {
    throw new AppError('VALIDATION_FAILED', 'reason: the cancellation flow has a node without approvers that refuses submission',
      [{ path: 'reason', message: `approval node ${r.refusedNodeId ?? ''} has no approver` }]);
  }
  return r.result === 'running';
}

const ENDED = new Set(['closed', 'cancelled']);

/** The plan gate on a ticket transition; returns the system command to apply next, if any. */
export async function approvalGateOnTransition(tx: Tx, opts: {
  actor: Actor; before: TicketRow; after: TicketRow; command: TicketCommand; now: Date;
}): Promise<Transition | SystemTransition | null> {
  const { before, after } = opts;
  if (after.status === 'plan_review' && before.status !== 'plan_review') {
    const r = await openApprovalGate(tx, {
      gate: 'plan_review', ticket: after, subjectRef: `plan:${after.version}`, initiator: opts.actor, now: opts.now,
    });
    if (r.result === 'refused') {
      throw new AppError('VALIDATION_FAILED', 'plan: the approval flow has a node without approvers that refuses submission',
        [{ path: 'plan', message: `approval node ${r.refusedNodeId ?? ''} has no approver` }]);
    }
    return r.result === 'passed' ? { command: 'approve_plan', opinion: r.instanceId ? FLOW_APPROVED_OPINION : NO_FLOW_OPINION } : null;
  }
  if (before.status === 'plan_review' && after.status !== 'plan_review' && opts.command !== 'approve_plan' && opts.command !== 'reject_plan') {
    await cancelRunning(tx, { ticketId: after.id, gates: ['plan_review'], actor: opts.actor, now: opts.now, ticket: after });
  }
  if (ENDED.has(after.status) && !ENDED.has(before.status)) {
    await cancelRunning(tx, { ticketId: after.id, gates: ['cancellation', 'dispute'], actor: opts.actor, now: opts.now, ticket: after });
  }
  return null;
}

/** Ends the gate's running instances of a ticket as cancelled (the ticket left the gate). */
async function cancelRunning(tx: Tx, opts: { ticketId: string; gates: ApprovalGate[]; actor: Actor; now: Date; ticket: TicketRow }) {
  const rows = await tx.select({
    id: flowInstances.id, gate: flowInstances.gate, state: flowInstances.state, definitionId: flowInstances.definitionId, versionId: flowInstances.versionId,
    subjectRef: flowInstances.subjectRef, initiatorId: flowInstances.initiatorId, name: flowDefinitions.name, tree: flowVersions.tree,
  }).from(flowInstances)
    .innerJoin(flowDefinitions, eq(flowDefinitions.id, flowInstances.definitionId))
    .innerJoin(flowVersions, eq(flowVersions.id, flowInstances.versionId))
    .where(and(eq(flowInstances.ticketId, opts.ticketId), inArray(flowInstances.gate, opts.gates), sql`${flowInstances.status} = 'running'`))
    .for('update', { of: flowInstances });
  for (const r of rows) {
    const state = structuredClone(r.state) as unknown as EngineState;
    const changed: string[] = [];
    for (const t of state.tasks) if (t.status === 'running' || t.status === 'waiting') { t.status = 'cancelled'; changed.push(t.id); }
    state.status = 'cancelled';
    state.endedAt = opts.now.toISOString();
    state.current = state.route.length;
    const meta: InstanceMeta = {
      id: r.id, definitionId: r.definitionId, definitionName: r.name, versionId: r.versionId, gate: r.gate, ticketId: opts.ticketId,
      ticketNumber: opts.ticket.number, ticketTitle: opts.ticket.title, subjectRef: r.subjectRef, initiatorId: r.initiatorId, tree: r.tree,
    };
    await recordStep(tx, {
      meta, actor: opts.actor, action: { kind: 'cancel' }, isNew: false, now: opts.now,
      result: { state, effects: [], outcome: 'cancelled', outcomeOpinion: null, logged: [], changedTaskIds: changed },
    });
  }
}
