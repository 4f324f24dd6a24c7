/**
 * The flow engine (SPEC Appendix A) as pure functions: `startInstance` creates the initial state,
 * `act` applies one action and returns the new state with its effects (notifications, timers)
 * and the outcome when the instance ended. Approvers come from an injected Directory; time and
 * ids from the context. State is copied, never mutated in place.
 */
import type { ApproverNode, AssigneeSource, FlowNode, HandlerNode } from '@closeloop/contract';
import { URGE_LIMIT_PER_HOUR } from '@closeloop/contract';
import { computeRoute, indexNodes } from './route.js';
import {
  EngineRefusal, type EngineAction, type EngineContext, type EngineEffect, type EngineLogEntry,
  type EngineResult, type EngineState, type EngineTask, type TaskOrigin,
} from './types.js';

const HOUR = 3_600_000;
type WorkNode = ApproverNode | HandlerNode;

/** Resolves assignee sources to distinct active staff user ids, in source order. */
export function resolveAssignees(sources: readonly AssigneeSource[], ctx: EngineContext, initiatorId: string): string[] {
  const out: string[] = [];
  const add = (id: string | null | undefined) => {
    if (id && !out.includes(id) && ctx.directory.isActiveStaff(id)) out.push(id);
  };
  for (const s of sources) {
    switch (s.kind) {
      case 'users': s.userIds.forEach(add); break;
      case 'role': ctx.directory.usersWithRole(s.role, s.departmentId ?? null).forEach(add); break;
      case 'department_head':
        if (ctx.ticketDepartmentId) add(ctx.directory.departmentHead(ctx.ticketDepartmentId, s.levelsUp ?? 0));
        break;
      case 'initiator_manager': {
        const dept = ctx.directory.departmentOf(initiatorId);
        if (!dept) break;
        let head = ctx.directory.departmentHead(dept, s.levelsUp ?? 0);
        // The initiator heads their own department: their manager is the next level up.
        if (head === initiatorId) head = ctx.directory.departmentHead(dept, (s.levelsUp ?? 0) + 1);
        add(head);
        break;
      }
      case 'person_field': {
        const v = ctx.fields[s.field];
        if (Array.isArray(v)) v.forEach(add);
        else if (typeof v === 'string') add(v);
        break;
      }
    }
  }
  return out;
}

/** A mutable working copy for one step. */
class Step {
  readonly s: EngineState;
  readonly effects: EngineEffect[] = [];
  readonly logged: EngineLogEntry[] = [];
  readonly changed = new Set<string>();
  readonly nodes: Map<string, FlowNode>;
  outcome: EngineResult['outcome'] = null;
  endOpinion: string | null = null;
  readonly nowIso: string;

  constructor(state: EngineState, readonly ctx: EngineContext) {
    this.s = structuredClone(state);
    this.nodes = indexNodes(ctx.tree);
    this.nowIso = ctx.now.toISOString();
  }

  result(): EngineResult {
    return { state: this.s, effects: this.effects, outcome: this.outcome, outcomeOpinion: this.endOpinion, logged: this.logged, changedTaskIds: [...this.changed] };
  }

  log(e: Partial<EngineLogEntry> & Pick<EngineLogEntry, 'kind'>) {
    const entry: EngineLogEntry = {
      nodeId: null, taskId: null, actorId: null, targetUserIds: [], targetNodeId: null, opinion: null, attachmentIds: [],
      at: this.nowIso, ...e,
    };
    this.s.log.push(entry);
    this.logged.push(entry);
  }

  notify(reason: Extract<EngineEffect, { type: 'notify' }>['reason'], userIds: string[], nodeId: string | null) {
    const ids = [...new Set(userIds)];
    if (ids.length) this.effects.push({ type: 'notify', reason, userIds: ids, nodeId });
  }

  node(id: string): FlowNode {
    const n = this.nodes.get(id);
    if (!n) throw new EngineRefusal('NOT_FOUND', `node ${id} is not in this flow`);
    return n;
  }

