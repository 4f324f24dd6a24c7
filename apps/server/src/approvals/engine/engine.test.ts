import { describe, expect, it } from 'vitest';
import type { FlowNodeInput } from '@closeloop/contract';
import { act, actionableTasks, canWithdraw, startInstance } from './engine.js';
import { context, directory, tree, type Person } from './fixtures.js';
import { EngineRefusal, type EngineAction, type EngineContext, type EngineResult, type EngineState } from './types.js';

const people: Person[] = [
  { id: 'init', role: 'handler', dept: 'qa' },
  { id: 'qm', role: 'manager', dept: 'qa' }, // 质量经理
  { id: 'cto', role: 'manager', dept: 'tech' }, // 技术总监
  { id: 'cfo', role: 'manager', dept: 'fin' }, // 财务总监
  { id: 'cs', role: 'manager', dept: 'cs' }, // 客服主管
  { id: 'a', role: 'verifier', dept: 'qa' },
  { id: 'b', role: 'verifier', dept: 'qa' },
  { id: 'c', role: 'verifier', dept: 'qa' },
  { id: 'd', role: 'agent', dept: 'cs' },
  { id: 'admin', role: 'admin', dept: null },
];
const depts = [
  { id: 'root', parent: null, head: 'cto' },
  { id: 'qa', parent: 'root', head: 'qm' },
  { id: 'cs', parent: 'root', head: 'cs' },
];
const dir = directory(people, depts);

const approver = (id: string, userIds: string[], extra: Record<string, unknown> = {}): FlowNodeInput =>
  ({ id, name: id, kind: 'approver', approvers: [{ kind: 'users', userIds }], ...extra }) as FlowNodeInput;

function run(nodes: FlowNodeInput[], opts: Parameters<typeof context>[2] = {}) {
  const ctx = context(tree(nodes), dir, opts);
  const started = startInstance({ initiatorId: 'init', adminUserId: 'admin' }, ctx);
  let state = started.state;
  let last: EngineResult = started;
  const taskOf = (user: string) => {
    const t = actionableTasks(state, user)[0];
    if (!t) throw new Error(`${user} has no running task`);
    return t.id;
  };
  const doAct = (action: EngineAction, c: EngineContext = ctx) => {
    last = act(state, action, c);
    state = last.state;
    return last;
  };
  return {
    ctx, started,
    get state(): EngineState { return state; },
    get last() { return last; },
    taskOf,
    approve: (u: string, opinion?: string) => doAct({ kind: 'approve', taskId: taskOf(u), actorId: u, opinion }),
    reject: (u: string, opinion = '不行', targetNodeId?: string) => doAct({ kind: 'reject', taskId: taskOf(u), actorId: u, opinion, targetNodeId }),
    act: doAct,
    running: () => state.tasks.filter((t) => t.status === 'running').map((t) => t.assigneeId).sort(),
  };
}

const refusal = (f: () => unknown) => {
  try { f(); } catch (e) { if (e instanceof EngineRefusal) return e.code; throw e; }
  return null;
};

describe('approver modes', () => {
  it('依次 sequential: one after another, the node passes when the last approves', () => {
    const r = run([approver('n1', ['a', 'b', 'c'], { mode: 'sequential' })]);
    expect(r.running()).toEqual(['a']);
    expect(refusal(() => r.act({ kind: 'approve', taskId: r.state.tasks[1]!.id, actorId: 'b' }))).toBe('INVALID_TRANSITION');
    r.approve('a');
    expect(r.running()).toEqual(['b']);
    expect(r.last.effects).toContainEqual({ type: 'notify', reason: 'task', userIds: ['b'], nodeId: 'n1' });
    r.approve('b');
    r.approve('c');
    expect(r.state.status).toBe('approved');
    expect(r.last.outcome).toBe('approved');
  });

  it('会签 all-must where one rejects: the instance is rejected, the others are cancelled', () => {
    const r = run([approver('n1', ['a', 'b', 'c'], { mode: 'all' })]);
    expect(r.running()).toEqual(['a', 'b', 'c']);
    r.approve('a');
    expect(r.state.status).toBe('running');
    r.reject('b', '成本太高');
    expect(r.state.status).toBe('rejected');
    expect(r.last.outcome).toBe('rejected');
    expect(r.last.outcomeOpinion).toBe('成本太高');
    expect(r.state.tasks.map((t) => t.status)).toEqual(['approved', 'rejected', 'cancelled']);
  });

  it('会签 passes only when all approved', () => {
    const r = run([approver('n1', ['a', 'b'], { mode: 'all' }), approver('n2', ['cto'])]);
    r.approve('b');
    expect(r.running()).toEqual(['a']);
    r.approve('a');
    expect(r.running()).toEqual(['cto']);
  });

  it('或签 any-one where the second approver acts first: they decide, the first can no longer act', () => {
    const r = run([approver('n1', ['a', 'b'], { mode: 'any' }), approver('n2', ['cto'])]);
    const aTask = r.taskOf('a');
    r.approve('b');
    expect(r.running()).toEqual(['cto']);
    expect(r.state.tasks.find((t) => t.id === aTask)!.status).toBe('cancelled');
    expect(refusal(() => r.act({ kind: 'approve', taskId: aTask, actorId: 'a' }))).toBe('INVALID_TRANSITION');
  });

  it('或签 reject by the first to act rejects the node', () => {
    const r = run([approver('n1', ['a', 'b'], { mode: 'any' })]);
    r.reject('b');
    expect(r.state.status).toBe('rejected');
  });
});

