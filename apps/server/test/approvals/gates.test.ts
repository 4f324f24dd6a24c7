/**
 * The cancellation and dispute gates through the API: a staff cancel on a category with a
 * cancellation flow waits for it (approved → cancelled with the reason; rejected or withdrawn →
 * the ticket stays; a second cancel while one waits → 409); without a flow it cancels at once.
 * A dispute on a category with a dispute flow is decided by the flow (approved → reassigned to
 * the proposed department, rejected → upheld with the opinion); without one a manager decides.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowInstanceView } from '@closeloop/contract';
import { rectDisputes, tickets } from '../../src/db/schema.js';
import { newId } from '../../src/db/util.js';
import { backends } from '../backends.js';
import { createTestApp, json, login, makeCategory, makeDepartment, makeUser, type TestApp } from '../harness.js';

type Headers = Awaited<ReturnType<typeof login>>;

describe.each(backends)('cancellation and dispute gates on $name', (backend) => {
  let t: TestApp;
  const u = {} as Record<'admin' | 'cs' | 'qm' | 'agent' | 'handler', { id: string; headers: Headers }>;
  let gatedCat: { id: string };
  let plainCat: { id: string };
  let dept: { id: string };
  let otherDept: { id: string };
  let customer: { id: string; customerId: string; headers: Headers };

  beforeAll(async () => {
    t = await createTestApp(backend);
    dept = await makeDepartment(t.db);
    otherDept = await makeDepartment(t.db);
    gatedCat = await makeCategory(t.db, { name: '质量故障' });
    plainCat = await makeCategory(t.db);
    for (const [k, role] of [['admin', 'admin'], ['cs', 'manager'], ['qm', 'manager'], ['agent', 'agent'], ['handler', 'handler']] as const) {
      const row = await makeUser(t.db, role, { departmentIds: [dept.id] });
      u[k] = { id: row.id, headers: await login(t.app, row.username) };
    }
    const c = await makeUser(t.db, 'customer');
    customer = { id: c.id, customerId: c.customerId!, headers: await login(t.app, c.username) };
    for (const [gate, approver, name] of [['cancellation', u.cs.id, '撤销审批'], ['dispute', u.qm.id, '定性争议审批']] as const) {
      const flow = await api(u.admin.headers, 'POST', '/approval-flows', {
        name, gate, categoryIds: [gatedCat.id], adminUserId: u.admin.id,
        draft: { nodes: [{ id: 'n1', name: '主管审批', kind: 'approver', approvers: [{ kind: 'users', userIds: [approver] }] }] },
      }, 201);
      await api(u.admin.headers, 'POST', `/approval-flows/${flow.id}/publish`, { version: flow.version });
    }
  });
  afterAll(async () => { await t?.close(); });

  const api = async (who: Headers, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, status = 200) => {
    const res = await t.app.inject({ method, url: `/api/v1${url}`, headers: who, ...(payload !== undefined ? { payload: payload as object } : {}) });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    return json(res);
  };
  const makeTicket = async (categoryId: string, status: 'analyzing' | 'registered' = 'analyzing') => {
    const id = newId();
    await t.db.insert(tickets).values({
      id, number: `T-${id.slice(-10)}`, title: '电机批量异响', description: '同批次多台脱水异响', channel: 'phone', status,
      priority: 'P1', priorityRank: 1, urgency: 'high', processTemplate: 'full', categoryId, customerId: customer.customerId,
      product: { model: 'XQG100' }, occurredAt: new Date('2026-11-20T02:00:00Z'), departmentId: dept.id,
      ownerId: status === 'registered' ? null : u.handler.id, createdById: u.handler.id,
    });
    return id;
  };
  const cancel = (who: Headers, id: string, reason: string, status = 200) =>
    api(who, 'POST', `/tickets/${id}/transitions`, { command: 'cancel', reason }, status);
  const instances = async (ticketId: string, gate: string): Promise<FlowInstanceView[]> =>
    ((await api(u.admin.headers, 'GET', `/tickets/${ticketId}/approvals`)).items as FlowInstanceView[]).filter((i) => i.gate === gate);
  const taskOf = (inst: FlowInstanceView, userId: string) => inst.tasks.find((x) => x.assigneeId === userId && x.status === 'running')!.id;
  const ticketRow = async (id: string) => (await t.db.select().from(tickets).where(eq(tickets.id, id)))[0]!;
  const eventTypes = async (id: string) =>
    ((await api(u.admin.headers, 'GET', `/tickets/${id}/events`)).items as { type: string }[]).map((e) => e.type);

  it('cancellation without a flow: a staff cancel takes effect at once', async () => {
    const id = await makeTicket(plainCat.id);
    const view = await cancel(u.agent.headers, id, '客户已自行处理');
    expect(view).toMatchObject({ status: 'cancelled', cancelReason: '客户已自行处理' });
    expect(view.cancellationPending).toBeUndefined();
    expect(await instances(id, 'cancellation')).toEqual([]);
  });

  it('cancellation with a flow: held until approved, a second cancel is refused, approval cancels with the reason', async () => {
    const id = await makeTicket(gatedCat.id);
    const held = await cancel(u.agent.headers, id, '重复报修，与另一单合并');
    expect(held.status).toBe('analyzing');
    expect(held.cancellationPending).toBe(true);
    expect(held.allowedCommands).not.toContain('cancel');
    const [inst] = await instances(id, 'cancellation');
    expect(inst).toMatchObject({ status: 'running', currentNodeIds: ['n1'], initiatorId: u.agent.id });

    const again = await cancel(u.qm.headers, id, '再次申请', 409);
    expect(again.error.code).toBe('CONFLICT');
    expect((await ticketRow(id)).status).toBe('analyzing');

    const done = await api(u.cs.headers, 'POST', `/approval-tasks/${taskOf(inst!, u.cs.id)}/approve`, { opinion: '同意撤销' });
    expect(done.status).toBe('approved');
    const row = await ticketRow(id);
    expect(row).toMatchObject({ status: 'cancelled', cancelReason: '重复报修，与另一单合并' });
    const view = await api(u.admin.headers, 'GET', `/tickets/${id}`);
    expect(view.cancellationPending).toBeUndefined();
    const types = await eventTypes(id);
    expect(types).toEqual(expect.arrayContaining(['approval.started', 'approval.task_approved', 'ticket.cancel']));
    expect(types.indexOf('ticket.cancel')).toBeGreaterThan(types.indexOf('approval.started'));
  });

  it('cancellation with a flow: rejected or withdrawn leaves the ticket in its status; it may be asked again', async () => {
    const id = await makeTicket(gatedCat.id);
    await cancel(u.agent.headers, id, '客户要求撤销');
    let [inst] = await instances(id, 'cancellation');
    const rejected = await api(u.cs.headers, 'POST', `/approval-tasks/${taskOf(inst!, u.cs.id)}/reject`, { opinion: '问题仍在，需继续分析' });
    expect(rejected.status).toBe('rejected');
    expect(await ticketRow(id)).toMatchObject({ status: 'analyzing', cancelReason: null });
    expect(await eventTypes(id)).not.toContain('ticket.cancel');
    expect((await api(u.admin.headers, 'GET', `/tickets/${id}`)).cancellationPending).toBeUndefined();

    await cancel(u.agent.headers, id, '客户再次要求撤销');
    [inst] = (await instances(id, 'cancellation')).filter((i) => i.status === 'running');
    await api(u.agent.headers, 'POST', `/approval-instances/${inst!.id}/withdraw`, { reason: '客户改变主意' });
    expect((await ticketRow(id)).status).toBe('analyzing');
  });

  it("a customer's own cancel before work is not gated, and ends a staff cancellation that waits", async () => {
    const id = await makeTicket(gatedCat.id, 'registered');
    await cancel(u.agent.headers, id, '客服申请撤销');
    expect((await ticketRow(id)).status).toBe('registered');
    const view = await cancel(customer.headers, id, '不需要了');
    expect(view.status).toBe('cancelled');
    const [inst] = await instances(id, 'cancellation');
    expect(inst!.status).toBe('cancelled');
  });

  const raise = (id: string, body: Record<string, unknown>, status = 201) =>
    api(u.handler.headers, 'POST', `/tickets/${id}/rectification/disputes`, { departmentId: dept.id, ...body }, status);
  const dispute = async (id: string) => (await t.db.select().from(rectDisputes).where(eq(rectDisputes.id, id)))[0]!;

  it('dispute without a flow: it stays open for a manager to decide', async () => {
    const id = await makeTicket(plainCat.id);
    const d = await raise(id, { reason: '异响来自外购电机，不属于总装', proposedDepartmentId: otherDept.id });
    expect(d.status).toBe('open');
    expect(d.underApproval).toBeUndefined();
    expect(await instances(id, 'dispute')).toEqual([]);
    const decided = await api(u.qm.headers, 'POST', `/tickets/${id}/rectification/disputes/${d.id}/decision`, {
      decision: 'reassigned', responsibleDepartmentId: otherDept.id, reasons: '来料检验记录显示电机批次不良',
    });
    expect(decided).toMatchObject({ status: 'decided', decision: 'reassigned', responsibleDepartmentId: otherDept.id });
  });

  it('dispute with a flow: a proposed department is required; no manager may decide it; approved → reassigned', async () => {
    const id = await makeTicket(gatedCat.id);
    const bad = await raise(id, { reason: '不是我们的责任' }, 400);
    expect(bad.error.fields[0].path).toBe('proposedDepartmentId');
    const d = await raise(id, { reason: '异响来自外购电机，不属于总装', proposedDepartmentId: otherDept.id });
    expect(d).toMatchObject({ status: 'open', underApproval: true });
    const [inst] = await instances(id, 'dispute');
    expect(inst).toMatchObject({ status: 'running', currentNodeIds: ['n1'] });
    const refused = await api(u.cs.headers, 'POST', `/tickets/${id}/rectification/disputes/${d.id}/decision`, {
      decision: 'upheld', reasons: '维持原判',
    }, 409);
    expect(refused.error.code).toBe('CONFLICT');

    await api(u.qm.headers, 'POST', `/approval-tasks/${taskOf(inst!, u.qm.id)}/approve`, { opinion: '来料检验记录支持该申诉' });
    expect(await dispute(d.id)).toMatchObject({
      status: 'decided', decision: 'reassigned', responsibleDepartmentId: otherDept.id, reasons: '来料检验记录支持该申诉',
    });
    expect((await ticketRow(id)).responsibleDepartmentId).toBe(otherDept.id);
    const rect = await api(u.admin.headers, 'GET', `/tickets/${id}/rectification`);
    expect(rect.disputes[0]).toMatchObject({ status: 'decided', decision: 'reassigned' });
    expect(rect.disputes[0].underApproval).toBeUndefined();
    const types = await eventTypes(id);
    expect(types.indexOf('rectification.dispute_raised')).toBeLessThan(types.indexOf('approval.started'));
    expect(types).toContain('rectification.dispute_decided');
  });

  it('dispute with a flow: rejected → upheld with the opinion; the responsible department stays', async () => {
    const id = await makeTicket(gatedCat.id);
    await t.db.update(tickets).set({ responsibleDepartmentId: dept.id }).where(eq(tickets.id, id));
    const d = await raise(id, { reason: '异响来自外购电机', proposedDepartmentId: otherDept.id });
    const [inst] = await instances(id, 'dispute');
    await api(u.qm.headers, 'POST', `/approval-tasks/${taskOf(inst!, u.qm.id)}/reject`, { opinion: '装配扭矩记录不全，维持总装责任' });
    expect(await dispute(d.id)).toMatchObject({ status: 'decided', decision: 'upheld', reasons: '装配扭矩记录不全，维持总装责任' });
    expect((await ticketRow(id)).responsibleDepartmentId).toBe(dept.id);
  });
});