  currentNodeId(): string | null {
    return this.s.route[this.s.current] ?? null;
  }

  tasksOf(nodeId: string, round = this.s.rounds[nodeId] ?? 0): EngineTask[] {
    return this.s.tasks.filter((t) => t.nodeId === nodeId && t.round === round);
  }

  touch(t: EngineTask) { this.changed.add(t.id); }

  makeTask(nodeId: string, assigneeId: string, opts: {
    kind: EngineTask['kind']; seq: number; origin: TaskOrigin; running: boolean; parentTaskId?: string | null; addedBy?: string | null;
  }): EngineTask {
    const t: EngineTask = {
      id: this.ctx.newId(), nodeId, round: this.s.rounds[nodeId] ?? 0, kind: opts.kind, assigneeId,
      status: opts.running ? 'running' : 'waiting', seq: opts.seq, origin: opts.origin,
      parentTaskId: opts.parentTaskId ?? null, addedBy: opts.addedBy ?? null, opinion: null, attachmentIds: [],
      startedAt: opts.running ? this.nowIso : null, actedAt: null, auto: false, readAt: null, dueAt: null,
    };
    this.s.tasks.push(t);
    this.touch(t);
    if (opts.running) this.started(t);
    return t;
  }

  /** A task became running: timer for the node's timeout. */
  started(t: EngineTask) {
    t.status = 'running';
    t.startedAt = this.nowIso;
    this.touch(t);
    const n = this.nodes.get(t.nodeId);
    if (n && (n.kind === 'approver' || n.kind === 'handler') && n.timeout) {
      t.dueAt = this.ctx.dueAt(this.ctx.now, n.timeout.businessHours).toISOString();
      this.effects.push({ type: 'timer', taskId: t.id, at: t.dueAt });
    }
  }

  close(t: EngineTask, status: EngineTask['status'], opts: { opinion?: string | null; attachmentIds?: string[]; auto?: boolean } = {}) {
    t.status = status;
    t.actedAt = this.nowIso;
    t.opinion = opts.opinion ?? t.opinion;
    t.attachmentIds = opts.attachmentIds ?? t.attachmentIds;
    t.auto = opts.auto ?? false;
    this.touch(t);
  }

  /** Cancels whatever still waits or runs on a node's current round. */
  cancelOpen(nodeId: string, status: 'cancelled' | 'returned' = 'cancelled') {
    for (const t of this.tasksOf(nodeId)) {
      if (t.status === 'running' || t.status === 'waiting') { t.status = status; this.touch(t); }
    }
  }

  end(outcome: NonNullable<EngineResult['outcome']>, opinion: string | null = null) {
    for (const t of this.s.tasks) {
      if (t.status === 'running' || t.status === 'waiting') { t.status = 'cancelled'; this.touch(t); }
    }
    this.s.status = outcome;
    this.s.current = this.s.route.length;
    this.s.endedAt = this.nowIso;
    this.outcome = outcome;
    this.endOpinion = opinion;
    this.notify('outcome', [this.s.initiatorId], null);
  }

  /** Enters route[index] (and runs on through nodes that pass at once). */
  enter(index: number, opts: { atStart?: boolean } = {}): 'ok' | 'refused' {
    let i = index;
    for (;;) {
      this.s.current = i;
      if (i >= this.s.route.length) { this.end('approved'); return 'ok'; }
      const id = this.s.route[i]!;
      const n = this.node(id);
      this.s.rounds[id] = (this.s.rounds[id] ?? 0) + 1;
      if (n.kind === 'cc') {
        const to = resolveAssignees(n.recipients, this.ctx, this.s.initiatorId);
        for (const [k, u] of to.entries()) {
          const t = this.makeTask(id, u, { kind: 'cc', seq: k, origin: 'node', running: false });
          t.status = 'approved';
          t.startedAt = this.nowIso;
        }
        this.notify('cc', to, id);
        i += 1;
        continue;
      }
      if (n.kind === 'condition') { i += 1; continue; } // never on a route; defensive
      const r = this.activate(n, opts.atStart ?? false);
      if (r === 'refused') return 'refused';
      if (r === 'passed') { i += 1; continue; }
      return 'ok';
    }
  }

