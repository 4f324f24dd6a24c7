/**
 * The 空调异响 case of the seeds end to end through the API: intake → accept → analysis with a
 * 5-Why chain → plan v1 rejected → v2 approved (v1 still readable) → measures completed by their
 * owners → acceptance round 1 fails on the noise item at 48 dB (噪音 < 45 dB 连续24h) → only that
 * measure reopened, rework 1 → redone → round 2 passes at 42 dB → follow-up → the customer confirms with 5
 * stars through the follow-up link (once only). Plus the quick path of a 咨询 ticket and the guards of issue #8.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, outbox } from '../../src/db/schema.js';
import { defaultCalendar } from '../../src/calendars/calendar-cache.js';
import { sumStages } from '../../src/rectification/stage-durations.js';
import { registerSubscriber } from '../../src/events/registry.js';
import { remindOverdueMeasures } from '../../src/rectification/remind-overdue-measures.js';
import { EVENT_TYPES } from '@closeloop/contract';
import { backends } from '../backends.js';
import { createTestApp, json, login, makeCategory, makeDepartment, makeUser, type TestApp } from '../harness.js';

type Headers = Awaited<ReturnType<typeof login>>;
type Who = { id: string; headers: Headers };

describe.each(backends)('rectification loop on $name', (backend) => {
  let t: TestApp;
  let qa: { id: string };
  let production: { id: string };
  let quality: { id: string };
  let consult: { id: string };
  const u = {} as Record<'admin' | 'agent' | 'handler' | 'engineer' | 'inspector' | 'manager' | 'verifier', Who>;

  let unregister = () => {};
  beforeAll(async () => {
    // A listener for every rectification / acceptance event, so their outbox rows can be read.
    unregister = registerSubscriber({
      name: 'test-rectification-listener',
      types: EVENT_TYPES.filter((e) => e.startsWith('rectification.') || e.startsWith('acceptance.')),
      handle: async () => {},
    });
    t = await createTestApp(backend);
    qa = await makeDepartment(t.db, { name: '品质部' });
    production = await makeDepartment(t.db, { name: '生产部' });
    const mk = async (role: Parameters<typeof makeUser>[1], departmentIds: string[]) => {
      const row = await makeUser(t.db, role, { departmentIds });
      return { id: row.id, headers: await login(t.app, row.username) };
    };
    u.admin = await mk('admin', []);
    u.agent = await mk('agent', []);
    u.handler = await mk('handler', [qa.id]);
    u.engineer = await mk('handler', [production.id]);
    u.inspector = await mk('verifier', [qa.id]);
    u.manager = await mk('manager', [qa.id]);
    u.verifier = await mk('verifier', []);
    quality = await makeCategory(t.db, { name: '质量故障', processTemplate: 'full', defaultDepartmentId: qa.id, defaultOwnerId: u.handler.id });
    consult = await makeCategory(t.db, { name: '咨询', processTemplate: 'quick', defaultDepartmentId: qa.id, defaultOwnerId: u.handler.id });
    // Plan approval (approvals/): the quality manager approves plans of 质量故障.
    const flow = await req(u.admin, 'POST', '/approval-flows', {
      name: '质量故障方案审批', gate: 'plan_review', categoryIds: [quality.id], adminUserId: u.admin.id,
      draft: { nodes: [{ id: 'qm', name: '质量经理', kind: 'approver', mode: 'any', approvers: [{ kind: 'users', userIds: [u.manager.id] }] }] },
    }, 201);
    await req(u.admin, 'POST', `/approval-flows/${flow.id}/publish`, { version: flow.version });
  });
  afterAll(async () => { unregister(); await t?.close(); });

  const req = async (who: Who, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, status = 200) => {
    const res = await t.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    return json(res);
  };
  const cmd = (who: Who, id: string, body: Record<string, unknown>, status = 200) => req(who, 'POST', `/tickets/${id}/transitions`, body, status);
  const rect = (who: Who, id: string) => req(who, 'GET', `/tickets/${id}/rectification`);
  /** The approver's decision on the running plan approval; answers the ticket as it is then. */
  const decide = async (who: Who, id: string, action: 'approve' | 'reject', opinion?: string) => {
    const inst = (await req(who, 'GET', `/tickets/${id}/approvals`)).items[0];
    const task = inst.tasks.find((x: { assigneeId: string; status: string }) => x.assigneeId === who.id && x.status === 'running');
    await req(who, 'POST', `/approval-tasks/${task.id}/${action}`, { ...(opinion ? { opinion } : {}), attachmentIds: [] });
    return req(who, 'GET', `/tickets/${id}`);
  };
  const intake = (title: string, category: string) => req(u.agent, 'POST', '/tickets', {
    title, description: '开机半小时后室外机有明显嗡嗡声，夜间影响休息', channel: 'phone',
    customer: { name: '王芳', phone: '13800138001' }, product: { model: 'KFR-35GW' },
    occurredAt: '2026-11-20T10:00:00+08:00', urgency: 'medium', category,
  }, 201);

  const noise = { kind: 'metric', metric: '噪音', operator: '<', target: 45, unit: 'dB', duration: '连续24h' };
  const measuresV1 = () => [
    { type: 'corrective', action: '更换压缩机减震垫（B 型，图号 AC-2231）', ownerId: u.engineer.id, dueDate: '2026-12-01', criterion: noise },
    {
      type: 'preventive', preventiveKind: 'inspection_standard', action: '来料检验标准增加减震垫硬度检验项',
      ownerId: u.inspector.id, dueDate: '2026-12-05', criterion: { kind: 'check', text: '检验标准 QI-07 发布并执行' },
    },
  ];

  it('walks the 空调异响 case through every stage', async () => {
    // Template items of the category: admin only.
    await req(u.handler, 'POST', `/categories/${quality.id}/acceptance-templates`, { item: 'x', criterion: 'y' }, 403);
    const tpl = await req(u.admin, 'POST', `/categories/${quality.id}/acceptance-templates`,
      { item: '设备异响', criterion: '标准工况运行24小时，噪音低于45 dB', method: '现场分贝仪测量并录像' }, 201);
    const extra = await req(u.admin, 'POST', `/categories/${quality.id}/acceptance-templates`, { item: '临时项', criterion: '—' }, 201);
    await req(u.admin, 'PATCH', `/acceptance-templates/${extra.id}`, { active: false });
    expect((await req(u.handler, 'GET', `/categories/${quality.id}/acceptance-templates`)).items.map((i: { item: string; active: boolean }) => [i.item, i.active]))
      .toEqual([['设备异响', true], ['临时项', false]]);
    await req(u.admin, 'DELETE', `/acceptance-templates/${extra.id}`);

    const ticket = await intake('空调外机异响', quality.id);
    const id = ticket.id as string;
    expect(ticket).toMatchObject({ status: 'assigned', owner: { id: u.handler.id }, planProgress: { done: 0, total: 0 } });
    await cmd(u.handler, id, { command: 'accept' });

    // 原因分析 with a 5-Why chain
    const analysis = await req(u.handler, 'PUT', `/tickets/${id}/rectification/analysis`, {
      directCause: { text: '压缩机减震垫硬化，振动传到外壳', certainty: 'verified' },
      rootCause: { text: '供应商减震垫材料硬度超差（邵氏 75，要求 60±5）', certainty: 'hypothesis' },
      fiveWhys: [
        { why: '为什么外机异响？', answer: '压缩机振动传到外壳' },
        { why: '为什么振动传到外壳？', answer: '减震垫失去弹性' },
        { why: '为什么减震垫失去弹性？', answer: '材料硬度超差' },
      ],
      occurrenceCause: { text: '供应商换用再生胶料', certainty: 'hypothesis' },
      escapeCause: { text: '来料检验没有硬度项', certainty: 'verified' },
      fishbone: [{ branch: 'material', text: '减震垫硬度超差' }],
      rootCauseClass: 'supplier', responsibleDepartmentId: qa.id,
    });
    expect(analysis).toMatchObject({ rootCauseClass: 'supplier', responsibleDepartment: { id: qa.id, name: '品质部' } });
    expect(analysis.fiveWhys).toHaveLength(3);
    expect(await req(u.handler, 'GET', `/tickets/${id}`)).toMatchObject({ rootCauseClass: 'supplier', responsibleDepartment: { id: qa.id } });

    // Vague wording is returned as warnings naming the field; acknowledged it would pass.
    const vague = await cmd(u.handler, id, {
      command: 'submit_plan', plan: { summary: '整改', measures: [measuresV1()[0], { ...measuresV1()[1], action: '尽快加强注意' }] },
    }, 422);
    expect(vague.error.code).toBe('UNACKNOWLEDGED_WARNINGS');
    expect(vague.error.fields.map((f: { path: string }) => f.path)).toContain('plan.measures.1.action');

    // v1 rejected with an opinion
    await cmd(u.handler, id, { command: 'submit_plan', plan: { summary: '更换减震垫', measures: measuresV1() } });
    await decide(u.manager, id, 'reject', '根因未验证：请附减震垫硬度检测报告');
    let r = await rect(u.handler, id);
    expect(r.plans.map((p: { version: number; status: string }) => [p.version, p.status])).toEqual([[1, 'rejected']]);
    expect(r.revisionBase).toMatchObject({ version: 1, opinion: '根因未验证：请附减震垫硬度检测报告' });
    const v1 = r.revisionBase.measures as { id: string }[];

    // v2 from v1, approved; v1 stays readable
    const v2measures = measuresV1().map((m, i) => ({ ...m, previousId: v1[i]!.id }));
    v2measures[0]!.action = '更换压缩机减震垫（B 型，图号 AC-2231），附硬度检测报告';
    await cmd(u.handler, id, { command: 'submit_plan', plan: { summary: '更换减震垫并加严来料检验', measures: v2measures } });
    let view = await decide(u.manager, id, 'approve', '同意');
    expect(view).toMatchObject({ status: 'rectifying', planProgress: { done: 0, total: 2 } });
    r = await rect(u.handler, id);
    expect(r.plans.map((p: { version: number; status: string }) => [p.version, p.status])).toEqual([[2, 'approved'], [1, 'rejected']]);
    expect(r.plans[1].measures.map((m: { id: string; status: null }) => [m.id, m.status])).toEqual([[v1[0]!.id, null], [v1[1]!.id, null]]);
    expect(r.revisionBase).toBeNull();
    const [m1, m2] = r.plans[0].measures as { id: string; previousId: string; status: string }[];
    expect(m1).toMatchObject({ previousId: v1[0]!.id, status: 'todo' });

    // each measure owner is notified (seed 000: the next step's owner is told)
    const notes = (await t.db.select().from(outbox).where(eq(outbox.kind, 'notify.users')))
      .map((o) => o.payload as { userIds: string[]; kind: string; ticketId: string }).filter((p) => p.ticketId === id);
    expect(notes.filter((n) => n.kind === 'measure_assigned').flatMap((n) => n.userIds).sort()).toEqual([u.engineer.id, u.inspector.id].sort());

    // 我的整改任务 across departments; the engineer sees the ticket although production does not own it
    const mine = await req(u.engineer, 'GET', '/me/measures');
    expect(mine.items).toEqual([expect.objectContaining({ id: m1!.id, status: 'todo', ticket: expect.objectContaining({ id, number: ticket.number }) })]);
    await req(u.engineer, 'GET', `/tickets/${id}`);

    // only the owner (or ticket owner / manager) completes; evidence or a note required
    await req(u.inspector, 'POST', `/tickets/${id}/measures/${m1!.id}/complete`, { note: 'x' }, 403);
    const bare = await req(u.engineer, 'POST', `/tickets/${id}/measures/${m1!.id}/complete`, {}, 400);
    expect(bare.error.fields[0].path).toBe('note');
    await req(u.engineer, 'POST', `/tickets/${id}/measures/${m1!.id}/start`, {});
    await req(u.engineer, 'POST', `/tickets/${id}/measures/${m1!.id}/comments`, { body: 'B 型减震垫已到货' });
    expect(await req(u.engineer, 'POST', `/tickets/${id}/measures/${m1!.id}/complete`, { note: '已更换，硬度 62' }))
      .toMatchObject({ status: 'done', onBehalf: false, completedBy: { id: u.engineer.id }, comments: [expect.objectContaining({ body: 'B 型减震垫已到货' })] });
    // acceptance cannot start while a measure is open
    const early = await cmd(u.handler, id, { command: 'start_acceptance' }, 409);
    expect(early.error.message).toContain('not done yet');
    await req(u.inspector, 'POST', `/tickets/${id}/measures/${m2!.id}/complete`, { note: 'QI-07 已发布' });
    const allDone = (await t.db.select().from(outbox).where(eq(outbox.kind, 'notify.users')))
      .map((o) => o.payload as { userIds: string[]; kind: string; ticketId: string })
      .filter((p) => p.ticketId === id && p.kind === 'measures_completed');
    expect(allDone.flatMap((n) => n.userIds)).toEqual([u.handler.id]);

    // round 1: checklist = the plan's criteria + the category template
    view = await cmd(u.handler, id, { command: 'start_acceptance' });
    expect(view.status).toBe('accepting');
    r = await rect(u.handler, id);
    const round1 = r.acceptanceRounds[0];
    expect(round1.items.map((i: { source: string; item: string }) => [i.source, i.item])).toEqual([
      ['measure', v2measures[0]!.action], ['measure', v2measures[1]!.action], ['template', '设备异响'],
    ]);
    expect(round1.items[0].criterion).toEqual(noise);
    expect(round1.items[2]).toMatchObject({ templateItemId: tpl.id, method: '现场分贝仪测量并录像' });
    expect((await req(u.verifier, 'GET', '/me/acceptances')).items)
      .toEqual([expect.objectContaining({ ticket: expect.objectContaining({ id }), round: 1, items: 3, recorded: 0 })]);

    // the measure owner cannot verify their own measure
    const own = await req(u.inspector, 'PUT', `/tickets/${id}/acceptance/items/${round1.items[1].id}`, { result: 'pass' }, 403);
    expect(own.error.message).toContain('measure 2');
    await req(u.verifier, 'PUT', `/tickets/${id}/acceptance/items/${round1.items[0].id}`,
      { measuredValue: '48 dB', result: 'fail', note: '夜间实测 48 dB，超标', reportNo: 'TR-2023-088' });
    await req(u.verifier, 'PUT', `/tickets/${id}/acceptance/items/${round1.items[1].id}`, { result: 'pass', measuredValue: '已执行' });
    const na = await req(u.verifier, 'PUT', `/tickets/${id}/acceptance/items/${round1.items[2].id}`, { result: 'na' }, 400);
    expect(na.error.fields[0].path).toBe('naReason');
    await req(u.verifier, 'PUT', `/tickets/${id}/acceptance/items/${round1.items[2].id}`, { result: 'pass', measuredValue: '48 dB（同上）' });
    expect((await cmd(u.verifier, id, { command: 'pass_acceptance' }, 409)).error.message).toContain('not recorded as pass');
    view = await cmd(u.verifier, id, { command: 'fail_acceptance', reason: '噪音 48 dB，未达 45 dB' });
    expect(view).toMatchObject({ status: 'rectifying', reworkCount: 1, planProgress: { done: 1, total: 2 } });
    r = await rect(u.handler, id);
    expect(r.plans[0].measures.map((m: { status: string }) => m.status)).toEqual(['todo', 'done']);
    expect(r.acceptanceRounds[0]).toMatchObject({ round: 1, status: 'failed', result: '噪音 48 dB，未达 45 dB' });
    expect(r.acceptanceRounds[0].items[0]).toMatchObject({ measuredValue: '48 dB', result: 'fail', reportNo: 'TR-2023-088', verifier: { id: u.verifier.id } });

    // rework: only the noise measure, then round 2 passes at 42 dB
    expect((await req(u.engineer, 'GET', '/me/measures')).items.map((m: { id: string }) => m.id)).toEqual([m1!.id]);
    await req(u.engineer, 'POST', `/tickets/${id}/measures/${m1!.id}/complete`, { note: '加装隔振垫，重新紧固' });
    await cmd(u.handler, id, { command: 'start_acceptance' });
    r = await rect(u.handler, id);
    const round2 = r.acceptanceRounds[0];
    expect(round2.round).toBe(2);
    for (const [i, item] of (round2.items as { id: string }[]).entries()) {
      await req(u.verifier, 'PUT', `/tickets/${id}/acceptance/items/${item.id}`, { result: 'pass', measuredValue: i === 0 ? '42 dB' : '符合' });
    }
    view = await cmd(u.verifier, id, { command: 'pass_acceptance', note: '连续 24 小时实测 42 dB' });
    expect(view.status).toBe('follow_up');
    // The customer confirms with 5 stars through the follow-up link (no login; followup/).
    const issued = await req(u.agent, 'POST', `/tickets/${id}/follow-up-link`);
    const token = new URL(issued.issuedUrl as string).pathname.split('/').pop()!;
    const answered = await t.app.inject({
      method: 'POST', url: `/api/v1/public/follow-up/${token}`, payload: { solved: true, rating: 5, comment: '安静多了，谢谢' },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    view = await req(u.handler, 'GET', `/tickets/${id}`);
    expect(view).toMatchObject({ status: 'closed', reworkCount: 1, reopenCount: 0, feedback: { rating: 5, comment: '安静多了，谢谢' } });
    // The link works once.
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/public/follow-up/${token}`, payload: { solved: true, rating: 5 } });
    expect(again.statusCode).toBe(410);

    r = await rect(u.handler, id);
    expect(r.acceptanceRounds.map((x: { round: number; status: string }) => [x.round, x.status])).toEqual([[2, 'passed'], [1, 'failed']]);
    const entered = Object.fromEntries(r.stageDurations.items.map((s: { status: string; entered: number }) => [s.status, s.entered]));
    expect(entered).toEqual({ registered: 1, assigned: 1, analyzing: 2, plan_review: 2, rectifying: 2, accepting: 2, follow_up: 1 });
    for (const s of r.stageDurations.items) expect(s.businessMinutes).toBeGreaterThanOrEqual(0);
    expect(await req(u.handler, 'GET', `/tickets/${id}/stage-durations`)).toEqual(r.stageDurations);

    const types = (await t.db.select({ type: auditEvents.type }).from(auditEvents)
      .where(eq(auditEvents.ticketId, id)).orderBy(auditEvents.seq)).map((e) => e.type);
    expect(types.filter((x) => !x.startsWith('acceptance.item'))).toEqual([
      'ticket.created', 'ticket.assigned', 'ticket.accept', 'rectification.analysis_saved', 'ticket.submit_plan',
      'approval.started', 'approval.task_rejected', 'ticket.reject_plan',
      'ticket.submit_plan', 'approval.started', 'approval.task_approved', 'ticket.approve_plan', 'rectification.measure_started', 'rectification.measure_commented',
      'rectification.measure_completed', 'rectification.measure_completed', 'ticket.start_acceptance', 'ticket.fail_acceptance',
      'rectification.measure_completed', 'ticket.start_acceptance', 'ticket.pass_acceptance', 'followup.link_sent', 'ticket.confirm',
      'followup.answered',
    ]);
    expect(types.filter((x) => x === 'acceptance.item_recorded')).toHaveLength(6);
    const published = (await t.db.select().from(outbox).where(eq(outbox.kind, 'event')))
      .map((o) => (o.payload as { event: { type: string; payload: { ticketId: string } } }).event)
      .filter((e) => e.payload.ticketId === id).map((e) => e.type);
    for (const type of ['rectification.analysis_saved', 'rectification.plan_submitted', 'rectification.plan_rejected', 'rectification.plan_approved',
      'rectification.measure_completed', 'acceptance.round_started', 'acceptance.item_recorded', 'acceptance.failed', 'acceptance.passed']) {
      expect(published, type).toContain(type);
    }
  });

  it('a 咨询 ticket takes the quick path without a plan', async () => {
    const { id } = await intake('空调遥控器怎么设置睡眠模式', consult.id);
    await cmd(u.handler, id, { command: 'accept' });
    await cmd(u.handler, id, { command: 'submit_plan', plan: { summary: 's', measures: measuresV1() } }, 409);
    await cmd(u.handler, id, { command: 'resolve', resolution: '按遥控器「睡眠」键，屏幕显示月亮图标即可' });
    const view = await cmd(u.agent, id, { command: 'confirm', rating: 5 });
    expect(view).toMatchObject({ status: 'closed', reworkCount: 0, planProgress: { done: 0, total: 0 } });
    const r = await rect(u.handler, id);
    expect(r).toMatchObject({ analysis: null, plans: [], acceptanceRounds: [] });
    expect(r.stageDurations.items.map((s: { status: string }) => s.status)).toEqual(['registered', 'assigned', 'analyzing', 'follow_up']);
  });

  it('refuses a measure without owner, due date or criterion, naming the field', async () => {
    const { id } = await intake('空调噪音大', quality.id);
    await cmd(u.handler, id, { command: 'accept' });
    for (const field of ['ownerId', 'dueDate', 'criterion'] as const) {
      const m = measuresV1();
      delete (m[1] as Record<string, unknown>)[field];
      const res = await cmd(u.handler, id, { command: 'submit_plan', plan: { summary: 's', measures: m } }, 400);
      expect(res.error.fields.map((f: { path: string }) => f.path)).toContain(`plan.measures.1.${field}`);
    }
    // a plan needs an analysis with a root cause
    const noCause = await cmd(u.handler, id, { command: 'submit_plan', plan: { summary: 's', measures: measuresV1() } }, 400);
    expect(noCause.error.fields[0].path).toBe('analysis.rootCause');
    const rows = await t.db.select().from(auditEvents).where(and(eq(auditEvents.ticketId, id), eq(auditEvents.type, 'ticket.submit_plan')));
    expect(rows).toEqual([]);
  });

  it('reminds the owner of an overdue measure once per due date, and flags it on 我的整改任务', async () => {
    const { id } = await intake('空调外机漏水', quality.id);
    await cmd(u.handler, id, { command: 'accept' });
    const late = measuresV1().map((m) => ({ ...m, dueDate: '2026-11-02' }));
    await cmd(u.handler, id, {
      command: 'submit_plan', analysis: { rootCause: { text: '排水管坡度不足', certainty: 'verified' } }, plan: { summary: '重新铺设排水管', measures: late },
    });
    await decide(u.manager, id, 'approve');
    const mine = await req(u.engineer, 'GET', '/me/measures');
    expect(mine.items.find((m: { ticket: { id: string } }) => m.ticket.id === id)).toMatchObject({ overdue: true, dueDate: '2026-11-02' });

    const now = new Date('2026-11-03T01:00:00Z');
    expect(await remindOverdueMeasures({ db: t.db, now })).toBe(2);
    expect(await remindOverdueMeasures({ db: t.db, now })).toBe(0);
    const reminders = (await t.db.select().from(outbox).where(eq(outbox.kind, 'notify.users')))
      .map((o) => o.payload as { userIds: string[]; kind: string; ticketId: string })
      .filter((p) => p.ticketId === id && p.kind === 'measure_overdue');
    expect(reminders.flatMap((r) => r.userIds).sort()).toEqual([u.engineer.id, u.inspector.id].sort());
  });

  it('records containment, and a responsibility dispute decided by a manager with reasons', async () => {
    const { id } = await intake('空调批量异响', quality.id);
    await cmd(u.handler, id, { command: 'accept' });
    const c = await req(u.handler, 'POST', `/tickets/${id}/rectification/containment`,
      { location: 'warehouse', action: '冻结库存同批次外机', ownerId: u.engineer.id, quantity: 120, result: '已隔离 120 台' }, 201);
    expect(c).toMatchObject({ location: 'warehouse', owner: { id: u.engineer.id }, quantity: 120 });
    await req(u.engineer, 'POST', `/tickets/${id}/rectification/containment`, { location: 'customer', action: 'x', ownerId: u.engineer.id }, 404);
    await req(u.handler, 'PUT', `/tickets/${id}/rectification/analysis`, {
      rootCause: { text: '装配扭矩不足', certainty: 'hypothesis' }, rootCauseClass: 'manufacturing', responsibleDepartmentId: production.id,
    });
    // A member of another department may not speak for production; the engineer may.
    await req(u.handler, 'POST', `/tickets/${id}/rectification/disputes`, { departmentId: production.id, reason: 'x' }, 403);
    const d = await req(u.engineer, 'POST', `/tickets/${id}/rectification/disputes`,
      { departmentId: production.id, reason: '扭矩记录合格，减震垫来料问题', proposedDepartmentId: qa.id }, 201);
    await req(u.handler, 'POST', `/tickets/${id}/rectification/disputes/${d.id}/decision`, { decision: 'upheld', reasons: 'x' }, 403);
    const bad = await req(u.manager, 'POST', `/tickets/${id}/rectification/disputes/${d.id}/decision`, { decision: 'reassigned', reasons: '见检测报告' }, 400);
    expect(bad.error.fields[0].path).toBe('responsibleDepartmentId');
    const decided = await req(u.manager, 'POST', `/tickets/${id}/rectification/disputes/${d.id}/decision`,
      { decision: 'reassigned', responsibleDepartmentId: qa.id, reasons: '硬度检测报告 TR-2023-091 证实来料问题' });
    expect(decided).toMatchObject({ status: 'decided', decision: 'reassigned', responsibleDepartmentId: qa.id, decidedBy: { id: u.manager.id } });
    const r = await rect(u.handler, id);
    expect(r.analysis).toMatchObject({ responsibleDepartment: { id: qa.id }, rootCauseClass: 'manufacturing' });
    expect(r.disputes).toHaveLength(1);
    expect(r.containment).toHaveLength(1);
    expect(await req(u.handler, 'GET', `/tickets/${id}`)).toMatchObject({ responsibleDepartment: { id: qa.id } });
    await req(u.manager, 'POST', `/tickets/${id}/rectification/disputes/${d.id}/decision`, { decision: 'upheld', reasons: 'x' }, 409);
  });

  it('sums stays in business minutes of the default calendar', async () => {
    const cal = await defaultCalendar(t.db);
    // Monday 2026-11-23, 09:00 → 14:00 China time: 09:00–12:00 and 13:30–14:00 are working time.
    const items = sumStages({
      createdAt: new Date('2026-11-23T01:00:00Z'), calendar: cal, now: new Date('2026-11-23T09:00:00Z'),
      changes: [{ at: new Date('2026-11-23T06:00:00Z'), status: 'assigned' }, { at: new Date('2026-11-23T08:00:00Z'), status: 'closed' }],
    });
    expect(items).toEqual([
      { status: 'registered', businessMinutes: 210, minutes: 300, entered: 1 },
      { status: 'assigned', businessMinutes: 120, minutes: 120, entered: 1 },
    ]);
  });
});
