/**
 * Writes one engine step inside the command's transaction: the instance's state, the changed
 * tasks (mirrored in flow_tasks), the new path entries (flow_actions), ONE audit event on the
 * ticket's chain and the approval.* domain events (outbox) that notify the next approvers and
 * the cc recipients after commit. The caller holds the ticket row FOR UPDATE.
 */
import { sql } from 'drizzle-orm';
import type { ApprovalGate, DomainEvent, EventCause, FlowTree } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Tx } from '../db/client.js';
import { flowActions, flowInstances, flowTasks } from '../db/schema.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { enqueueMany } from '../jobs/outbox.js';
import { indexNodes } from './engine/route.js';
import type { EngineAction, EngineLogEntry, EngineResult } from './engine/types.js';

export interface InstanceMeta {
  id: string;
  definitionId: string;
  definitionName: string;
  versionId: string;
  gate: ApprovalGate;
  ticketId: string;
  ticketNumber: string;
  ticketTitle: string;
  subjectRef: string;
  initiatorId: string;
  tree: FlowTree;
}

const AUDIT_TYPE: Record<string, string> = {
  start: 'approval.started', approve: 'approval.task_approved', complete: 'approval.task_approved',
  reject: 'approval.task_rejected', return: 'approval.returned', transfer: 'approval.transferred',
  add_signer: 'approval.signer_added', withdraw: 'approval.withdrawn', urge: 'approval.urged', cc_read: 'approval.cc_read',
  timeout: 'approval.timeout', cancel: 'approval.cancelled',
};

export async function recordStep(tx: Tx, opts: {
  meta: InstanceMeta;
  actor: Actor;
  /** The action, or `start` for a new instance, `cancel` when the ticket left the gate. */
  action: EngineAction | { kind: 'start' } | { kind: 'cancel' };
  result: EngineResult;
  isNew: boolean;
  now: Date;
  fields?: Record<string, unknown>;
  cause?: EventCause;
}): Promise<void> {
  const { meta, result, now } = opts;
  const st = result.state;
  if (opts.isNew) {
    await tx.insert(flowInstances).values({
      id: meta.id, definitionId: meta.definitionId, versionId: meta.versionId, gate: meta.gate, ticketId: meta.ticketId,
      subjectRef: meta.subjectRef, initiatorId: meta.initiatorId, status: st.status, state: st as unknown as Record<string, unknown>,
      fields: opts.fields ?? {}, startedAt: now, endedAt: st.endedAt ? new Date(st.endedAt) : null,
    });
  } else {
    await tx.update(flowInstances).set({
      status: st.status, state: st as unknown as Record<string, unknown>, endedAt: st.endedAt ? new Date(st.endedAt) : null,
    }).where(sql`${flowInstances.id} = ${meta.id}`);
  }
  const nodes = indexNodes(meta.tree);
  const changed = new Set(result.changedTaskIds);
  const tasks = st.tasks.filter((t) => changed.has(t.id));
  if (tasks.length) {
    const d = (v: string | null) => (v ? new Date(v) : null);
    await tx.insert(flowTasks).values(tasks.map((t) => ({
      id: t.id, instanceId: meta.id, ticketId: meta.ticketId, nodeId: t.nodeId, nodeName: nodes.get(t.nodeId)?.name ?? t.nodeId,
      kind: t.kind, assigneeId: t.assigneeId, status: t.status, auto: t.auto, startedAt: d(t.startedAt), actedAt: d(t.actedAt),
      readAt: d(t.readAt), dueAt: d(t.dueAt), createdAt: now,
    }))).onConflictDoUpdate({
      target: flowTasks.id,
      set: {
        status: sql`excluded.status`, auto: sql`excluded.auto`, startedAt: sql`excluded.started_at`, actedAt: sql`excluded.acted_at`,
        readAt: sql`excluded.read_at`, dueAt: sql`excluded.due_at`, assigneeId: sql`excluded.assignee_id`,
      },
    });
  }
  if (result.logged.length) {
    await tx.insert(flowActions).values(result.logged.map((l) => ({
      instanceId: meta.id, taskId: l.taskId, nodeId: l.nodeId, kind: l.kind, actorId: l.actorId, targetUserIds: l.targetUserIds,
      targetNodeId: l.targetNodeId, opinion: l.opinion, attachmentIds: l.attachmentIds, at: new Date(l.at),
    })));
  }

  const kind = opts.action.kind;
  const main: EngineLogEntry | undefined = result.logged.find((l) => l.kind === kind) ?? result.logged[0];
  await appendEvent({
    tx, actor: opts.actor, chain: ticketChain(meta.ticketId), ticketId: meta.ticketId, type: AUDIT_TYPE[kind] ?? `approval.${kind}`,
    data: {
      instanceId: meta.id, gate: meta.gate, flow: meta.definitionName, nodeId: main?.nodeId ?? null,
      nodeName: main?.nodeId ? nodes.get(main.nodeId)?.name ?? null : null, taskId: main?.taskId ?? null,
      opinion: main?.opinion ?? null, targetNodeId: main?.targetNodeId ?? null, targetUserIds: main?.targetUserIds ?? [],
      steps: result.logged.map((l) => l.kind), status: st.status,
    },
    at: now, chainLocked: true,
  });
  await enqueueMany(tx, eventOutboxRows(approvalEvents(opts, main, nodes)));
}