  /** Creates a work node's tasks. `passed`: nothing to wait for (auto-pass, skip, dedupe). */
  activate(n: WorkNode, atStart: boolean): 'running' | 'passed' | 'refused' {
    const kind = n.kind === 'approver' ? 'approve' : 'handle';
    const sources = n.kind === 'approver' ? n.approvers : n.handlers;
    let people = resolveAssignees(sources, this.ctx, this.s.initiatorId);
    let origin: TaskOrigin = 'node';
    if (!people.length) {
      if (n.onEmpty === 'auto_pass') {
        this.log({ kind: 'auto_pass', nodeId: n.id, opinion: 'no approver found' });
        return 'passed';
      }
      if (n.onEmpty === 'refuse' && atStart) return 'refused';
      people = [this.s.adminUserId];
      origin = 'admin';
      this.log({ kind: 'to_admin', nodeId: n.id, targetUserIds: people });
    }
    const selfSkip = n.kind === 'approver' && n.onSelf === 'skip';
    const dedupe = n.kind === 'approver' && n.dedupe;
    const approvedBefore = new Set(this.s.tasks.filter((t) => t.kind === 'approve' && t.status === 'approved' && !t.auto).map((t) => t.assigneeId));
    const tasks: EngineTask[] = [];
    for (const [k, u] of people.entries()) {
      const t = this.makeTask(n.id, u, { kind, seq: k, origin, running: false });
      tasks.push(t);
      if (selfSkip && u === this.s.initiatorId) {
        this.close(t, 'skipped', { auto: true, opinion: 'approver is the initiator' });
        this.log({ kind: 'skip', nodeId: n.id, taskId: t.id, targetUserIds: [u] });
      } else if (dedupe && approvedBefore.has(u)) {
        this.close(t, 'approved', { auto: true, opinion: 'already approved earlier in this flow' });
        this.log({ kind: 'auto_pass', nodeId: n.id, taskId: t.id, targetUserIds: [u], opinion: 'dedupe' });
      }
    }
    const open = tasks.filter((t) => t.status === 'waiting');
    const passedOne = tasks.some((t) => t.status === 'approved');
    if (!open.length || (n.mode === 'any' && passedOne)) {
      for (const t of open) { t.status = 'skipped'; t.auto = true; t.actedAt = this.nowIso; }
      return 'passed';
    }
    const toStart = n.mode === 'sequential' ? [open[0]!] : open;
    for (const t of toStart) this.started(t);
    this.notify('task', toStart.map((t) => t.assigneeId), n.id);
    return 'running';
  }

  /** After a change on the current node: pass it, start the next in line, or wait. */
  settle() {
    const id = this.currentNodeId();
    if (!id || this.s.status !== 'running') return;
    const n = this.node(id);
    if (n.kind !== 'approver' && n.kind !== 'handler') return;
    const tasks = this.tasksOf(id);
    // Signers added before a task: when all approved, the task comes back to its holder.
    for (const t of tasks) {
      if (t.status !== 'waiting' || !t.startedAt) continue;
      const before = tasks.filter((c) => c.parentTaskId === t.id && c.origin === 'add_before');
      if (before.length && before.every((c) => c.status === 'approved')) {
        this.started(t);
        this.notify('task', [t.assigneeId], id);
      }
    }
    const primary = tasks.filter((t) => t.origin === 'node' || t.origin === 'transfer' || t.origin === 'admin');
    const effective = (t: EngineTask) => t.status === 'approved'
      && tasks.filter((c) => c.parentTaskId === t.id && c.origin === 'add_after').every((c) => c.status === 'approved');
    const done = (t: EngineTask) => effective(t) || t.status === 'skipped';
    const live = primary.filter((t) => t.status !== 'cancelled');
    let passed: boolean;
    if (n.mode === 'any') passed = live.some(effective);
    else passed = live.every(done);
    if (passed) {
      this.cancelOpen(id);
      this.enter(this.s.current + 1);
      return;
    }
    if (n.mode === 'sequential') {
      const busy = live.some((t) => t.status === 'running'
        || (t.status === 'waiting' && t.startedAt !== null)
        || (t.status === 'approved' && !effective(t)));
      if (!busy) {
        const next = live.filter((t) => t.status === 'waiting' && !t.startedAt).sort((a, b) => a.seq - b.seq)[0];
        if (next) { this.started(next); this.notify('task', [next.assigneeId], id); }
      }
    }
  }

