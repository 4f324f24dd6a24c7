/**
 * Plan approval through the API: a two-level flow on a 质量故障-like category (质量经理 then
 * 技术总监, seed 000), notifications of the next approver, reject back to analysis and a
 * revised plan that passes, the instance keeping its version after republishing, withdraw,
 * the workbench boxes, and two approvers of one 会签 node acting at the same moment.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowInstanceView, Transition } from '@closeloop/contract';
import { notifications, tickets } from '../../src/db/schema.js';
import { newId } from '../../src/db/util.js';
import { runOutboxOnce } from '../../src/jobs/runner.js';
import { runApprovalTimeoutsOnce } from '../../src/approvals/timeout-runner.js';
import { openApprovalGate } from '../../src/approvals/open-gate.js';
import { SYSTEM_ACTOR } from '../../src/auth/actor.js';
import { ticketRowColumns } from '../../src/tickets/ticket-row.js';
import { backends } from '../backends.js';
import { createTestApp, json, login, makeCategory, makeDepartment, makeUser, type TestApp } from '../harness.js';

type Headers = Awaited<ReturnType<typeof login>>;

describe.each(backends)('approval flows on $name', (backend) => {
  let t: TestApp;
  const u = {} as Record<'admin' | 'qm' | 'cto' | 'handler' | 'm1' | 'm2', { id: string; headers: Headers }>;
  let cat: { id: string };
  let plainCat: { id: string };
  let countersignCat: { id: string };
  let timeoutCat: { id: string };
  let dept: { id: string };
  let customerId: string;
  let flowId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    dept = await makeDepartment(t.db);
    cat = await makeCategory(t.db, { name: '质量故障' });
    plainCat = await makeCategory(t.db);
    countersignCat = await makeCategory(t.db);
    timeoutCat = await makeCategory(t.db);
    for (const [k, role] of [['admin', 'admin'], ['qm', 'manager'], ['cto', 'manager'], ['handler', 'handler'], ['m1', 'manager'], ['m2', 'manager']] as const) {
      const row = await makeUser(t.db, role, { departmentIds: [dept.id] });
      u[k] = { id: row.id, headers: await login(t.app, row.username) };
    }
    const customer = await makeUser(t.db, 'customer');
    customerId = customer.customerId!;
  });
  afterAll(async () => { await t?.close(); });

  const api = async (who: Headers, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, status = 200) => {
    const res = await t.app.inject({ method, url: `/api/v1${url}`, headers: who, ...(payload !== undefined ? { payload: payload as object } : {}) });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    return json(res);
  };
  const makeTicket = async (categoryId: string) => {
    const id = newId();
    await t.db.insert(tickets).values({
      id, number: `T-${id.slice(-10)}`, title: '电机批量异响', description: '同批次多台脱水异响', channel: 'phone', status: 'analyzing',
      priority: 'P1', priorityRank: 1, urgency: 'high', processTemplate: 'full', categoryId, customerId,
      product: { model: 'XQG100' }, occurredAt: new Date('2026-11-20T02:00:00Z'), departmentId: dept.id, ownerId: u.handler.id,
      createdById: u.handler.id,
    });
    return id;
  };
  const plan = (summary = '更换轴承并加严来料检验'): Transition => ({
    command: 'submit_plan',
    analysis: { directCause: '轴承磨损', rootCause: '供应商轴承批次润滑脂不足', rootCauseClass: 'supplier' },
    plan: { summary, measures: [{ action: '上门更换电机轴承', criterion: '脱水噪音 < 45 dB' }] },
  });
  const transition = (who: Headers, id: string, body: Transition, status = 200) => api(who, 'POST', `/tickets/${id}/transitions`, body, status);
  const instanceOf = async (ticketId: string): Promise<FlowInstanceView> => (await api(u.admin.headers, 'GET', `/tickets/${ticketId}/approvals`)).items[0];
  const taskOf = (inst: FlowInstanceView, userId: string) => inst.tasks.find((x) => x.assigneeId === userId && x.status === 'running')!.id;
  const status = async (id: string) => (await t.db.select({ s: tickets.status }).from(tickets).where(eq(tickets.id, id)))[0]!.s;

  it('no flow attached: the gate passes, submit_plan goes straight on to rectifying', async () => {
    const id = await makeTicket(plainCat.id);
    const view = await transition(u.handler.headers, id, plan());
    expect(view.status).toBe('rectifying');
    // approve_plan is the system's: people may not send it.
    const other = await makeTicket(plainCat.id);
    await transition(u.admin.headers, other, { command: 'approve_plan' }, 409);
  });

  it('admin builds, validates and publishes the two-level flow', async () => {
    const bad = await api(u.admin.headers, 'POST', '/approval-flows', {
      name: '质量故障整改方案审批', gate: 'plan_review', categoryIds: [cat.id], adminUserId: u.admin.id,
      draft: { nodes: [{ id: 'qm', name: '质量经理审批', kind: 'approver', approvers: [] }] },
    }, 201);
    flowId = bad.id;
    const v = await api(u.admin.headers, 'POST', `/approval-flows/${flowId}/validate`, {});
    expect(v).toEqual({ ok: false, errors: [expect.objectContaining({ nodeId: 'qm', code: 'no_approvers' })] });
    const refused = await api(u.admin.headers, 'POST', `/approval-flows/${flowId}/publish`, { version: bad.version }, 400);
    expect(refused.error.fields[0]).toMatchObject({ path: 'draft.qm', code: 'no_approvers' });

    const updated = await api(u.admin.headers, 'PATCH', `/approval-flows/${flowId}`, {
      version: bad.version,
      draft: { nodes: [
        { id: 'qm', name: '质量经理审批', kind: 'approver', approvers: [{ kind: 'users', userIds: [u.qm.id] }] },
        { id: 'cto', name: '技术总监审批', kind: 'approver', approvers: [{ kind: 'users', userIds: [u.cto.id] }], rejectTo: { kind: 'initiator' } },
      ] },
    });
    const published = await api(u.admin.headers, 'POST', `/approval-flows/${flowId}/publish`, { version: updated.version });
    expect(published.activeVersion).toMatchObject({ number: 1, status: 'active' });
    // handlers may not publish
    await api(u.handler.headers, 'POST', `/approval-flows/${flowId}/publish`, { version: published.version }, 403);
  });

  it('runs the plan approval: 质量经理 then 技术总监, the next approver is notified; reject returns to analysis; a revised plan passes', async () => {
    const id = await makeTicket(cat.id);
    expect((await transition(u.handler.headers, id, plan())).status).toBe('plan_review');
    let inst = await instanceOf(id);
    expect(inst).toMatchObject({ status: 'running', currentNodeIds: ['qm'], versionNumber: 1, initiatorId: u.handler.id });

    const todo = await api(u.qm.headers, 'GET', '/me/approvals?box=todo');
    expect(todo.items.map((i: { ticketId: string }) => i.ticketId)).toContain(id);
    expect(todo.todoCount).toBeGreaterThan(0);
    // The manager who is not the approver cannot act on the task.
    await api(u.cto.headers, 'POST', `/approval-tasks/${taskOf(inst, u.qm.id)}/approve`, {}, 403);

    inst = await api(u.qm.headers, 'POST', `/approval-tasks/${taskOf(inst, u.qm.id)}/approve`, { opinion: '同意' });
    expect(inst.currentNodeIds).toEqual(['cto']);
    expect(await status(id)).toBe('plan_review');
    await runOutboxOnce({ db: t.db, instanceId: 'approvals-test' });
    const bell = await t.db.select().from(notifications).where(and(eq(notifications.userId, u.cto.id), eq(notifications.kind, 'approval_task')));
    expect(bell.filter((n) => n.ticketId === id)).toHaveLength(1);
    expect(bell[0]!.title).toContain('待您审批');

    inst = await api(u.cto.headers, 'POST', `/approval-tasks/${taskOf(inst, u.cto.id)}/reject`, { opinion: '根因需要实验验证' });
    expect(inst.status).toBe('rejected');
    expect(await status(id)).toBe('analyzing');
    expect(inst.path.map((p) => [p.kind, p.actorId])).toEqual([
      ['start', u.handler.id], ['approve', u.qm.id], ['reject', u.cto.id],
    ]);
    const done = await api(u.cto.headers, 'GET', '/me/approvals?box=done');
    expect(done.items[0]).toMatchObject({ ticketId: id, taskStatus: 'rejected', instanceStatus: 'rejected' });

    // A revised plan: a new instance; republishing meanwhile does not change it.
    expect((await transition(u.handler.headers, id, plan('更换轴承，实验验证后加严来料检验'))).status).toBe('plan_review');
    inst = await instanceOf(id);
    expect(inst.versionNumber).toBe(1);
    const def = await api(u.admin.headers, 'GET', `/approval-flows/${flowId}`);
    const changed = await api(u.admin.headers, 'PATCH', `/approval-flows/${flowId}`, {
      version: def.version, draft: { nodes: [...def.draft.nodes, { id: 'ceo', name: '总经理审批', kind: 'approver', approvers: [{ kind: 'users', userIds: [u.admin.id] }] }] },
    });
    const v2 = await api(u.admin.headers, 'POST', `/approval-flows/${flowId}/publish`, { version: changed.version });
    expect(v2.activeVersion.number).toBe(2);
    expect(v2.versions.map((v: { status: string }) => v.status)).toEqual(['active', 'archived']);

    inst = await api(u.qm.headers, 'POST', `/approval-tasks/${taskOf(inst, u.qm.id)}/approve`, {});
    inst = await api(u.cto.headers, 'POST', `/approval-tasks/${taskOf(inst, u.cto.id)}/approve`, { opinion: '同意执行' });
    expect(inst).toMatchObject({ status: 'approved', versionNumber: 1 });
    expect(inst.tree.nodes.map((n) => n.id)).toEqual(['qm', 'cto']);
    expect(await status(id)).toBe('rectifying');
    const ticket = await api(u.admin.headers, 'GET', `/tickets/${id}/events`);
    const types = (ticket.items as { type: string }[]).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['approval.started', 'approval.task_approved', 'approval.task_rejected', 'ticket.approve_plan', 'ticket.reject_plan']));
  });

  it('withdraw by the initiator before anyone acted returns the ticket to analysis; refused after', async () => {
    const id = await makeTicket(cat.id);
    await transition(u.handler.headers, id, plan());
    let inst = await instanceOf(id);
    expect(inst.versionNumber).toBe(2);
    await api(u.qm.headers, 'POST', `/approval-instances/${inst.id}/withdraw`, {}, 403);
    inst = await api(u.handler.headers, 'POST', `/approval-instances/${inst.id}/urge`, { message: '客户在等' });
    inst = await api(u.handler.headers, 'POST', `/approval-instances/${inst.id}/withdraw`, { reason: '补充数据' });
    expect(inst.status).toBe('cancelled');
    expect(await status(id)).toBe('analyzing');

    await transition(u.handler.headers, id, plan());
    inst = await instanceOf(id);
    inst = await api(u.qm.headers, 'POST', `/approval-tasks/${taskOf(inst, u.qm.id)}/approve`, {});
    await api(u.handler.headers, 'POST', `/approval-instances/${inst.id}/withdraw`, {}, 200); // cto has not acted: allowed
    await transition(u.handler.headers, id, plan());
    inst = await instanceOf(id);
    inst = await api(u.qm.headers, 'POST', `/approval-tasks/${taskOf(inst, u.qm.id)}/transfer`, { userId: u.m1.id });
    const err = await api(u.handler.headers, 'POST', `/approval-instances/${inst.id}/withdraw`, {}, 409);
    expect(err.error.code).toBe('INVALID_TRANSITION');
  });

  it('two approvers of one 会签 node approving at the same moment both count, once each', async () => {
    await api(u.admin.headers, 'POST', '/approval-flows', {
      name: '会签', gate: 'plan_review', categoryIds: [countersignCat.id], adminUserId: u.admin.id,
      draft: { nodes: [{ id: 'all', name: '会签', kind: 'approver', mode: 'all', approvers: [{ kind: 'users', userIds: [u.m1.id, u.m2.id] }] }] },
    }, 201).then((f) => api(u.admin.headers, 'POST', `/approval-flows/${f.id}/publish`, { version: f.version }));
    for (let round = 0; round < 3; round++) {
      const id = await makeTicket(countersignCat.id);
      await transition(u.handler.headers, id, plan());
      const inst = await instanceOf(id);
      const [a, b] = await Promise.all([
        t.app.inject({ method: 'POST', url: `/api/v1/approval-tasks/${taskOf(inst, u.m1.id)}/approve`, headers: u.m1.headers, payload: {} }),
        t.app.inject({ method: 'POST', url: `/api/v1/approval-tasks/${taskOf(inst, u.m2.id)}/approve`, headers: u.m2.headers, payload: {} }),
      ]);
      expect([a.statusCode, b.statusCode], `${a.body} ${b.body}`).toEqual([200, 200]);
      const after = await instanceOf(id);
      expect(after.status).toBe('approved');
      expect(after.path.filter((p) => p.kind === 'approve').map((p) => p.actorId).sort()).toEqual([u.m1.id, u.m2.id].sort());
      expect(await status(id)).toBe('rectifying');
    }
  });

  it('a node with a timeout auto-passes once its business hours are up (the periodic pass)', async () => {
    const f = await api(u.admin.headers, 'POST', '/approval-flows', {
      name: '超时自动通过', gate: 'plan_review', categoryIds: [timeoutCat.id], adminUserId: u.admin.id,
      draft: { nodes: [{ id: 'n1', name: '主管审批', kind: 'approver', approvers: [{ kind: 'users', userIds: [u.m1.id] }], timeout: { businessHours: 4, action: 'auto_pass' } }] },
    }, 201);
    await api(u.admin.headers, 'POST', `/approval-flows/${f.id}/publish`, { version: f.version });
    const id = await makeTicket(timeoutCat.id);
    await transition(u.handler.headers, id, plan());
    const inst = await instanceOf(id);
    const due = inst.tasks[0]!.dueAt!;
    expect(Date.parse(due)).toBeGreaterThan(Date.now());
    expect(await runApprovalTimeoutsOnce({ db: t.db, now: new Date(Date.parse(due) - 60_000) })).toBe(0);
    expect(await status(id)).toBe('plan_review');
    expect(await runApprovalTimeoutsOnce({ db: t.db, now: new Date(Date.parse(due) + 1_000) })).toBe(1);
    expect(await status(id)).toBe('rectifying');
    const after = await instanceOf(id);
    expect(after.path.map((p) => p.kind)).toEqual(['start', 'auto_pass']);
    expect(await runApprovalTimeoutsOnce({ db: t.db, now: new Date(Date.parse(due) + 60_000) })).toBe(0);
  });

  it('the compensation gate for other domains: > 1000 goes to the first approver, else the default; no flow passes', async () => {
    const f = await api(u.admin.headers, 'POST', '/approval-flows', {
      name: '补偿审批', gate: 'compensation', categoryIds: [cat.id], adminUserId: u.admin.id,
      draft: { nodes: [{ id: 'amount', name: '金额', kind: 'condition', branches: [
        { id: 'big', name: '> 1000', conditions: [{ type: 'number', field: 'subject.amount', op: 'gt', value: 1000 }],
          nodes: [{ id: 'fin', name: '财务总监审批', kind: 'approver', approvers: [{ kind: 'users', userIds: [u.cto.id] }] }] },
        { id: 'else', name: '其他情况', isDefault: true, nodes: [{ id: 'cs', name: '客服主管审批', kind: 'approver', approvers: [{ kind: 'users', userIds: [u.qm.id] }] }] },
      ] }] },
    }, 201);
    await api(u.admin.headers, 'POST', `/approval-flows/${f.id}/publish`, { version: f.version });
    const open = (ticketId: string, amount: number) => t.db.transaction(async (tx) => {
      const [ticket] = await tx.select(ticketRowColumns).from(tickets).where(eq(tickets.id, ticketId)).for('update');
      return openApprovalGate(tx, {
        gate: 'compensation', ticket: ticket!, subjectRef: `compensation:${amount}`, initiator: { ...SYSTEM_ACTOR, kind: 'user', userId: u.handler.id, role: 'handler' },
        fields: { 'subject.amount': amount }, now: new Date(),
      });
    });
    const id = await makeTicket(cat.id);
    const big = await open(id, 1500);
    const small = await open(id, 800);
    expect([big.result, small.result]).toEqual(['running', 'running']);
    const bigView = await api(u.admin.headers, 'GET', `/approval-instances/${big.instanceId}`);
    const smallView = await api(u.admin.headers, 'GET', `/approval-instances/${small.instanceId}`);
    expect(bigView.tasks.map((x: { assigneeId: string }) => x.assigneeId)).toEqual([u.cto.id]);
    expect(smallView.tasks.map((x: { assigneeId: string }) => x.assigneeId)).toEqual([u.qm.id]);
    expect(await open(await makeTicket(plainCat.id), 5000)).toEqual({ result: 'passed', instanceId: null });
  });
});
