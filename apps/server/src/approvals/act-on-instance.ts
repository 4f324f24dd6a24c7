/**
 * One action on an approval instance, in ONE transaction: lock the ticket row (the order every
 * ticket writer takes) and then the instance row FOR UPDATE, so two approvers of one 会签 node
 * acting at the same moment are applied one after the other and both count, once each. The
 * engine decides; record-step.ts writes; an ended instance's outcome is applied in the same
 * transaction: plan_review issues approve_plan / reject_plan; cancellation, when approved,
 * issues the held `cancel` with its reason (rejected / withdrawn: the ticket stays as it is);
 * dispute decides the dispute (rectification/analysis-commands.ts).
 */
import { eq } from 'drizzle-orm';
import type { EventCause } from '@closeloop/contract';
import { SYSTEM_ACTOR, isStaff, type Actor } from '../auth/actor.js';
import type { Db, Tx } from '../db/client.js';
import { flowDefinitions, flowInstances, flowTasks, flowVersions, tickets } from '../db/schema.js';
import { AppError, forbidden, notFound } from '../http/app-error.js';
import { decideDisputeByFlow } from '../rectification/analysis-commands.js';
import { applyTransitionInTx } from '../tickets/apply-transition.js';
import { ticketRowColumns, type TicketRow } from '../tickets/ticket-row.js';
import { engineContext } from './engine-context.js';
import { act } from './engine/engine.js';
import { FLOW_APPROVED_OPINION } from './system-opinions.js';
import { EngineRefusal, type EngineAction, type EngineResult, type EngineState, type FieldValues } from './engine/types.js';
import { recordStep, type InstanceMeta } from './record-step.js';

export type InstanceAction = EngineAction;

export interface LoadedInstance {
  meta: InstanceMeta;
  state: EngineState;
  fields: FieldValues;
  adminUserId: string;
  ticket: TicketRow;
  status: string;
  startedAt: Date;
}

/** Finds the instance of a task (unlocked: only to know which rows to lock). */
export async function instanceOfTask(db: Db | Tx, taskId: string): Promise<{ instanceId: string; ticketId: string }> {
  const [row] = await db.select({ instanceId: flowTasks.instanceId, ticketId: flowTasks.ticketId }).from(flowTasks).where(eq(flowTasks.id, taskId));
  if (!row) throw notFound('approval task');
  return row;
}

export async function loadInstance(tx: Tx, instanceId: string, opts: { lock: boolean; ticketId?: string }): Promise<LoadedInstance> {
  let ticketId = opts.ticketId;
  if (!ticketId) {
    const [r] = await tx.select({ ticketId: flowInstances.ticketId }).from(flowInstances).where(eq(flowInstances.id, instanceId));
    if (!r) throw notFound('approval');
    ticketId = r.ticketId;
  }
  const tq = tx.select(ticketRowColumns).from(tickets).where(eq(tickets.id, ticketId));
  const [ticket] = opts.lock ? await tq.for('update') : await tq;
  if (!ticket) throw notFound('approval');
  const iq = tx.select({
    id: flowInstances.id, definitionId: flowInstances.definitionId, versionId: flowInstances.versionId, gate: flowInstances.gate,
    subjectRef: flowInstances.subjectRef, initiatorId: flowInstances.initiatorId, status: flowInstances.status, state: flowInstances.state,
    fields: flowInstances.fields, startedAt: flowInstances.startedAt, ticketId: flowInstances.ticketId,
    name: flowDefinitions.name, adminUserId: flowDefinitions.adminUserId, tree: flowVersions.tree,
  }).from(flowInstances)
    .innerJoin(flowDefinitions, eq(flowDefinitions.id, flowInstances.definitionId))
    .innerJoin(flowVersions, eq(flowVersions.id, flowInstances.versionId))
    .where(eq(flowInstances.id, instanceId));
  const [row] = opts.lock ? await iq.for('update', { of: flowInstances }) : await iq;
  if (!row || row.ticketId !== ticket.id) throw notFound('approval');
  return {
    meta: {
      id: row.id, definitionId: row.definitionId, definitionName: row.name, versionId: row.versionId, gate: row.gate,
      ticketId: ticket.id, ticketNumber: ticket.number, ticketTitle: ticket.title, subjectRef: row.subjectRef,
      initiatorId: row.initiatorId, tree: row.tree,
    },
    state: row.state as unknown as EngineState, fields: row.fields as FieldValues, adminUserId: row.adminUserId, ticket,
    status: row.status, startedAt: row.startedAt,
  };
}