  /** Where a rejection at the current node goes: an earlier route index, or null (the initiator). */
  rejectTarget(n: ApproverNode, targetNodeId: string | undefined): number | null {
    const here = this.s.current;
    const earlierApprover = (id: string) => {
      const i = this.s.route.indexOf(id);
      return i >= 0 && i < here && this.nodes.get(id)?.kind === 'approver' ? i : -1;
    };
    if (n.rejectTo.kind === 'initiator') {
      if (targetNodeId) throw new EngineRefusal('VALIDATION_FAILED', 'targetNodeId: this node rejects to the initiator', 'targetNodeId');
      return null;
    }
    if (n.rejectTo.kind === 'previous') {
      if (targetNodeId) throw new EngineRefusal('VALIDATION_FAILED', 'targetNodeId: this node rejects to the previous node', 'targetNodeId');
      for (let i = here - 1; i >= 0; i--) if (this.nodes.get(this.s.route[i]!)?.kind === 'approver') return i;
      return null;
    }
    if (!targetNodeId || targetNodeId === 'initiator') return null;
    if (!n.rejectTo.nodeIds.includes(targetNodeId) || earlierApprover(targetNodeId) < 0) {
      throw new EngineRefusal('VALIDATION_FAILED', `targetNodeId: ${targetNodeId} is not a node this rejection may go to`, 'targetNodeId');
    }
    return earlierApprover(targetNodeId);
  }

  /** Goes back to an earlier route index: the current node's open tasks end, the target starts again. */
  back(index: number) {
    const id = this.currentNodeId();
    if (id) this.cancelOpen(id);
    this.enter(index);
  }
}

function taskFor(step: Step, taskId: string, actorId: string | null): EngineTask {
  const t = step.s.tasks.find((x) => x.id === taskId);
  if (!t) throw new EngineRefusal('NOT_FOUND', 'no such task');
  if (actorId !== null && t.assigneeId !== actorId) throw new EngineRefusal('FORBIDDEN', 'this task is not yours');
  if (step.s.status !== 'running') throw new EngineRefusal('INVALID_TRANSITION', `the approval has ended (${step.s.status})`);
  if (t.kind === 'cc') throw new EngineRefusal('INVALID_TRANSITION', 'a cc recipient only reads');
  if (t.status !== 'running') throw new EngineRefusal('INVALID_TRANSITION', `the task is ${t.status}, not running`);
  if (t.nodeId !== step.currentNodeId()) throw new EngineRefusal('INVALID_TRANSITION', 'the task is not on the current node');
  return t;
}

export interface StartResult extends EngineResult { refused: boolean }

/** Starts an instance: resolves the route and enters the first node. `refused`: an empty-approver rule refused it. */
export function startInstance(opts: { initiatorId: string; adminUserId: string }, ctx: EngineContext): StartResult {
  const empty: EngineState = {
    status: 'running', initiatorId: opts.initiatorId, adminUserId: opts.adminUserId,
    route: computeRoute(ctx.tree, ctx.fields), current: 0, rounds: {}, tasks: [], log: [], urges: [], endedAt: null,
  };
  const step = new Step(empty, ctx);
  step.log({ kind: 'start', actorId: opts.initiatorId });
  const r = step.enter(0, { atStart: true });
  return { ...step.result(), refused: r === 'refused' };
}

