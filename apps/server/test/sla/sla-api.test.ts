/**
 * SLA over the API on the demo configuration (the defaults created at start-up): the seeds'
 * targets for P1 and VIP, pause and resume, first response, recompute on a priority change,
 * and the timers' warnings, breaches, level-2 escalations and P1 progress messages, each once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { scopesForRole, type Actor } from '../../src/auth/actor.js';
import { addBusinessMinutes } from '../../src/calendars/business-time.js';
import { defaultCalendar } from '../../src/calendars/calendar-cache.js';
import { auditEvents, calendars, comments, customerIdentities, departments, notifications, slaClocks, slaFirings, tickets, userDepartments } from '../../src/db/schema.js';
import { runOutboxOnce } from '../../src/jobs/runner.js';
import { ensureSlaDefaults } from '../../src/sla/ensure-sla-defaults.js';
import { runTimersOnce } from '../../src/sla/run-timers-once.js';
import { createTicket } from '../../src/tickets/create-ticket.js';
import { backends } from '../backends.js';
import { createTestApp, json, makeCategory, makeCustomer, makeDepartment, type TestApp } from '../harness.js';
import { createTicketRequest, person, ticketBody, type Person } from '../ticket-fixtures.js';

const MIN = 60_000;

describe.each(backends)('SLA on the demo configuration on $name', (backend) => {
  let t: TestApp;
  let admin: Person;
  let manager: Person;
  let handler: Person;
  let categoryId: string;
  let hotlineId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    await ensureSlaDefaults({ db: t.db });
    const dept = await makeDepartment(t.db);
    manager = await person(t, 'manager', [dept.id]);
    await t.db.update(departments).set({ headUserId: manager.id }).where(eq(departments.id, dept.id));
    await t.db.update(userDepartments).set({ isHead: true }).where(eq(userDepartments.userId, manager.id));
    handler = await person(t, 'handler', [dept.id]);
    admin = await person(t, 'admin');
    categoryId = (await makeCategory(t.db, { defaultDepartmentId: dept.id, defaultOwnerId: handler.id, processTemplate: 'quick' })).id;
    hotlineId = (await t.db.select({ id: calendars.id }).from(calendars).where(eq(calendars.code, 'hotline-24x7')))[0]!.id;
  });
  afterAll(async () => { await t?.close(); });

  /** Runs the outbox (subscribers) until nothing is left. */
  const drain = async () => {
    for (let i = 0; i < 20 && await runOutboxOnce({ db: t.db, instanceId: 'test' }) > 0; i++) { /* again */ }
  };
  const clocksOf = async (id: string) => json<{ items: Array<Record<string, any>> }>(await t.app.inject({
    method: 'GET', url: `/api/v1/tickets/${id}/sla`, headers: manager.headers,
  })).items;
  const metric = (items: Array<Record<string, any>>, m: string) => items.find((c) => c.metric === m)!;
  const create = async (over: Parameters<typeof ticketBody>[1] = {}) => {
    const res = await createTicketRequest(t, admin.headers, ticketBody(categoryId, over));
    expect(res.statusCode).toBe(201);
    await drain();
    return json(res);
  };

  it('has the seeds\' defaults: P1 / P2 / P3 policies and the tier caps, P1 on the 7×24 calendar', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/sla/policies', headers: manager.headers });
    const items = json(res).items as Array<Record<string, any>>;
    expect(items.map((p) => [p.name, p.targets, p.calendarId === hotlineId])).toEqual([
      ['P1 紧急', { firstResponse: 60, update: 240, resolution: 1440 }, true],
      ['P2 重要', { firstResponse: 240, update: 1440, resolution: 4320 }, false],
      // 5 working days of the standard calendar (09:00–12:00, 13:30–18:00 = 450 minutes a day).
      ['P3 一般', { firstResponse: 480, update: null, resolution: 2250 }, false],
    ]);
    const tiers = json(await t.app.inject({ method: 'GET', url: '/api/v1/sla/tier-targets', headers: manager.headers })).items;
    expect(Object.fromEntries(tiers.map((x: any) => [x.tier, x.firstResponseMinutes]))).toEqual({ vip: 120, potential: 240, regular: 480 });
    // Seeding twice changes nothing.
    expect((await ensureSlaDefaults({ db: t.db })).created).toBe(false);
  });

  it('P1: respond within 1 h, update every 4 h, resolve within 24 h — around the clock', async () => {
    const ticket = await create({ urgency: 'critical' });
    expect(ticket.priority).toBe('P1');
    const items = await clocksOf(ticket.id);
    const created = new Date(ticket.createdAt).getTime();
    expect(items.map((c) => [c.metric, c.targetMinutes, c.status])).toEqual([
      ['first_response', 60, 'active'], ['update', 240, 'active'], ['resolution', 1440, 'active'],
    ]);
    expect(new Date(metric(items, 'first_response').dueAt).getTime()).toBe(created + 60 * MIN);
    expect(new Date(metric(items, 'resolution').dueAt).getTime()).toBe(created + 24 * 60 * MIN);
    expect(metric(items, 'first_response').warnAt).toBe(new Date(created + 48 * MIN).toISOString());
    // The list shows the nearest due time.
    const got = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: manager.headers }));
    expect(got.sla).toEqual({ dueAt: new Date(created + 60 * MIN).toISOString(), state: 'active' });
  });

  it('VIP: the first response within 2 business hours wins over P3\'s 8; a regular customer keeps 8', async () => {
    const vip = await makeCustomer(t.db, { tier: 'vip', phone: '13900000001' });
    await t.db.insert(customerIdentities).values({ kind: 'phone', value: '13900000001', customerId: vip.id });
    const ticket = await create({ urgency: 'low', customer: { name: vip.name, phone: '13900000001' } });
    expect(ticket.priority).toBe('P3');
    const cal = await defaultCalendar(t.db);
    const fr = metric(await clocksOf(ticket.id), 'first_response');
    expect(fr).toMatchObject({ targetMinutes: 120, source: 'tier:vip' });
    expect(fr.dueAt).toBe(addBusinessMinutes(cal, new Date(ticket.createdAt), 120).toISOString());
    const regular = metric(await clocksOf((await create({ urgency: 'low' })).id), 'first_response');
    expect(regular).toMatchObject({ targetMinutes: 480, source: 'policy' });
  });

  it('pauses while waiting on the customer and resumes with the due time moved; accept meets the first response', async () => {
    const ticket = await create({ urgency: 'high' });
    const before = metric(await clocksOf(ticket.id), 'resolution');
    const transition = (body: object) => t.app.inject({
      method: 'POST', url: `/api/v1/tickets/${ticket.id}/transitions`, headers: manager.headers, payload: body,
    });
    expect((await transition({ command: 'set_waiting', waiting: true })).statusCode).toBe(200);
    await drain();
    const paused = await clocksOf(ticket.id);
    expect(paused.every((c) => c.status === 'paused')).toBe(true);
    expect(json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: manager.headers })).sla)
      .toEqual({ dueAt: null, state: 'paused' });
    // The pause is recorded from the event's instant; make it last 30 minutes by moving it back.
    await t.db.update(slaClocks).set({ pausedAt: sql`paused_at - interval '30 minutes'` }).where(eq(slaClocks.ticketId, ticket.id));
    expect((await transition({ command: 'set_waiting', waiting: false })).statusCode).toBe(200);
    await drain();
    const after = metric(await clocksOf(ticket.id), 'resolution');
    expect(after.status).toBe('active');
    const cal = await defaultCalendar(t.db);
    expect(after.dueAt).toBe(addBusinessMinutes(cal, new Date(before.startedAt), 4320 + after.pausedMinutes).toISOString());
    expect((await transition({ command: 'accept' })).statusCode).toBe(200);
    await drain();
    expect(metric(await clocksOf(ticket.id), 'first_response').status).toBe('met');
  });

  it('recomputes when the priority changes and shows it in the timeline', async () => {
    const ticket = await create({ urgency: 'low' });
    const res = await t.app.inject({
      method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: manager.headers,
      payload: { priority: 'P1', priorityReason: '客户投诉升级' },
    });
    expect(res.statusCode).toBe(200);
    await drain();
    const items = await clocksOf(ticket.id);
    expect(metric(items, 'first_response')).toMatchObject({ targetMinutes: 60, calendarId: hotlineId });
    expect(metric(items, 'update')).toMatchObject({ targetMinutes: 240 });
    const events = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/events`, headers: manager.headers })).items;
    const recomputed = events.filter((e: any) => e.type === 'sla.recomputed');
    expect(recomputed).toHaveLength(1);
    expect(recomputed[0].data.reason).toBe('priority');
  });

  it('warns the owner, breaches to the group manager and escalates to the head, each exactly once', async () => {
    const actor: Actor = { kind: 'user', userId: admin.id, role: 'admin', departmentIds: [], customerId: null, scopes: scopesForRole('admin') };
    // Registered 100 minutes ago as P1: warning (48 min), breach (60 min) and level 2 (90 min) are all due.
    const created = await createTicket({
      db: t.db, actor, now: new Date(Date.now() - 100 * MIN), input: ticketBody(categoryId, { urgency: 'critical' }),
    });
    const id = created.ticket.id;
    await drain();
    for (let i = 0; i < 3; i++) await runTimersOnce({ db: t.db, instanceId: `timers-${i}` });
    await drain();
    // Again, as if a runner repeated work after a crash: nothing new.
    await t.db.execute(sql`update timers set status = 'pending', due_at = now() - interval '1 minute' where ticket_id = ${id} and status = 'done'`);
    await runTimersOnce({ db: t.db, instanceId: 'timers-again' });
    await drain();

    const fr = metric(await clocksOf(id), 'first_response');
    expect(fr).toMatchObject({ status: 'breached', escalationLevel: 2 });
    const firings = await t.db.select().from(slaFirings).where(eq(slaFirings.ticketId, id));
    // Only the first response (due after 60 min) is past its warning share at 100 minutes; the
    // update interval (4 h) and the resolution (24 h) are not.
    const byKind = (kind: string) => firings.filter((f) => f.kind === kind).length;
    expect({ warn: byKind('warn'), breach: byKind('breach'), level2: byKind('level2') }).toEqual({ warn: 1, breach: 1, level2: 1 });
    const audit = await t.db.select({ type: auditEvents.type }).from(auditEvents).where(eq(auditEvents.ticketId, id));
    const count = (type: string) => audit.filter((a) => a.type === type).length;
    expect({ warned: count('sla.warned'), breached: count('sla.breached'), escalated: count('sla.escalated') })
      .toEqual({ warned: 1, breached: 1, escalated: 1 });

    const mine = async (userId: string) => (await t.db.select().from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.ticketId, id)))).map((n) => n.kind).sort();
    // Owner: the warning and the breach (and the assignment); the manager, head of the department
    // (which has no parent): the breach and level 2.
    expect(await mine(handler.id)).toEqual(['sla_breach', 'sla_warn', 'ticket_assigned']);
    expect(await mine(manager.id)).toEqual(['sla_breach', 'sla_level2']);
    const [row] = await t.db.select({ slaState: tickets.slaState, slaDueAt: tickets.slaDueAt, version: tickets.version }).from(tickets).where(eq(tickets.id, id));
    expect(row!.slaState).toBe('breached');
    expect(row!.version).toBe(1);
    // The overdue view lists it and the workbench counts it.
    const overdue = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets?sla=overdue&limit=200', headers: manager.headers }));
    expect(overdue.items.map((x: any) => x.id)).toContain(id);
    const counts = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets/counts?sla=overdue', headers: manager.headers }));
    expect(counts.total).toBe(overdue.items.length);

    // P1: the automatic progress message went out once, as a public comment.
    const progress = await t.db.select().from(comments).where(eq(comments.ticketId, id));
    expect(progress).toHaveLength(1);
    expect(progress[0]!.body).toMatch(/^您的问题已优先处理，售后专员.+将在1小时内联系您/);
    expect(progress[0]!.visibility).toBe('public');
  });
});