function refusal(e: unknown): never {
  if (e instanceof EngineRefusal) {
    if (e.code === 'VALIDATION_FAILED') throw new AppError('VALIDATION_FAILED', e.message, [{ path: e.field ?? 'body', message: e.message }]);
    throw new AppError(e.code, e.message);
  }
  throw e;
}

/** Applies the action; returns the instance as it is after it. */
export async function actOnInstance(db: Db, opts: {
  actor: Actor; instanceId: string; ticketId?: string; action: InstanceAction; now?: Date; cause?: EventCause;
}): Promise<{ loaded: LoadedInstance; result: EngineResult }> {
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  if (opts.actor.kind !== 'system' && (!opts.actor.userId || !isStaff(opts.actor))) throw forbidden('approvals are for staff');
  return db.transaction(async (tx) => {
    const loaded = await loadInstance(tx, opts.instanceId, { lock: true, ticketId: opts.ticketId });
    const extra = opts.action.kind === 'transfer' ? [opts.action.userId] : opts.action.kind === 'add_signer' ? opts.action.userIds : [];
    const ctx = await engineContext(tx, {
      tree: loaded.meta.tree, fields: loaded.fields, ticket: loaded.ticket, initiatorId: loaded.meta.initiatorId,
      adminUserId: loaded.adminUserId, now, extraUserIds: extra,
    });
    let result: EngineResult;
    try { result = act(loaded.state, opts.action, ctx); } catch (e) { refusal(e); }
    // A timer of a task acted on meanwhile, a cc read twice: nothing happened, nothing is written.
    if (!result.logged.length && !result.changedTaskIds.length) return { loaded, result };
    await recordStep(tx, { meta: loaded.meta, actor: opts.actor, action: opts.action, result, isNew: false, now, cause: opts.cause });
    if (result.outcome && loaded.meta.gate === 'plan_review' && loaded.ticket.status === 'plan_review') {
      const opinion = result.outcome === 'approved' ? null
        : result.outcome === 'cancelled' ? `撤回：${(opts.action.kind === 'withdraw' && opts.action.reason) || '发起人撤回了审批'}`
          : result.outcomeOpinion ?? '审批未通过';
      await applyTransitionInTx(tx, {
        actor: SYSTEM_ACTOR, ticketId: loaded.ticket.id, now, cause: opts.cause,
        transition: result.outcome === 'approved' ? { command: 'approve_plan', opinion: FLOW_APPROVED_OPINION } : { command: 'reject_plan', opinion: opinion! },
      });
    }
    if (result.outcome === 'approved' && loaded.meta.gate === 'cancellation') {
      const reason = loaded.fields['subject.reason'];
      await applyTransitionInTx(tx, {
        actor: SYSTEM_ACTOR, ticketId: loaded.ticket.id, now, cause: opts.cause,
        transition: { command: 'cancel', reason: typeof reason === 'string' && reason.trim() ? reason : '撤销审批通过' },
      });
    }
    if ((result.outcome === 'approved' || result.outcome === 'rejected') && loaded.meta.gate === 'dispute') {
      const lastOpinion = result.logged.findLast((l) => l.opinion?.trim())?.opinion ?? null;
      await decideDisputeByFlow(tx, {
        ticket: loaded.ticket, subjectRef: loaded.meta.subjectRef, instanceId: loaded.meta.id, outcome: result.outcome,
        opinion: result.outcome === 'rejected' ? result.outcomeOpinion ?? lastOpinion : lastOpinion, now, cause: opts.cause,
      });
    }
    return { loaded: { ...loaded, state: result.state, status: result.state.status }, result };
  });
}