/** Applies one action. Throws EngineRefusal (nothing changed) when it is not allowed. */
export function act(state: EngineState, action: EngineAction, ctx: EngineContext): EngineResult {
  const step = new Step(state, ctx);
  switch (action.kind) {
    case 'approve':
    case 'complete': {
      const t = taskFor(step, action.taskId, action.actorId);
      if (action.kind === 'approve' && t.kind !== 'approve') throw new EngineRefusal('INVALID_TRANSITION', 'a handler task is completed, not approved');
      if (action.kind === 'complete' && t.kind !== 'handle') throw new EngineRefusal('INVALID_TRANSITION', 'an approval task is approved, not completed');
      step.close(t, 'approved', { opinion: action.opinion ?? null, attachmentIds: action.attachmentIds ?? [] });
      step.log({ kind: action.kind, nodeId: t.nodeId, taskId: t.id, actorId: action.actorId, opinion: action.opinion ?? null, attachmentIds: action.attachmentIds ?? [] });
      step.settle();
      break;
    }
    case 'reject': {
      const t = taskFor(step, action.taskId, action.actorId);
      if (t.kind !== 'approve') throw new EngineRefusal('INVALID_TRANSITION', 'a handler cannot reject');
      if (!action.opinion.trim()) throw new EngineRefusal('VALIDATION_FAILED', 'opinion: a rejection needs an opinion', 'opinion');
      rejectAt(step, t, action.actorId, action.opinion, action.attachmentIds ?? [], action.targetNodeId);
      break;
    }
    case 'return': {
      const t = taskFor(step, action.taskId, action.actorId);
      if (!action.opinion.trim()) throw new EngineRefusal('VALIDATION_FAILED', 'opinion: a return needs an opinion', 'opinion');
      let target: number | null = null;
      if (action.targetNodeId !== 'initiator') {
        const i = step.s.route.indexOf(action.targetNodeId);
        const k = step.nodes.get(action.targetNodeId)?.kind;
        if (i < 0 || i >= step.s.current || (k !== 'approver' && k !== 'handler')) {
          throw new EngineRefusal('VALIDATION_FAILED', `targetNodeId: ${action.targetNodeId} is not an earlier node of this approval`, 'targetNodeId');
        }
        target = i;
      }
      step.close(t, 'returned', { opinion: action.opinion });
      step.log({ kind: 'return', nodeId: t.nodeId, taskId: t.id, actorId: action.actorId, opinion: action.opinion, targetNodeId: action.targetNodeId });
      if (target === null) step.end('rejected', action.opinion);
      else step.back(target);
      break;
    }
    case 'transfer': {
      const t = taskFor(step, action.taskId, action.actorId);
      if (action.userId === t.assigneeId) throw new EngineRefusal('VALIDATION_FAILED', 'userId: the task is already theirs', 'userId');
      if (!ctx.directory.isActiveStaff(action.userId)) throw new EngineRefusal('VALIDATION_FAILED', 'userId: not an active staff user', 'userId');
      const holders = step.tasksOf(t.nodeId).filter((x) => x.status === 'running' || x.status === 'waiting');
      if (holders.some((x) => x.assigneeId === action.userId)) {
        throw new EngineRefusal('VALIDATION_FAILED', 'userId: they already hold a task on this node', 'userId');
      }
      step.close(t, 'cancelled', { opinion: action.opinion ?? null });
      const n = step.makeTask(t.nodeId, action.userId, {
        kind: t.kind, seq: t.seq, origin: t.origin === 'node' || t.origin === 'admin' ? 'transfer' : t.origin,
        running: true, parentTaskId: t.origin === 'add_before' || t.origin === 'add_after' ? t.parentTaskId : t.id,
        addedBy: action.actorId,
      });
      // Signers added before this task now wait for the new holder's task.
      for (const c of step.s.tasks) if (c.parentTaskId === t.id && c.id !== n.id) { c.parentTaskId = n.id; step.touch(c); }
      step.log({ kind: 'transfer', nodeId: t.nodeId, taskId: t.id, actorId: action.actorId, targetUserIds: [action.userId], opinion: action.opinion ?? null });
      step.notify('transferred', [action.userId], t.nodeId);
      break;
    }
    case 'add_signer': {
      const t = taskFor(step, action.taskId, action.actorId);
      if (t.origin === 'add_before' || t.origin === 'add_after') throw new EngineRefusal('FORBIDDEN', 'an added signer cannot add more signers');
      const users = [...new Set(action.userIds)];
      const holders = new Set(step.tasksOf(t.nodeId).filter((x) => x.status === 'running' || x.status === 'waiting').map((x) => x.assigneeId));
      for (const u of users) {
        if (u === t.assigneeId || holders.has(u)) throw new EngineRefusal('VALIDATION_FAILED', 'userIds: someone already holds a task on this node', 'userIds');
        if (!ctx.directory.isActiveStaff(u)) throw new EngineRefusal('VALIDATION_FAILED', 'userIds: not an active staff user', 'userIds');
      }
      const origin = action.position === 'before' ? 'add_before' : 'add_after';
      if (action.position === 'before') {
        t.status = 'waiting'; // comes back to its holder after the added people approve
        step.touch(t);
      } else {
        step.close(t, 'approved', { opinion: action.opinion ?? null });
      }
      for (const [k, u] of users.entries()) {
        step.makeTask(t.nodeId, u, { kind: t.kind, seq: t.seq * 100 + k + 1, origin, running: true, parentTaskId: t.id, addedBy: action.actorId });
      }
      step.log({ kind: 'add_signer', nodeId: t.nodeId, taskId: t.id, actorId: action.actorId, targetUserIds: users, opinion: action.opinion ?? null, targetNodeId: action.position });
      step.notify('signer_added', users, t.nodeId);
      break;
    }
    case 'withdraw': {
      if (step.s.status !== 'running') throw new EngineRefusal('INVALID_TRANSITION', `the approval has ended (${step.s.status})`);
      if (action.actorId !== step.s.initiatorId) throw new EngineRefusal('FORBIDDEN', 'only the initiator may withdraw');
      const id = step.currentNodeId();
      const acted = id ? nodeActedOn(step.tasksOf(id)) : false;
      if (acted) throw new EngineRefusal('INVALID_TRANSITION', 'someone has already acted on the current node: it can no longer be withdrawn');
      const notify = id ? step.tasksOf(id).filter((t) => t.status === 'running').map((t) => t.assigneeId) : [];
      step.log({ kind: 'withdraw', nodeId: id, actorId: action.actorId, opinion: action.reason ?? null });
      step.end('cancelled');
      step.effects.length = 0;
      step.notify('outcome', notify, id);
      break;
    }
    case 'urge': {
      if (step.s.status !== 'running') throw new EngineRefusal('INVALID_TRANSITION', `the approval has ended (${step.s.status})`);
      if (action.actorId !== step.s.initiatorId) throw new EngineRefusal('FORBIDDEN', 'only the initiator may urge');
      const since = ctx.now.getTime() - HOUR;
      const recent = step.s.urges.filter((u) => Date.parse(u) > since);
      if (recent.length >= URGE_LIMIT_PER_HOUR) {
        throw new EngineRefusal('RATE_LIMITED', `at most ${URGE_LIMIT_PER_HOUR} reminders per hour`);
      }
      step.s.urges = [...recent, step.nowIso];
      const id = step.currentNodeId();
      const to = id ? step.tasksOf(id).filter((t) => t.status === 'running').map((t) => t.assigneeId) : [];
      step.log({ kind: 'urge', nodeId: id, actorId: action.actorId, targetUserIds: to, opinion: action.message ?? null });
      step.notify('urge', to, id);
      break;
    }
    case 'cc_read': {
      const t = step.s.tasks.find((x) => x.id === action.taskId);
      if (!t) throw new EngineRefusal('NOT_FOUND', 'no such task');
      if (t.kind !== 'cc') throw new EngineRefusal('INVALID_TRANSITION', 'not a cc task');
      if (t.assigneeId !== action.actorId) throw new EngineRefusal('FORBIDDEN', 'this cc is not yours');
      if (!t.readAt) {
        t.readAt = step.nowIso;
        step.touch(t);
        step.log({ kind: 'cc_read', nodeId: t.nodeId, taskId: t.id, actorId: action.actorId });
      }
      break;
    }
    case 'timeout': {
      const t = step.s.tasks.find((x) => x.id === action.taskId);
      // A timer of a task that was acted on meanwhile does nothing.
      if (!t || t.status !== 'running' || step.s.status !== 'running' || t.nodeId !== step.currentNodeId()) break;
      if (!t.dueAt || Date.parse(t.dueAt) > ctx.now.getTime()) break;
      const n = step.node(t.nodeId);
      if (n.kind !== 'approver' && n.kind !== 'handler') break;
      const what = n.timeout?.action ?? 'remind';
      if (what === 'remind') {
        t.dueAt = null; // once
        step.touch(t);
        step.log({ kind: 'remind', nodeId: t.nodeId, taskId: t.id, targetUserIds: [t.assigneeId] });
        step.notify('remind', [t.assigneeId], t.nodeId);
      } else if (what === 'auto_pass' || n.kind === 'handler') {
        step.close(t, 'approved', { auto: true, opinion: 'timeout: approved automatically' });
        step.log({ kind: 'auto_pass', nodeId: t.nodeId, taskId: t.id, opinion: 'timeout' });
        step.settle();
      } else {
        rejectAt(step, t, null, 'timeout: rejected automatically', [], undefined, true);
      }
      break;
    }
  }
  return step.result();
}