describe('assignee sources', () => {
  it('department head N levels up, the initiator manager, a role, a person field', () => {
    const r = run([
      { id: 'h0', name: 'h0', kind: 'approver', approvers: [{ kind: 'department_head', levelsUp: 0 }] },
      { id: 'h1', name: 'h1', kind: 'approver', approvers: [{ kind: 'department_head', levelsUp: 1 }] },
      { id: 'm', name: 'm', kind: 'approver', approvers: [{ kind: 'initiator_manager' }], mode: 'any' },
      { id: 'r', name: 'r', kind: 'approver', approvers: [{ kind: 'role', role: 'verifier', departmentId: null }], mode: 'all' },
      { id: 'p', name: 'p', kind: 'approver', approvers: [{ kind: 'person_field', field: 'form.reviewer' }] },
    ], { dept: 'cs', fields: { 'form.reviewer': 'd' } });
    expect(r.running()).toEqual(['cs']);
    r.approve('cs');
    expect(r.running()).toEqual(['cto']);
    r.approve('cto');
    expect(r.running()).toEqual(['qm']); // init is in qa, headed by qm
    r.approve('qm');
    expect(r.running()).toEqual(['a', 'b', 'c']);
    r.approve('a'); r.approve('b'); r.approve('c');
    expect(r.running()).toEqual(['d']);
  });

  it('empty approver → the flow admin', () => {
    const r = run([{ id: 'n1', name: 'n1', kind: 'approver', approvers: [{ kind: 'person_field', field: 'form.nobody' }], onEmpty: 'to_admin' }]);
    expect(r.running()).toEqual(['admin']);
    expect(r.state.tasks[0]!.origin).toBe('admin');
    expect(r.state.log.map((l) => l.kind)).toContain('to_admin');
    r.approve('admin');
    expect(r.state.status).toBe('approved');
  });

  it('empty approver: auto-pass passes the node; refuse refuses the submission', () => {
    const empty = [{ kind: 'person_field', field: 'form.nobody' }];
    const pass = run([{ id: 'n1', name: 'n1', kind: 'approver', approvers: empty, onEmpty: 'auto_pass' } as FlowNodeInput, approver('n2', ['cto'])]);
    expect(pass.running()).toEqual(['cto']);
    const refused = run([{ id: 'n1', name: 'n1', kind: 'approver', approvers: empty, onEmpty: 'refuse' } as FlowNodeInput]);
    expect(refused.started.refused).toBe(true);
  });

  it('approver = initiator: skipped (auto-pass as the only approver); or approves themselves', () => {
    const skip = run([approver('n1', ['init'], { onSelf: 'skip' }), approver('n2', ['init', 'a'], { onSelf: 'skip', mode: 'all' })]);
    expect(skip.state.tasks[0]!.status).toBe('skipped');
    expect(skip.running()).toEqual(['a']);
    skip.approve('a');
    expect(skip.state.status).toBe('approved');
    const self = run([approver('n1', ['init'], { onSelf: 'self_approve' })]);
    expect(self.running()).toEqual(['init']);
  });

  it('dedupe: someone who already approved is auto-passed later', () => {
    const r = run([approver('n1', ['qm']), approver('n2', ['qm', 'cto'], { mode: 'all', dedupe: true })]);
    r.approve('qm');
    expect(r.running()).toEqual(['cto']);
  });
});