function approvalEvents(
  opts: Parameters<typeof recordStep>[1], main: EngineLogEntry | undefined, nodes: ReturnType<typeof indexNodes>,
): DomainEvent[] {
  const { meta, result, now } = opts;
  const origin = { actor: opts.actor, at: now, cause: opts.cause };
  const base = {
    ticketId: meta.ticketId, number: meta.ticketNumber, title: meta.ticketTitle, instanceId: meta.id, gate: meta.gate,
    definitionName: meta.definitionName, initiatorId: meta.initiatorId,
  };
  const notified = (reasons: string[]) => [...new Set(result.effects.flatMap((e) =>
    (e.type === 'notify' && reasons.includes(e.reason) ? e.userIds : [])))];
  const next = notified(['task', 'transferred', 'signer_added']);
  const cc = notified(['cc']);
  const step = {
    nodeId: main?.nodeId ?? '', nodeName: main?.nodeId ? nodes.get(main.nodeId)?.name ?? main.nodeId : '',
    taskId: main?.taskId ?? null, opinion: main?.opinion ?? null,
  };
  const out: DomainEvent[] = [];
  switch (opts.action.kind) {
    case 'start': out.push(domainEvent('approval.started', { ...base, notifyUserIds: next, ccUserIds: cc }, origin)); break;
    case 'approve':
    case 'complete':
      out.push(domainEvent('approval.task_approved', { ...base, ...step, notifyUserIds: next, ccUserIds: cc }, origin)); break;
    case 'timeout':
      if (main?.kind === 'remind') out.push(domainEvent('approval.urged', { ...base, message: null, notifyUserIds: notified(['remind']) }, origin));
      else if (main?.kind === 'auto_pass') out.push(domainEvent('approval.task_approved', { ...base, ...step, notifyUserIds: next, ccUserIds: cc }, origin));
      else if (main) out.push(domainEvent('approval.task_rejected', { ...base, ...step, targetNodeId: main.targetNodeId, notifyUserIds: next }, origin));
      break;
    case 'reject':
      out.push(domainEvent('approval.task_rejected', { ...base, ...step, targetNodeId: main?.targetNodeId ?? null, notifyUserIds: next }, origin)); break;
    case 'return':
      out.push(domainEvent('approval.returned', { ...base, ...step, targetNodeId: main?.targetNodeId ?? 'initiator', notifyUserIds: next }, origin)); break;
    case 'transfer':
      out.push(domainEvent('approval.transferred', { ...base, ...step, toUserId: main!.targetUserIds[0]!, notifyUserIds: next }, origin)); break;
    case 'add_signer':
      out.push(domainEvent('approval.signer_added', {
        ...base, ...step, position: main?.targetNodeId === 'before' ? 'before' : 'after', userIds: main?.targetUserIds ?? [], notifyUserIds: next,
      }, origin)); break;
    case 'withdraw':
      out.push(domainEvent('approval.withdrawn', { ...base, reason: main?.opinion ?? null, notifyUserIds: notified(['outcome']) }, origin)); break;
    case 'urge':
      out.push(domainEvent('approval.urged', { ...base, message: main?.opinion ?? null, notifyUserIds: notified(['urge']) }, origin)); break;
    default: break;
  }
  if (result.outcome === 'approved') {
    out.push(domainEvent('approval.approved', { ...base, status: 'approved', notifyUserIds: [meta.initiatorId] }, origin));
  } else if (result.outcome === 'rejected') {
    out.push(domainEvent('approval.rejected', { ...base, status: 'rejected', opinion: result.outcomeOpinion, notifyUserIds: [meta.initiatorId] }, origin));
  }
  return out;
}