function rejectAt(step: Step, t: EngineTask, actorId: string | null, opinion: string, attachmentIds: string[], targetNodeId: string | undefined, auto = false) {
  const n = step.node(t.nodeId) as ApproverNode;
  const target = auto && n.rejectTo.kind === 'nodes' ? null : step.rejectTarget(n, targetNodeId);
  step.close(t, 'rejected', { opinion, attachmentIds, auto });
  step.log({
    kind: auto ? 'auto_reject' : 'reject', nodeId: t.nodeId, taskId: t.id, actorId, opinion, attachmentIds,
    targetNodeId: target === null ? 'initiator' : step.s.route[target]!,
  });
  if (target === null) step.end('rejected', opinion);
  else step.back(target);
}

/** The running tasks a user may act on now. */
export function actionableTasks(state: EngineState, userId: string): EngineTask[] {
  if (state.status !== 'running') return [];
  const cur = state.route[state.current];
  return state.tasks.filter((t) => t.assigneeId === userId && t.status === 'running' && t.nodeId === cur && t.kind !== 'cc');
}

/** Whether the initiator may still withdraw (no one acted on the current node). */
export function canWithdraw(state: EngineState): boolean {
  if (state.status !== 'running') return false;
  const cur = state.route[state.current];
  const round = cur ? state.rounds[cur] ?? 0 : 0;
  return !nodeActedOn(state.tasks.filter((t) => t.nodeId === cur && t.round === round));
}

/** Someone acted on these tasks (approve, reject, transfer, add signer); system passes do not count. */
function nodeActedOn(tasks: readonly EngineTask[]): boolean {
  return tasks.some((t) => (t.actedAt !== null && !t.auto) || t.origin === 'add_before' || t.origin === 'add_after' || t.origin === 'transfer');
}
