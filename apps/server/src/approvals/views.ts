/** Read side: an instance with its path (who did what when), a ticket's instances, the workbench boxes. */
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { ApprovalBox, ApprovalBoxItem, FlowInstanceView } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db, Tx } from '../db/client.js';
import { flowActions, flowDefinitions, flowInstances, flowTasks, flowVersions, tickets, users } from '../db/schema.js';
import { notFound } from '../http/app-error.js';
import { peopleById } from '../people/people-cache.js';
import { canSeeTicket } from '../tickets/access.js';
import { actionableTasks, canWithdraw } from './engine/engine.js';
import { loadInstance, type LoadedInstance } from './act-on-instance.js';

/** Builds the view from a loaded instance (after an action: from the state just written, no reload of it). */
export async function instanceView(db: Db | Tx, loaded: LoadedInstance, actor: Actor): Promise<FlowInstanceView> {
  const { meta, state } = loaded;
  const actions = await db.select().from(flowActions).where(eq(flowActions.instanceId, meta.id)).orderBy(flowActions.id);
  const names = await peopleById(db, [...new Set(actions.flatMap((a) => (a.actorId ? [a.actorId] : [])))]);
  const me = actor.userId;
  const [version] = await db.select({ number: flowVersions.number }).from(flowVersions).where(eq(flowVersions.id, meta.versionId));
  const cur = state.route[state.current];
  return {
    id: meta.id, definitionId: meta.definitionId, definitionName: meta.definitionName, versionId: meta.versionId,
    versionNumber: Number(version?.number ?? 0), gate: meta.gate, ticketId: meta.ticketId, ticketNumber: meta.ticketNumber,
    ticketTitle: meta.ticketTitle, subjectRef: meta.subjectRef, initiatorId: meta.initiatorId, status: state.status,
    currentNodeIds: state.status === 'running' && cur ? [cur] : [], tree: meta.tree,
    tasks: state.tasks.map((t) => ({
      id: t.id, nodeId: t.nodeId, kind: t.kind, assigneeId: t.assigneeId, status: t.status, seq: t.seq, addedBy: t.addedBy,
      origin: t.origin, opinion: t.opinion, attachmentIds: t.attachmentIds, actedAt: t.actedAt, readAt: t.readAt, dueAt: t.dueAt,
    })),
    path: actions.map((a) => ({
      id: a.id,
      kind: a.kind, nodeId: a.nodeId, taskId: a.taskId, actorId: a.actorId,
      actorName: a.actorId ? names.get(a.actorId)?.displayName ?? null : null, targetUserIds: a.targetUserIds, targetNodeId: a.targetNodeId,
      opinion: a.opinion, attachmentIds: a.attachmentIds, at: a.at.toISOString(),
    })),
    startedAt: loaded.startedAt.toISOString(), endedAt: state.endedAt,
    allowed: {
      withdraw: me === meta.initiatorId && canWithdraw(state),
      urge: me === meta.initiatorId && state.status === 'running',
      taskIds: me ? actionableTasks(state, me).map((t) => t.id) : [],
    },
  };
}

/** Staff who can see the ticket, or anyone with a task in the instance. */
export function maySee(actor: Actor, loaded: LoadedInstance): boolean {
  if (actor.role === 'customer') return false;
  if (canSeeTicket(actor, loaded.ticket)) return true;
  return !!actor.userId && (loaded.state.tasks.some((t) => t.assigneeId === actor.userId) || loaded.meta.initiatorId === actor.userId);
}

export async function getInstance(db: Db, actor: Actor, id: string): Promise<FlowInstanceView> {
  return db.transaction(async (tx) => {
    const loaded = await loadInstance(tx, id, { lock: false });
    if (!maySee(actor, loaded)) throw notFound('approval');
    return instanceView(tx, loaded, actor);
  });
}

export async function ticketInstances(db: Db, actor: Actor, ticketId: string): Promise<FlowInstanceView[]> {
  const rows = await db.select({ id: flowInstances.id }).from(flowInstances).where(eq(flowInstances.ticketId, ticketId)).orderBy(desc(flowInstances.startedAt)).limit(20);
  const out: FlowInstanceView[] = [];
  for (const r of rows) {
    try { out.push(await getInstance(db, actor, r.id)); } catch { /* not visible */ }
  }
  return out;
}

/** Keyset cursor: `<ISO time>|<task id>`. */
function parseCursor(c: string | undefined): { at: Date; id: string } | null {
  if (!c) return null;
  const [at, id] = c.split('|');
  if (!at || !id || Number.isNaN(Date.parse(at))) return null;
  return { at: new Date(at), id };
}

/**
 * The boxes, newest first, each on its partial index: todo (running approval/handler tasks:
 * flow_tasks_todo_idx), done (acted by me, not automatic: flow_tasks_done_idx), cc (flow_tasks_cc_idx).
 */
export async function approvalBox(db: Db, actor: Actor, q: { box: ApprovalBox; cursor?: string; limit: number }) {
  const me = actor.userId;
  if (!me) return { items: [], nextCursor: null, todoCount: 0 };
  const col = q.box === 'todo' ? flowTasks.startedAt : q.box === 'done' ? flowTasks.actedAt : flowTasks.createdAt;
  const boxWhere = q.box === 'todo' ? sql`${flowTasks.status} = 'running' and ${flowTasks.kind} <> 'cc'`
    : q.box === 'done' ? sql`${flowTasks.actedAt} is not null and not ${flowTasks.auto} and ${flowTasks.kind} <> 'cc'`
      : sql`${flowTasks.kind} = 'cc'`;
  const cur = parseCursor(q.cursor);
  const rows = await db.select({
    taskId: flowTasks.id, instanceId: flowTasks.instanceId, nodeId: flowTasks.nodeId, nodeName: flowTasks.nodeName,
    taskStatus: flowTasks.status, instanceStatus: flowInstances.status, gate: flowInstances.gate, definitionName: flowDefinitions.name,
    ticketId: flowTasks.ticketId, ticketNumber: tickets.number, ticketTitle: tickets.title, initiatorId: flowInstances.initiatorId,
    initiatorName: users.displayName, at: col, readAt: flowTasks.readAt,
  }).from(flowTasks)
    .innerJoin(flowInstances, eq(flowInstances.id, flowTasks.instanceId))
    .innerJoin(flowDefinitions, eq(flowDefinitions.id, flowInstances.definitionId))
    .innerJoin(tickets, eq(tickets.id, flowTasks.ticketId))
    .innerJoin(users, eq(users.id, flowInstances.initiatorId))
    .where(and(eq(flowTasks.assigneeId, me), boxWhere,
      cur ? or(lt(col, cur.at), and(eq(col, cur.at), lt(flowTasks.id, cur.id))) : undefined))
    .orderBy(desc(col), desc(flowTasks.id))
    .limit(q.limit + 1);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(flowTasks)
    .where(and(eq(flowTasks.assigneeId, me), sql`${flowTasks.status} = 'running' and ${flowTasks.kind} <> 'cc'`));
  const page = rows.slice(0, q.limit);
  const items: ApprovalBoxItem[] = page.map((r) => ({
    ...r, at: (r.at ?? new Date(0)).toISOString(), readAt: r.readAt?.toISOString() ?? null,
  }));
  const last = page[page.length - 1];
  return {
    items, todoCount: Number(count?.n ?? 0),
    nextCursor: rows.length > q.limit && last ? `${(last.at ?? new Date(0)).toISOString()}|${last.taskId}` : null,
  };
}
