import { and, asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, customers, idempotencyKeys, notifications, outbox, tickets } from '../src/db/schema.js';
import { runOutboxOnce } from '../src/jobs/runner.js';
import { toNumber } from '../src/db/util.js';
import { shanghaiDay } from '../src/tickets/ticket-number.js';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, makeDepartment, type TestApp } from './harness.js';
import { createTicketRequest, nextPhone, person, ticketBody, type Person } from './ticket-fixtures.js';

describe('ticket numbers', () => {
  it('count days in Asia/Shanghai (UTC+8)', () => {
    expect(shanghaiDay(new Date('2026-11-23T15:59:59Z'))).toBe('20261123');
    expect(shanghaiDay(new Date('2026-11-23T16:00:00Z'))).toBe('20261124');
    expect(shanghaiDay(new Date('2026-12-31T16:30:00Z'))).toBe('20270101');
  });
});

describe.each(backends)('ticket intake on $name', (backend) => {
  let t: TestApp;
  let agent: Person;
  let customer: Person;
  let otherCustomer: Person;
  let handler: Person;
  let verifier: Person;
  let category: { id: string };
  let dept: { id: string };

  beforeAll(async () => {
    t = await createTestApp(backend);
    dept = await makeDepartment(t.db);
    category = await makeCategory(t.db, { defaultPriority: 'P3' });
    agent = await person(t, 'agent');
    customer = await person(t, 'customer');
    otherCustomer = await person(t, 'customer');
    handler = await person(t, 'handler', [dept.id]);
    verifier = await person(t, 'verifier');
  });
  afterAll(async () => { await t?.close(); });

  async function counts() {
    const n = async (table: typeof tickets | typeof customers | typeof auditEvents | typeof idempotencyKeys) =>
      toNumber((await t.db.select({ n: count() }).from(table))[0]!.n);
    return { tickets: await n(tickets), customers: await n(customers), events: await n(auditEvents), keys: await n(idempotencyKeys) };
  }

  async function eventsOf(ticketId: string) {
    return t.db.select().from(auditEvents).where(eq(auditEvents.ticketId, ticketId)).orderBy(asc(auditEvents.seq));
  }

  it('registers a phone report from an agent with a readable number, the customer and an audit event', async () => {
    const phone = nextPhone();
    const res = await createTicketRequest(t, agent.headers, ticketBody(category.id, {
      customer: { name: '李雷', phone }, scene: '客厅', readBackConfirmed: true,
    }));
    expect(res.statusCode).toBe(201);
    const ticket = json(res);
    expect(ticket.number).toMatch(new RegExp(`^SH-${shanghaiDay(new Date())}-\\d{4}$`));
    expect(ticket).toMatchObject({
      status: 'registered', priority: 'P3', channel: 'phone', processTemplate: 'full', readBackConfirmed: true,
      scene: '客厅', customer: { name: '李雷', phone }, category: { id: category.id },
      createdBy: { id: agent.id }, owner: null, department: null, version: 1,
    });
    expect(res.headers.location).toBe(`/api/v1/tickets/${ticket.id}`);

    const events = await eventsOf(ticket.id);
    expect(events.map((e) => e.type)).toEqual(['ticket.created']);
    expect(events[0]).toMatchObject({ actorId: agent.id, actorKind: 'user' });
    expect(events[0]!.after).toMatchObject({ number: ticket.number, status: 'registered', categoryId: category.id });

    const again = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers });
    expect(again.statusCode).toBe(200);
    expect(json(again)).toEqual(ticket);
  });

  it('numbers the tickets of one day in sequence', async () => {
    const a = json(await createTicketRequest(t, agent.headers, ticketBody(category.id)));
    const b = json(await createTicketRequest(t, agent.headers, ticketBody(category.id)));
    const seq = (n: string) => Number(n.split('-')[2]);
    expect(b.number.slice(0, 11)).toBe(a.number.slice(0, 11));
    expect(seq(b.number)).toBe(seq(a.number) + 1);
  });

  it('finds a known customer by phone instead of creating a second one', async () => {
    const phone = nextPhone();
    const first = json(await createTicketRequest(t, agent.headers, ticketBody(category.id, { customer: { name: '赵敏', phone } })));
    const before = await counts();
    const spaced = `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
    const second = json(await createTicketRequest(t, agent.headers, ticketBody(category.id, { customer: { name: '赵女士', phone: spaced } })));
    expect(second.customer.id).toBe(first.customer.id);
    expect((await counts()).customers).toBe(before.customers);
  });

  it('derives the priority from the urgency, else the category default; staff may set it', async () => {
    const p = async (over: object) => json(await createTicketRequest(t, agent.headers, ticketBody(category.id, over))).priority;
    expect(await p({ urgency: 'critical' })).toBe('P1');
    expect(await p({ urgency: 'high' })).toBe('P2');
    expect(await p({ urgency: 'low' })).toBe('P3');
    expect(await p({ urgency: 'low', priority: 'P1' })).toBe('P1');
  });

  it('lets a customer report only for themselves, through the web channel', async () => {
    const res = await createTicketRequest(t, customer.headers, ticketBody(category.id, {
      channel: 'phone', priority: 'P1', urgency: 'low', customer: { name: '冒名顶替', phone: nextPhone() },
    }));
    expect(res.statusCode).toBe(201);
    const ticket = json(res);
    expect(ticket.customer.id).toBe(customer.customerId);
    expect(ticket.channel).toBe('web');
    expect(ticket.priority).toBe('P3');
    expect(ticket.analysis).toBeNull();
  });

  it('refuses a malformed body naming the field, and writes nothing', async () => {
    const before = await counts();
    const bad = [
      [{ customer: { phone: nextPhone() } }, 'customer.name'],
      [{ channel: 'fax' }, 'channel'],
      [{ occurredAt: '2026-11-20 10:00' }, 'occurredAt'],
      [{ category: 'not-a-uuid' }, 'category'],
    ] as const;
    for (const [over, path] of bad) {
      const res = await createTicketRequest(t, agent.headers, { ...ticketBody(category.id), ...over }, { 'idempotency-key': `bad-${path}` });
      expect(res.statusCode).toBe(400);
      const body = json(res);
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.fields.map((f: { path: string }) => f.path)).toContain(path);
    }
    expect(await counts()).toEqual(before);
  });

  it('rolls back everything when the category or its custom fields refuse the report', async () => {
    const inactive = await makeCategory(t.db, { active: false });
    const withFields = await makeCategory(t.db, {
      customFields: [
        { key: 'install', label: '安装方式', type: 'select', required: true, options: ['挂装', '座装'] },
        { key: 'hours', label: '使用时长', type: 'number', required: false },
      ],
    });
    const before = await counts();
    const cases = [
      [ticketBody(inactive.id), ['category']],
      [ticketBody(withFields.id), ['customFields.install']],
      [ticketBody(withFields.id, { customFields: { install: '吊装', colour: 'red', hours: '3' } }),
        ['customFields.colour', 'customFields.install', 'customFields.hours']],
    ] as const;
    for (const [body, paths] of cases) {
      const res = await createTicketRequest(t, agent.headers, body, { 'idempotency-key': `rollback-${paths[0]}` });
      expect(res.statusCode).toBe(400);
      expect(json(res).error.fields.map((f: { path: string }) => f.path).sort()).toEqual([...paths].sort());
    }
    // Each attempt would have created a new customer and claimed its key before failing.
    expect(await counts()).toEqual(before);

    const ok = await createTicketRequest(t, agent.headers, ticketBody(withFields.id, { customFields: { install: '挂装', hours: 12 } }));
    expect(ok.statusCode).toBe(201);
    expect(json(ok).customFields).toEqual({ install: '挂装', hours: 12 });
  });

  it('routes by the category defaults: assigned, a system event and a notification for the owner', async () => {
    const routed = await makeCategory(t.db, { defaultDepartmentId: dept.id, defaultOwnerId: handler.id, processTemplate: 'quick' });
    const res = await createTicketRequest(t, agent.headers, ticketBody(routed.id));
    expect(res.statusCode).toBe(201);
    const ticket = json(res);
    expect(ticket).toMatchObject({
      status: 'assigned', processTemplate: 'quick', department: { id: dept.id }, owner: { id: handler.id },
    });
    const events = await eventsOf(ticket.id);
    expect(events.map((e) => [e.type, e.actorKind])).toEqual([['ticket.created', 'user'], ['ticket.assigned', 'system']]);
    expect(events[1]!.after).toEqual({ status: 'assigned', departmentId: dept.id, ownerId: handler.id });
    // Published: ticket.created and ticket.assigned for SLA (its clocks), ticket.assigned for notifications.
    const jobs = (await t.db.select().from(outbox).where(eq(outbox.kind, 'event')))
      .filter((r) => (r.payload as { event: { payload: { ticketId: string } } }).event.payload.ticketId === ticket.id)
      .filter((r) => (r.payload as { subscriber: string }).subscriber === 'notifications');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.payload).toMatchObject({
      subscriber: 'notifications',
      event: { type: 'ticket.assigned', actor: { kind: 'system' }, payload: { ticketId: ticket.id, to: { ownerId: handler.id } } },
    });

    const deptOnly = await makeCategory(t.db, { defaultDepartmentId: dept.id });
    const t2 = json(await createTicketRequest(t, agent.headers, ticketBody(deptOnly.id)));
    expect(t2).toMatchObject({ status: 'assigned', owner: null, department: { id: dept.id } });
    // Department only: nobody owns it, so it waits in the department's queue (待领取) and the
    // department's handlers are told (issue #7: before, nobody's bell rang).
    await runOutboxOnce({ db: t.db, instanceId: 'tickets-test' });
    const queued = await t.db.select().from(notifications).where(eq(notifications.ticketId, t2.id));
    expect(queued.map((n) => [n.userId, n.kind])).toContainEqual([handler.id, 'ticket_queued']);
    expect(await t.db.select().from(notifications).where(eq(notifications.ticketId, ticket.id))).toHaveLength(1);
  });

  it('documents the ticket routes, their bodies and the Idempotency-Key header in OpenAPI', async () => {
    const doc = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    const post = doc.paths['/api/v1/tickets'].post;
    expect(post.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key' })]));
    expect(post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['title', 'customer', 'category']));
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['200', '201']));
    expect(doc.paths['/api/v1/tickets'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['q', 'cursor', 'sort']));
    expect(Object.keys(doc.paths['/api/v1/tickets/{id}'])).toEqual(expect.arrayContaining(['get', 'patch']));
    expect(Object.keys(doc.paths['/api/v1/tickets/{id}/comments'])).toEqual(expect.arrayContaining(['get', 'post']));
  });

  it('answers 401 without a caller', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', payload: ticketBody(category.id) });
    expect(res.statusCode).toBe(401);
  });

  it("hides another customer's ticket exactly like a missing one", async () => {
    const theirs = json(await createTicketRequest(t, otherCustomer.headers, ticketBody(category.id)));
    const other = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${theirs.id}`, headers: customer.headers });
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/tickets/0190a000-0000-7000-8000-000000000000', headers: customer.headers });
    expect(other.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(other.body).toBe(missing.body);
  });

  describe('PATCH /tickets/:id', () => {
    const patch = (who: Person, id: string, payload: object) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${id}`, headers: who.headers, payload });

    it('records before/after of the changed fields only and bumps the version', async () => {
      const created = json(await createTicketRequest(t, agent.headers, ticketBody(category.id)));
      const res = await patch(agent, created.id, { title: '空调不制冷', product: created.product, urgency: 'medium' });
      expect(res.statusCode).toBe(200);
      expect(json(res)).toMatchObject({ title: '空调不制冷', version: 2, status: created.status });
      const events = await eventsOf(created.id);
      const updated = events.find((e) => e.type === 'ticket.updated')!;
      expect(updated.before).toEqual({ title: '空调制冷效果差' });
      expect(updated.after).toEqual({ title: '空调不制冷' });

      const search = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets?q=${encodeURIComponent('不制冷')}`, headers: agent.headers }));
      expect(search.items.map((i: { id: string }) => i.id)).toContain(created.id);
    });

    it('needs a reason to change the priority and keeps it in the event', async () => {
      const created = json(await createTicketRequest(t, agent.headers, ticketBody(category.id)));
      const refused = await patch(agent, created.id, { priority: 'P1' });
      expect(refused.statusCode).toBe(400);
      expect(json(refused).error.fields[0].path).toBe('priorityReason');

      const res = await patch(agent, created.id, { priority: 'P1', priorityReason: '客户投诉升级' });
      expect(res.statusCode).toBe(200);
      expect(json(res).priority).toBe('P1');
      const updated = (await eventsOf(created.id)).find((e) => e.type === 'ticket.updated')!;
      expect(updated).toMatchObject({ before: { priority: 'P3' }, after: { priority: 'P1' }, data: { priorityReason: '客户投诉升级' } });
    });

    it('keeps the process of a ticket past assigned when its category changes', async () => {
      const quick = await makeCategory(t.db, { processTemplate: 'quick' });
      const early = json(await createTicketRequest(t, agent.headers, ticketBody(category.id)));
      const late = json(await createTicketRequest(t, agent.headers, ticketBody(category.id)));
      await t.db.update(tickets).set({ status: 'analyzing' }).where(eq(tickets.id, late.id));

      expect(json(await patch(agent, early.id, { category: quick.id })).processTemplate).toBe('quick');
      const res = json(await patch(agent, late.id, { category: quick.id }));
      expect(res).toMatchObject({ processTemplate: 'full', category: { id: quick.id }, status: 'analyzing' });
    });

    it('refuses customers, verifiers and handlers who do not own the ticket', async () => {
      const created = json(await createTicketRequest(t, customer.headers, ticketBody(category.id)));
      expect((await patch(customer, created.id, { title: '改标题' })).statusCode).toBe(403);
      expect((await patch(verifier, created.id, { title: '改标题' })).statusCode).toBe(403);
      await t.db.update(tickets).set({ departmentId: dept.id }).where(eq(tickets.id, created.id));
      expect((await patch(handler, created.id, { title: '改标题' })).statusCode).toBe(403);
      await t.db.update(tickets).set({ ownerId: handler.id }).where(eq(tickets.id, created.id));
      expect((await patch(handler, created.id, { title: '改标题' })).statusCode).toBe(200);
      const n = await t.db.select({ n: count() }).from(auditEvents)
        .where(and(eq(auditEvents.ticketId, created.id), eq(auditEvents.type, 'ticket.updated')));
      expect(toNumber(n[0]!.n)).toBe(1);
    });

    it('refuses an empty patch and unknown categories', async () => {
      const created = json(await createTicketRequest(t, agent.headers, ticketBody(category.id)));
      expect((await patch(agent, created.id, {})).statusCode).toBe(400);
      const res = await patch(agent, created.id, { category: '0190a000-0000-7000-8000-000000000000' });
      expect(res.statusCode).toBe(400);
      expect(json(res).error.fields[0].path).toBe('category');
    });
  });
});
