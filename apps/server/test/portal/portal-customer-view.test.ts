/**
 * The customer view is chosen, not filtered: a full-template ticket that has internal measures of
 * a supplier and incoming inspection with their owners, a 返工 tag, a rejected plan (方案被驳回), a
 * failed acceptance (验收不通过), internal notes and staff status names shows the customer none of
 * them — only customer wording and the customer-readable steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../backends.js';
import { createTestApp, json, login, makeCategory, makeDepartment, makeUser, type TestApp } from '../harness.js';
import { openByCode } from './portal-fixtures.js';

type Who = { id: string; name: string; headers: Awaited<ReturnType<typeof login>> };

describe.each(backends)('portal customer view on $name', (backend) => {
  let t: TestApp;
  let quality: { id: string };
  const u = {} as Record<'admin' | 'agent' | 'handler' | 'supplierEngineer' | 'inspector' | 'manager' | 'verifier', Who>;

  const req = async (who: Who, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, status = 200) => {
    const res = await t.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    return json(res);
  };
  const cmd = (who: Who, id: string, body: Record<string, unknown>) => req(who, 'POST', `/tickets/${id}/transitions`, body);
  const decide = async (who: Who, id: string, action: 'approve' | 'reject', opinion: string) => {
    const inst = (await req(who, 'GET', `/tickets/${id}/approvals`)).items[0];
    const task = inst.tasks.find((x: { assigneeId: string; status: string }) => x.assigneeId === who.id && x.status === 'running');
    await req(who, 'POST', `/approval-tasks/${task.id}/${action}`, { opinion, attachmentIds: [] });
  };

  beforeAll(async () => {
    t = await createTestApp(backend);
    const qa = await makeDepartment(t.db, { name: '品质部' });
    const supplier = await makeDepartment(t.db, { name: '供应商质量部' });
    const mk = async (role: Parameters<typeof makeUser>[1], departmentIds: string[], displayName: string) => {
      const row = await makeUser(t.db, role, { departmentIds, displayName });
      return { id: row.id, name: displayName, headers: await login(t.app, row.username) };
    };
    u.admin = await mk('admin', [], '系统管理员');
    u.agent = await mk('agent', [], '客服小李');
    u.handler = await mk('handler', [qa.id], '质量工程师王工');
    u.supplierEngineer = await mk('handler', [supplier.id], '供应商工程师陈工');
    u.inspector = await mk('verifier', [qa.id], '来料检验员刘工');
    u.manager = await mk('manager', [qa.id], '品质经理孙经理');
    u.verifier = await mk('verifier', [], '验收员周工');
    quality = await makeCategory(t.db, { name: '质量故障', processTemplate: 'full', defaultDepartmentId: qa.id, defaultOwnerId: u.handler.id });
    const flow = await req(u.admin, 'POST', '/approval-flows', {
      name: '方案审批', gate: 'plan_review', categoryIds: [quality.id], adminUserId: u.admin.id,
      draft: { nodes: [{ id: 'qm', name: '品质经理', kind: 'approver', mode: 'any', approvers: [{ kind: 'users', userIds: [u.manager.id] }] }] },
    }, 201);
    await req(u.admin, 'POST', `/approval-flows/${flow.id}/publish`, { version: flow.version });
  });
  afterAll(async () => { await t?.close(); });

  it('shows none of the staff-only things of a reworked ticket', async () => {
    const phone = '13700137001';
    const ticket = await req(u.agent, 'POST', '/tickets', {
      title: '空调外机异响', description: '开机半小时后室外机嗡嗡响', channel: 'phone',
      customer: { name: '王芳', phone }, product: { model: 'KFR-35GW' },
      occurredAt: '2026-11-20T10:00:00+08:00', urgency: 'medium', category: quality.id,
    }, 201);
    const id = ticket.id as string;
    const tag = await req(u.admin, 'POST', '/tags', { name: '返工' }, 201);
    await req(u.handler, 'POST', `/tickets/${id}/tags`, { add: [tag.id] });
    await cmd(u.handler, id, { command: 'accept' });
    await req(u.handler, 'POST', `/tickets/${id}/comments`, { body: '内部备注：供应商批次 B2231 有问题', visibility: 'internal' }, 201);
    await req(u.handler, 'POST', `/tickets/${id}/comments`, { body: '您好，我们已安排工程师分析原因。', visibility: 'public' }, 201);
    await req(u.handler, 'PUT', `/tickets/${id}/rectification/analysis`, {
      rootCause: { text: '供应商减震垫硬度超差', certainty: 'verified' }, rootCauseClass: 'supplier',
    });
    const measures = () => [
      { type: 'corrective', action: '供应商更换减震垫胶料', ownerId: u.supplierEngineer.id, dueDate: '2026-12-01', criterion: { kind: 'check', text: '硬度 60±5' } },
      { type: 'preventive', preventiveKind: 'inspection_standard', action: '来料检验增加硬度检验项', ownerId: u.inspector.id, dueDate: '2026-12-05', criterion: { kind: 'check', text: '检验标准 QI-07 发布' } },
    ];
    await cmd(u.handler, id, { command: 'submit_plan', plan: { summary: '更换减震垫', measures: measures() }, acknowledgeWarnings: true });
    await decide(u.manager, id, 'reject', '驳回意见：根因未验证');
    const base = (await req(u.handler, 'GET', `/tickets/${id}/rectification`)).revisionBase.measures as { id: string }[];
    await cmd(u.handler, id, {
      command: 'submit_plan', acknowledgeWarnings: true,
      plan: { summary: '为您更换了压缩机减震垫，并加强了零件检验', measures: measures().map((m, i) => ({ ...m, previousId: base[i]!.id })) },
    });
    await decide(u.manager, id, 'approve', '同意');
    const [m1, m2] = (await req(u.handler, 'GET', `/tickets/${id}/rectification`)).plans[0].measures as { id: string }[];
    await req(u.supplierEngineer, 'POST', `/tickets/${id}/measures/${m1!.id}/complete`, { note: '已更换' });
    await req(u.inspector, 'POST', `/tickets/${id}/measures/${m2!.id}/complete`, { note: '已发布' });
    const round = async (results: ('pass' | 'fail')[]) => {
      await cmd(u.handler, id, { command: 'start_acceptance' });
      const items = (await req(u.handler, 'GET', `/tickets/${id}/rectification`)).acceptanceRounds[0].items as { id: string }[];
      for (const [i, item] of items.entries()) {
        await req(u.verifier, 'PUT', `/tickets/${id}/acceptance/items/${item.id}`, { result: results[i] ?? 'pass', measuredValue: '实测', ...(results[i] === 'fail' ? { note: '不合格' } : {}) });
      }
    };
    await round(['fail', 'pass']);
    await cmd(u.verifier, id, { command: 'fail_acceptance', reason: '验收不通过：噪音 48 dB' });
    await req(u.supplierEngineer, 'POST', `/tickets/${id}/measures/${m1!.id}/complete`, { note: '返工完成' });
    await round(['pass', 'pass']);
    const staff = await cmd(u.verifier, id, { command: 'pass_acceptance' });
    expect(staff).toMatchObject({ status: 'follow_up', reworkCount: 1 });

    const headers = await openByCode(t, ticket.number, phone);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/portal/tickets/${ticket.number}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    const view = json(res);
    expect(view).toMatchObject({ status: 'awaiting_confirmation', canConfirm: true, solution: '为您更换了压缩机减震垫，并加强了零件检验' });
    expect(view.timeline.map((e: { kind: string }) => e.kind)).toEqual(['submitted', 'handling', 'reply', 'solution_ready']);
    // Only the chosen fields exist.
    expect(Object.keys(view).sort()).toEqual([
      'attachments', 'canConfirm', 'canMessage', 'contactName', 'createdAt', 'number', 'rating', 'solution', 'status',
      'submission', 'timeline', 'title', 'updatedAt',
    ]);
    const text = res.body;
    for (const secret of [
      '内部备注', 'B2231', '供应商更换减震垫胶料', '来料检验增加硬度检验项', u.supplierEngineer.name, u.inspector.name,
      u.handler.name, u.manager.name, u.verifier.name, '返工', '驳回', '验收不通过', '48 dB', '根因', 'supplier',
      'rectifying', 'accepting', 'plan_review', 'follow_up', 'analyzing', 'reworkCount', 'measure', 'owner', 'priority', 'department',
    ]) expect(text, secret).not.toContain(secret);
  });
});