describe('condition branches', () => {
  const flow: FlowNodeInput[] = [{
    id: 'c1', name: '金额', kind: 'condition', branches: [
      { id: 'big', name: '> 1000', conditions: [{ type: 'number', field: 'subject.amount', op: 'gt', value: 1000 }], nodes: [approver('fin', ['cfo'])] },
      { id: 'else', name: '其他', isDefault: true, nodes: [approver('cs', ['cs'])] },
    ],
  }, { id: 'cc1', name: '抄送', kind: 'cc', recipients: [{ kind: 'users', userIds: ['d'] }] }];

  it('compensation > 1000 goes to 财务总监', () => {
    const r = run(flow, { fields: { 'subject.amount': 1500 } });
    expect(r.state.route).toEqual(['fin', 'cc1']);
    expect(r.running()).toEqual(['cfo']);
  });
  it('otherwise 客服主管 (1000 exactly, and a missing amount)', () => {
    expect(run(flow, { fields: { 'subject.amount': 1000 } }).running()).toEqual(['cs']);
    expect(run(flow, { fields: {} }).running()).toEqual(['cs']);
  });
  it('cc recipients are notified when the flow reaches them; they read, decide nothing', () => {
    const r = run(flow, { fields: { 'subject.amount': 10 } });
    r.approve('cs');
    expect(r.state.status).toBe('approved');
    expect(r.last.effects).toContainEqual({ type: 'notify', reason: 'cc', userIds: ['d'], nodeId: 'cc1' });
    const cc = r.state.tasks.find((t) => t.kind === 'cc')!;
    expect(refusal(() => r.act({ kind: 'approve', taskId: cc.id, actorId: 'd' }))).toBe('INVALID_TRANSITION');
    r.act({ kind: 'cc_read', taskId: cc.id, actorId: 'd' });
    expect(r.state.tasks.find((t) => t.kind === 'cc')!.readAt).not.toBeNull();
  });
});

describe('reject targets and return', () => {
  it('reject to a chosen earlier node: that node runs again, with fresh tasks', () => {
    const r = run([approver('n1', ['a']), approver('n2', ['b']), approver('n3', ['c'], { rejectTo: { kind: 'nodes', nodeIds: ['n1', 'n2'] } })]);
    r.approve('a'); r.approve('b');
    expect(refusal(() => r.reject('c', 'x', 'n9'))).toBe('VALIDATION_FAILED');
    r.reject('c', '重新评估', 'n1');
    expect(r.state.status).toBe('running');
    expect(r.running()).toEqual(['a']);
    expect(r.state.rounds.n1).toBe(2);
    r.approve('a'); r.approve('b'); r.approve('c');
    expect(r.state.status).toBe('approved');
  });

  it('reject to the previous node', () => {
    const r = run([approver('n1', ['a']), approver('n2', ['b'], { rejectTo: { kind: 'previous' } })]);
    r.approve('a');
    r.reject('b');
    expect(r.running()).toEqual(['a']);
  });

  it('reject to the initiator ends the flow', () => {
    const r = run([approver('n1', ['a']), approver('n2', ['b'])]);
    r.approve('a');
    r.reject('b');
    expect(r.state.status).toBe('rejected');
    expect(refusal(() => r.act({ kind: 'approve', taskId: r.state.tasks[1]!.id, actorId: 'b' }))).toBe('INVALID_TRANSITION');
  });

  it('退回 return to a node of the approver\'s choice, regardless of 会签', () => {
    const r = run([approver('n1', ['a']), approver('n2', ['b', 'c'], { mode: 'all' })]);
    r.approve('a');
    r.approve('b');
    r.act({ kind: 'return', taskId: r.taskOf('c'), actorId: 'c', opinion: '补充数据', targetNodeId: 'n1' });
    expect(r.running()).toEqual(['a']);
    expect(r.state.tasks.filter((t) => t.nodeId === 'n2').map((t) => t.status)).toEqual(['approved', 'returned']);
    r.approve('a');
    expect(r.running()).toEqual(['b', 'c']); // n2 again, both anew
    expect(refusal(() => r.act({ kind: 'return', taskId: r.taskOf('b'), actorId: 'b', opinion: 'x', targetNodeId: 'n2' }))).toBe('VALIDATION_FAILED');
    r.act({ kind: 'return', taskId: r.taskOf('b'), actorId: 'b', opinion: '不成立', targetNodeId: 'initiator' });
    expect(r.state.status).toBe('rejected');
  });
});

