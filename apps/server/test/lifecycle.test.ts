import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transition } from '@closeloop/contract';
import type { DomainEvent } from '@closeloop/contract';
import { auditEvents, notifications, outbox, tickets, userDepartments } from '../src/db/schema.js';
import { runOutboxOnce } from '../src/jobs/runner.js';
import { newId, toNumber } from '../src/db/util.js';
import { backends } from './backends.js';
import {
  createTestApp, json, login, makeCategory, makeDepartment, makeUser, type TestApp,
} from './harness.js';

type Headers = Awaited<ReturnType<typeof login>>;
type TicketInsert = typeof tickets.$inferInsert;

describe.each(backends)('ticket lifecycle on $name', (backend) => {
  let t: TestApp;
  let dept: { id: string };
  let otherDept: { id: string };
  let fullCat: { id: string };
  let quickCat: { id: string };
  const u = {} as Record<'admin' | 'manager' | 'agent' | 'handler' | 'handler2' | 'verifier' | 'head' | 'customer' | 'otherCustomer',
    { id: string; displayName: string; customerId: string | null; headers: Headers }>;

  beforeAll(async () => {
    t = await createTestApp(backend);
    dept = await makeDepartment(t.db);
    otherDept = await makeDepartment(t.db);
    fullCat = await makeCategory(t.db, { processTemplate: 'full' });
    quickCat = await makeCategory(t.db, { processTemplate: 'quick' });
    const specs = {
      admin: ['admin', []], manager: ['manager', [dept.id]], agent: ['agent', []], handler: ['handler', [dept.id]],
      handler2: ['handler', [dept.id]], verifier: ['verifier', []], head: ['handler', [dept.id]],
      customer: ['customer', []], otherCustomer: ['customer', []],
    } as const;
    for (const [key, [role, departmentIds]] of Object.entries(specs)) {
      const row = await makeUser(t.db, role, { departmentIds: [...departmentIds] });
      u[key as keyof typeof u] = { ...row, headers: await login(t.app, row.username) };
    }
    await t.db.update(userDepartments).set({ isHead: true }).where(eq(userDepartments.userId, u.head.id));
  });
  afterAll(async () => { await t?.close(); });

  async function makeTicket(over: Partial<TicketInsert> = {}) {
    const id = newId();
    const [row] = await t.db.insert(tickets).values({
      id, number: `T-${id.slice(-12)}`, title: '洗衣机电机异响', description: '使用三天后脱水时有明显异响',
      channel: 'phone', status: 'registered', priority: 'P2', priorityRank: 2, urgency: 'medium',
      processTemplate: 'full', categoryId: fullCat.id, customerId: u.customer.customerId!,
      product: { model: 'XQG100' }, occurredAt: new Date('2026-11-20T02:00:00Z'), departmentId: dept.id,
      createdById: u.agent.id, ...over,
    }).returning();
    return row!;
  }

  const send = (who: Headers, id: string, body: Transition | Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/transitions`, headers: who, payload: body });

  async function step(who: Headers, id: string, body: Transition) {
    const res = await send(who, id, body);
    expect(res.statusCode, `${body.command}: ${res.body}`).toBe(200);
    return json(res);
  }

  /** The event outbox rows published for a ticket. */
  const eventRowsOf = async (ticketId: string) => (await t.db.select().from(outbox).where(eq(outbox.kind, 'event')))
    .map((r) => ({ ...(r.payload as { subscriber: string; event: DomainEvent }), dedupeKey: r.dedupeKey }))
    .filter((r) => r.event.payload.ticketId === ticketId);
  const reread = async (id: string) => (await t.db.select().from(tickets).where(eq(tickets.id, id)))[0]!;
  const eventCount = async (id: string) =>
    toNumber((await t.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.ticketId, id)))[0]!.n);

  /** A refused command answers the code and leaves the row and the timeline as they were. */
  async function expectRefused(who: Headers, id: string, body: Transition | Record<string, unknown>, status: number, code: string) {
    const before = await reread(id);
    const events = await eventCount(id);
    const res = await send(who, id, body);
    expect(res.statusCode, res.body).toBe(status);
    expect(json(res).error.code).toBe(code);
    expect(await reread(id)).toEqual(before);
    expect(await eventCount(id)).toBe(events);
    return json(res).error as { code: string; message: string; fields?: { path: string }[] };
  }

  const cause = (text: string) => ({ text, certainty: 'verified' as const, evidenceAttachmentIds: [] });
  const plan = (measureOwner: string): Transition => ({
    command: 'submit_plan',
    analysis: {
      directCause: cause('轴承磨损'), rootCause: cause('供应商轴承批次润滑脂不足'), rootCauseClass: 'supplier',
      fiveWhys: [], fishbone: [], evidenceAttachmentIds: [],
    },
    plan: {
      summary: '更换轴承并加严来料检验',
      measures: [
        {
          type: 'corrective', action: '上门更换电机轴承', ownerId: measureOwner, dueDate: '2026-12-01',
          criterion: { kind: 'metric', metric: '脱水噪音', operator: '<', target: 45, unit: 'dB' },
        },
        {
          type: 'preventive', preventiveKind: 'inspection_standard', action: '来料检验增加润滑脂抽检', ownerId: u.handler.id,
          dueDate: '2026-12-05', criterion: { kind: 'check', text: '连续 3 批合格' },
        },
      ],
    },
  });
  const rect = async (who: Headers, id: string) =>
    json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/rectification`, headers: who }));
  const measureCmd = async (who: Headers, id: string, measureId: string, action: string, body: Record<string, unknown> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/measures/${measureId}/${action}`, headers: who, payload: body });
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  };
  const recordAll = async (who: Headers, id: string, result: (i: { measureId: string | null }) => 'pass' | 'fail') => {
    const round = (await rect(who, id)).acceptanceRounds[0];
    for (const item of round.items) {
      const res = await t.app.inject({
        method: 'PUT', url: `/api/v1/tickets/${id}/acceptance/items/${item.id}`, headers: who,
        payload: { result: result(item), measuredValue: '—' },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  };

  it('walks a full ticket through every step to closed, then reopens it', async () => {
    const ticket = await makeTicket({ ownerId: null });
    const id = ticket.id;

    let view = await step(u.agent.headers, id, { command: 'reassign', ownerId: u.handler.id, reason: '电机问题' });
    expect(view).toMatchObject({ status: 'assigned', owner: { id: u.handler.id } });

    view = await step(u.handler.headers, id, { command: 'accept', note: '已联系客户' });
    expect(view.status).toBe('analyzing');
    expect(view.firstRespondedAt).not.toBeNull();
    expect(view.allowedCommands).toContain('submit_plan');

    // No approval flow is attached to the category: the plan gate passes (the system approves
    // the plan at once). Flows, rejections and approvers: test/approvals/approvals.test.ts.
    view = await step(u.handler.headers, id, plan(u.handler2.id));
    expect(view.status).toBe('rectifying');
    expect((await rect(u.handler.headers, id)).plans[0]).toMatchObject({ status: 'approved' });
    expect(view.status).toBe('rectifying');

    // each measure by its owner
    const [m0, m1] = (await rect(u.handler.headers, id)).plans[0].measures as { id: string }[];
    expect(await measureCmd(u.handler2.headers, id, m0!.id, 'complete', { note: '已更换' })).toMatchObject({ status: 'done', note: '已更换', onBehalf: false });
    view = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}`, headers: u.handler.headers }));
    expect(view.planProgress).toEqual({ done: 1, total: 2 });
    expect(view.allowedCommands).not.toContain('start_acceptance');
    await measureCmd(u.handler.headers, id, m1!.id, 'complete', { note: '已加严' });
    view = await step(u.handler.headers, id, { command: 'start_acceptance' });
    expect(view.status).toBe('accepting');

    await recordAll(u.verifier.headers, id, (i) => (i.measureId === m0!.id ? 'fail' : 'pass'));
    view = await step(u.verifier.headers, id, { command: 'fail_acceptance', reason: '实测 52 dB' });
    expect(view).toMatchObject({ status: 'rectifying', reworkCount: 1, planProgress: { done: 1, total: 2 } });
    expect((await rect(u.handler.headers, id)).plans[0].measures.map((m: { status: string }) => m.status)).toEqual(['todo', 'done']);

    await measureCmd(u.handler.headers, id, m0!.id, 'complete', { note: '再次更换' });
    await step(u.handler.headers, id, { command: 'start_acceptance' });
    await recordAll(u.verifier.headers, id, () => 'pass');
    view = await step(u.verifier.headers, id, { command: 'pass_acceptance', note: '实测 41 dB' });
    expect(view).toMatchObject({ status: 'follow_up' });
    expect(view.resolvedAt).not.toBeNull();

    view = await step(u.customer.headers, id, { command: 'confirm', rating: 5, comment: '师傅很专业' });
    expect(view).toMatchObject({ status: 'closed', feedback: { rating: 5, comment: '师傅很专业' } });
    expect(view.closedAt).not.toBeNull();

    view = await step(u.customer.headers, id, { command: 'reopen', reason: '一周后又出现异响' });
    expect(view).toMatchObject({ status: 'analyzing', reopenCount: 1, closedAt: null, resolvedAt: null, feedback: null });

    const row = await reread(id);
    expect(row.version).toBe(ticket.version + 17);
    const types = (await t.db.select({ type: auditEvents.type }).from(auditEvents)
      .where(eq(auditEvents.ticketId, id)).orderBy(auditEvents.seq)).map((e) => e.type);
    expect(types).toEqual([
      'ticket.reassign', 'ticket.accept', 'ticket.submit_plan', 'ticket.approve_plan',
      'rectification.measure_completed', 'rectification.measure_completed', 'ticket.start_acceptance',
      'acceptance.item_recorded', 'acceptance.item_recorded', 'ticket.fail_acceptance', 'rectification.measure_completed',
      'ticket.start_acceptance', 'acceptance.item_recorded', 'acceptance.item_recorded', 'ticket.pass_acceptance',
      'ticket.confirm', 'ticket.reopen',
    ]);
  });

  it('walks a quick ticket assigned → handling → follow-up → closed', async () => {
    const { id } = await makeTicket({ processTemplate: 'quick', categoryId: quickCat.id, status: 'assigned', ownerId: null });
    let view = await step(u.handler2.headers, id, { command: 'accept' });
    expect(view).toMatchObject({ status: 'analyzing', owner: { id: u.handler2.id } });
    expect(view.allowedCommands).toContain('resolve');
    expect(view.allowedCommands).not.toContain('submit_plan');
    view = await step(u.handler2.headers, id, { command: 'resolve', resolution: '长按电源键 5 秒可重置' });
    expect(view).toMatchObject({ status: 'follow_up', resolution: '长按电源键 5 秒可重置' });
    view = await step(u.agent.headers, id, { command: 'confirm', rating: 4 });
    expect(view).toMatchObject({ status: 'closed', feedback: { rating: 4, comment: null } });
    expect(view.allowedCommands).toEqual(['reopen']);
  });

  it('keeps status for set_waiting, cancels with a reason', async () => {
    const { id } = await makeTicket({ status: 'analyzing', ownerId: u.handler.id });
    let view = await step(u.handler.headers, id, { command: 'set_waiting', waiting: true, note: '请补充视频' });
    expect(view).toMatchObject({ status: 'analyzing', waitingOnCustomer: true });
    view = await step(u.agent.headers, id, { command: 'cancel', reason: '客户重复提交' });
    expect(view).toMatchObject({ status: 'cancelled', cancelReason: '客户重复提交', allowedCommands: [] });

    const fresh = await makeTicket({ status: 'registered' });
    view = await step(u.customer.headers, fresh.id, { command: 'cancel', reason: '问题已自行解决' });
    expect(view.status).toBe('cancelled');
  });

  it('refuses a command the status or template does not allow, changing nothing', async () => {
    const analyzing = await makeTicket({ status: 'analyzing', ownerId: u.handler.id });
    const err = await expectRefused(u.manager.headers, analyzing.id, { command: 'approve_plan' }, 409, 'INVALID_TRANSITION');
    expect(err.message).toBe('cannot approve_plan a ticket in status analyzing');
    await expectRefused(u.handler.headers, analyzing.id, { command: 'resolve', resolution: '已解答' }, 409, 'INVALID_TRANSITION');

    const open = await makeTicket({ status: 'rectifying', ownerId: u.handler.id, measuresTotal: 2, measuresDone: 1 });
    const openErr = await expectRefused(u.handler.headers, open.id, { command: 'start_acceptance' }, 409, 'INVALID_TRANSITION');
    expect(openErr.message).toContain('1 measure(s) not done yet');

    const longClosed = await makeTicket({ status: 'closed', closedAt: new Date(Date.now() - 100 * 86_400_000) });
    const late = await expectRefused(u.customer.headers, longClosed.id, { command: 'reopen', reason: '又坏了' }, 409, 'INVALID_TRANSITION');
    expect(late.message).toContain('90 days');
  });

  it('refuses a role or person the table does not allow with 403', async () => {
    const review = await makeTicket({ status: 'plan_review', ownerId: u.handler.id });
    await expectRefused(u.handler.headers, review.id, { command: 'approve_plan' }, 403, 'FORBIDDEN');
    const assigned = await makeTicket({ status: 'assigned', ownerId: u.handler.id });
    await expectRefused(u.handler2.headers, assigned.id, { command: 'accept' }, 403, 'FORBIDDEN');
    await expectRefused(u.customer.headers, assigned.id, { command: 'reassign', ownerId: u.handler2.id }, 403, 'FORBIDDEN');
    const accepting = await makeTicket({ status: 'accepting', ownerId: u.handler.id });
    await expectRefused(u.handler.headers, accepting.id, { command: 'pass_acceptance' }, 403, 'FORBIDDEN');
    const analyzing = await makeTicket({ status: 'analyzing', ownerId: u.handler.id });
    await expectRefused(u.customer.headers, analyzing.id, { command: 'cancel', reason: '不要了' }, 403, 'FORBIDDEN');
  });

  it('answers 404 to a customer acting on another customer\'s ticket', async () => {
    const { id } = await makeTicket({ status: 'follow_up' });
    await expectRefused(u.otherCustomer.headers, id, { command: 'confirm', rating: 1 }, 404, 'NOT_FOUND');
    const foreign = await makeTicket({ status: 'assigned', departmentId: otherDept.id, ownerId: null });
    await expectRefused(u.handler.headers, foreign.id, { command: 'accept' }, 404, 'NOT_FOUND');
  });

  it('serialises concurrent commands: the second sees the first one\'s result', async () => {
    const { id } = await makeTicket({ status: 'assigned', ownerId: u.handler.id });
    const results = await Promise.all([
      send(u.manager.headers, id, { command: 'accept' }),
      send(u.admin.headers, id, { command: 'accept' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await eventCount(id)).toBe(1);
    expect((await reread(id)).version).toBe(2);
  });

  it('reassign publishes ticket.assigned (and no status change) to the notifications subscriber', async () => {
    const { id } = await makeTicket({ status: 'assigned', ownerId: null });
    await step(u.manager.headers, id, { command: 'reassign', ownerId: u.handler2.id, departmentId: otherDept.id });
    const mine = (await eventRowsOf(id)).filter((r) => r.event.type === 'ticket.assigned' && r.subscriber === 'notifications');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.subscriber).toBe('notifications');
    expect(mine[0]!.event).toMatchObject({
      actor: { kind: 'user', userId: u.manager.id },
      cause: { depth: 0, automations: [] },
      payload: { ticketId: id, command: 'reassign', to: { ownerId: u.handler2.id, departmentId: otherDept.id } },
    });
    expect(mine[0]!.dedupeKey).toBe(`notifications:${mine[0]!.event.id}`);
    const row = await reread(id);
    expect(row).toMatchObject({ status: 'assigned', ownerId: u.handler2.id, departmentId: otherDept.id });
  });

  it('reassign and submit_plan check the people and departments they name', async () => {
    const { id } = await makeTicket({ status: 'assigned', ownerId: u.handler.id });
    const none = await expectRefused(u.agent.headers, id, { command: 'reassign', reason: '无' }, 400, 'VALIDATION_FAILED');
    expect(none.fields?.[0]?.path).toBe('departmentId');
    const dept404 = await expectRefused(u.agent.headers, id, { command: 'reassign', departmentId: newId() }, 400, 'VALIDATION_FAILED');
    expect(dept404.fields?.[0]?.path).toBe('departmentId');
    const cust = await expectRefused(u.agent.headers, id, { command: 'reassign', ownerId: u.customer.id }, 400, 'VALIDATION_FAILED');
    expect(cust.fields?.[0]?.path).toBe('ownerId');

    const analyzing = await makeTicket({ status: 'analyzing', ownerId: u.handler.id });
    const measure = await expectRefused(u.handler.headers, analyzing.id, plan(newId()), 400, 'VALIDATION_FAILED');
    expect(measure.fields?.[0]?.path).toBe('plan.measures.0.ownerId');

    // ownerId null clears the owner; the department stays
    const view = await step(u.agent.headers, id, { command: 'reassign', ownerId: null });
    expect(view).toMatchObject({ owner: null, department: { id: dept.id }, status: 'assigned' });
  });

  it('escalate flags the ticket and notifies the department head and managers', async () => {
    const { id } = await makeTicket({ status: 'analyzing', ownerId: u.handler.id });
    const view = await step(u.handler.headers, id, { command: 'escalate', reason: '客户威胁投诉' });
    expect(view).toMatchObject({ escalated: true, status: 'analyzing' });
    const rows = (await eventRowsOf(id)).filter((r) => r.event.type === 'ticket.escalated' && r.subscriber === 'notifications');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.event.payload).toMatchObject({ ticketId: id, reason: '客户威胁投诉' });
    await runOutboxOnce({ db: t.db, instanceId: 'lifecycle-test' });
    const told = await t.db.select().from(notifications).where(eq(notifications.ticketId, id));
    expect(told.map((n) => n.userId).sort()).toEqual([u.head.id, u.manager.id].sort());
    expect(told[0]).toMatchObject({ kind: 'ticket_escalated', body: '客户威胁投诉' });
  });
});