describe('transfer and add signer', () => {
  it('transfer in the middle of a 会签: the new holder owns it, the node still needs everyone', () => {
    const r = run([approver('n1', ['a', 'b', 'c'], { mode: 'all' })]);
    r.approve('a');
    r.act({ kind: 'transfer', taskId: r.taskOf('b'), actorId: 'b', userId: 'd' });
    expect(r.running()).toEqual(['c', 'd']);
    expect(r.last.effects).toContainEqual({ type: 'notify', reason: 'transferred', userIds: ['d'], nodeId: 'n1' });
    expect(refusal(() => r.act({ kind: 'transfer', taskId: r.taskOf('c'), actorId: 'c', userId: 'd' }))).toBe('VALIDATION_FAILED');
    r.approve('d');
    expect(r.state.status).toBe('running');
    r.approve('c');
    expect(r.state.status).toBe('approved');
  });

  it('前加签: the added people approve first, then the task comes back to the original approver', () => {
    const r = run([approver('n1', ['a']), approver('n2', ['cto'])]);
    r.act({ kind: 'add_signer', taskId: r.taskOf('a'), actorId: 'a', position: 'before', userIds: ['b', 'c'] });
    expect(r.running()).toEqual(['b', 'c']);
    // Added signers cannot add more.
    expect(refusal(() => r.act({ kind: 'add_signer', taskId: r.taskOf('b'), actorId: 'b', position: 'after', userIds: ['d'] }))).toBe('FORBIDDEN');
    r.approve('b');
    expect(r.running()).toEqual(['c']);
    r.approve('c');
    expect(r.running()).toEqual(['a']);
    r.approve('a');
    expect(r.running()).toEqual(['cto']);
  });

  it('后加签: the original approval takes effect only after the added people approve', () => {
    const r = run([approver('n1', ['a']), approver('n2', ['cto'])]);
    r.act({ kind: 'add_signer', taskId: r.taskOf('a'), actorId: 'a', position: 'after', userIds: ['b'], opinion: '我同意，请b复核' });
    expect(r.running()).toEqual(['b']);
    expect(r.state.tasks[0]!.status).toBe('approved');
    expect(refusal(() => r.act({ kind: 'add_signer', taskId: r.taskOf('b'), actorId: 'b', position: 'before', userIds: ['c'] }))).toBe('FORBIDDEN');
    r.approve('b');
    expect(r.running()).toEqual(['cto']);
  });

  it('an added signer who rejects rejects the node', () => {
    const r = run([approver('n1', ['a'])]);
    r.act({ kind: 'add_signer', taskId: r.taskOf('a'), actorId: 'a', position: 'after', userIds: ['b'] });
    r.reject('b');
    expect(r.state.status).toBe('rejected');
  });
});

describe('withdraw and urge', () => {
  it('withdraw while no one acted on the current node; refused once someone did', () => {
    const ok = run([approver('n1', ['a', 'b'], { mode: 'all' })]);
    expect(canWithdraw(ok.state)).toBe(true);
    expect(refusal(() => ok.act({ kind: 'withdraw', actorId: 'a' }))).toBe('FORBIDDEN');
    ok.act({ kind: 'withdraw', actorId: 'init', reason: '方案要改' });
    expect(ok.state.status).toBe('cancelled');
    expect(ok.last.outcome).toBe('cancelled');
    expect(ok.state.tasks.every((t) => t.status === 'cancelled')).toBe(true);

    const late = run([approver('n1', ['a', 'b'], { mode: 'all' })]);
    late.approve('a');
    expect(canWithdraw(late.state)).toBe(false);
    expect(refusal(() => late.act({ kind: 'withdraw', actorId: 'init' }))).toBe('INVALID_TRANSITION');
    expect(late.state.status).toBe('running');
  });

  it('withdraw refused after a transfer on the current node', () => {
    const r = run([approver('n1', ['a'])]);
    r.act({ kind: 'transfer', taskId: r.taskOf('a'), actorId: 'a', userId: 'b' });
    expect(refusal(() => r.act({ kind: 'withdraw', actorId: 'init' }))).toBe('INVALID_TRANSITION');
  });

  it('urge notifies the current approvers, at most 3 times an hour', () => {
    const r = run([approver('n1', ['a', 'b'], { mode: 'all' })]);
    for (let i = 0; i < 3; i++) r.act({ kind: 'urge', actorId: 'init' }, { ...r.ctx, now: new Date(Date.parse('2026-12-02T02:00:00Z') + i * 60_000) });
    expect(r.last.effects).toEqual([{ type: 'notify', reason: 'urge', userIds: ['a', 'b'], nodeId: 'n1' }]);
    expect(refusal(() => r.act({ kind: 'urge', actorId: 'init' }, { ...r.ctx, now: new Date('2026-12-02T02:30:00Z') }))).toBe('RATE_LIMITED');
    r.act({ kind: 'urge', actorId: 'init' }, { ...r.ctx, now: new Date('2026-12-02T03:00:30Z') });
    expect(r.state.urges).toHaveLength(3);
  });
});

describe('handler and timeout', () => {
  it('a handler completes, and cannot reject', () => {
    const r = run([{ id: 'h', name: '办理', kind: 'handler', handlers: [{ kind: 'users', userIds: ['d'] }] }]);
    const t = r.taskOf('d');
    expect(refusal(() => r.act({ kind: 'reject', taskId: t, actorId: 'd', opinion: 'no' }))).toBe('INVALID_TRANSITION');
    expect(refusal(() => r.act({ kind: 'approve', taskId: t, actorId: 'd' }))).toBe('INVALID_TRANSITION');
    r.act({ kind: 'complete', taskId: t, actorId: 'd' });
    expect(r.state.status).toBe('approved');
  });

  it('timeout auto-pass after 8 business hours across a weekend (Fri 16:00 → Mon 15:00 Shanghai)', () => {
    // Friday 2026-12-04 16:00 +08:00: 2 h on Friday, 9 h Monday would be 11; 8 h = Friday 2 h + Monday 6 h → Mon 15:00.
    const fri = new Date('2026-12-04T08:00:00Z');
    const r = run([approver('n1', ['a'], { timeout: { businessHours: 8, action: 'auto_pass' } }), approver('n2', ['cto'])], { now: fri });
    const task = r.state.tasks[0]!;
    expect(task.dueAt).toBe('2026-12-07T07:00:00.000Z'); // Monday 15:00 +08:00
    expect(r.started.effects).toContainEqual({ type: 'timer', taskId: task.id, at: task.dueAt });
    // Saturday: nothing happens (the timer is early).
    r.act({ kind: 'timeout', taskId: task.id }, { ...r.ctx, now: new Date('2026-12-05T08:00:00Z') });
    expect(r.running()).toEqual(['a']);
    r.act({ kind: 'timeout', taskId: task.id }, { ...r.ctx, now: new Date('2026-12-07T07:00:00Z') });
    expect(r.running()).toEqual(['cto']);
    expect(r.state.tasks[0]!.auto).toBe(true);
    // A second firing does nothing.
    const again = r.act({ kind: 'timeout', taskId: task.id }, { ...r.ctx, now: new Date('2026-12-07T08:00:00Z') });
    expect(again.logged).toEqual([]);
  });

  it('timeout auto-reject ends the flow; remind only notifies', () => {
    const rej = run([approver('n1', ['a'], { timeout: { businessHours: 1, action: 'auto_reject' } })]);
    rej.act({ kind: 'timeout', taskId: rej.state.tasks[0]!.id }, { ...rej.ctx, now: new Date('2026-12-03T02:00:00Z') });
    expect(rej.state.status).toBe('rejected');
    const rem = run([approver('n1', ['a'], { timeout: { businessHours: 1, action: 'remind' } })]);
    rem.act({ kind: 'timeout', taskId: rem.state.tasks[0]!.id }, { ...rem.ctx, now: new Date('2026-12-03T02:00:00Z') });
    expect(rem.running()).toEqual(['a']);
    expect(rem.last.effects).toEqual([{ type: 'notify', reason: 'remind', userIds: ['a'], nodeId: 'n1' }]);
  });
});

describe('refusals leave the state as it was', () => {
  it('another person, an ended instance', () => {
    const r = run([approver('n1', ['a'])]);
    const before = JSON.stringify(r.state);
    expect(refusal(() => r.act({ kind: 'approve', taskId: r.taskOf('a'), actorId: 'b' }))).toBe('FORBIDDEN');
    expect(refusal(() => r.act({ kind: 'reject', taskId: r.taskOf('a'), actorId: 'a', opinion: '  ' }))).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(r.state)).toBe(before);
  });
});
