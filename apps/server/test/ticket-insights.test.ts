import { eq, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityItem, ActivityList, TicketCounts, TicketSummary } from '@closeloop/contract';
import { scopesForRole, type Actor } from '../src/auth/actor.js';
import { appendEvent, ticketChain } from '../src/audit/append-event.js';
import { auditEvents, tickets } from '../src/db/schema.js';
import { newId, toNumber } from '../src/db/util.js';
import { CUSTOMER_EVENTS } from '../src/tickets/list-events.js';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, makeDepartment, type TestApp } from './harness.js';
import { createTicketRequest, person, ticketBody, type Headers, type Person } from './ticket-fixtures.js';

const HOUR = 60 * 60 * 1000;

describe.each(backends)('ticket counts and activity on $name', (backend) => {
  let t: TestApp;
  let agent: Person;
  let handlerA: Person;
  let handlerB: Person;
  let customer: Person;
  let otherCustomer: Person;
  let deptA: { id: string };
  let catA: { id: string };
  let catB: { id: string };
  const ids: Record<string, string> = {};

  async function create(who: Headers, category: string, over: object = {}) {
    const res = await createTicketRequest(t, who, ticketBody(category, over));
    expect(res.statusCode, res.body).toBe(201);
    return json<{ id: string }>(res).id;
  }

  async function get<T>(who: Headers, url: string): Promise<T> {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: who });
    expect(res.statusCode, res.body).toBe(200);
    return json<T>(res);
  }
  const counts = (who: Headers, query = '') => get<TicketCounts>(who, `/tickets/counts?${query}`);
  const list = async (who: Headers, query = '') =>
    (await get<{ items: TicketSummary[] }>(who, `/tickets?limit=200&${query}`)).items;
  const activity = (who: Headers, query = '') => get<ActivityList>(who, `/tickets/activity?${query}`);
  const asMap = (c: TicketCounts) => Object.fromEntries(c.groups.map((g) => [g.key ?? 'none', g.count]));

  async function allActivity(who: Headers, limit: number): Promise<ActivityItem[]> {
    const out: ActivityItem[] = [];
    let before: string | null = null;
    for (let i = 0; i < 100; i++) {
      const page: ActivityList = await activity(who, `limit=${limit}${before ? `&before=${before}` : ''}`);
      out.push(...page.items);
      before = page.nextCursor;
      if (!before) break;
    }
    return out;
  }

  beforeAll(async () => {
    t = await createTestApp(backend);
    deptA = await makeDepartment(t.db);
    const deptB = await makeDepartment(t.db);
    catA = await makeCategory(t.db, { defaultDepartmentId: deptA.id });
    catB = await makeCategory(t.db);
    agent = await person(t, 'agent');
    handlerA = await person(t, 'handler', [deptA.id]);
    handlerB = await person(t, 'handler', [deptB.id]);
    customer = await person(t, 'customer');
    otherCustomer = await person(t, 'customer');

    ids.assigned = await create(agent.headers, catA.id, { title: '空调不制冷', urgency: 'critical' });
    ids.review = await create(agent.headers, catA.id, { title: '洗衣机漏水' });
    ids.fresh = await create(agent.headers, catB.id, { title: '电饭煲夹生' });
    ids.mine = await create(customer.headers, catB.id, { title: '冰箱异响' });
    ids.closed = await create(otherCustomer.headers, catA.id, { title: '热水器漏电' });
    ids.followUp = await create(agent.headers, catB.id, { title: '安装预约' });

    // Stage states and SLA due times directly; the lifecycle and the SLA clocks have their own tests.
    const now = Date.now();
    const stage: Record<string, Partial<typeof tickets.$inferInsert>> = {
      assigned: { status: 'assigned', ownerId: handlerA.id, priority: 'P1', priorityRank: 1 },
      review: { status: 'plan_review', slaDueAt: new Date(now - 2 * HOUR) },
      fresh: { status: 'registered', slaDueAt: new Date(now + 3 * HOUR) },
      mine: { status: 'registered', slaDueAt: new Date(now + HOUR) },
      closed: { status: 'closed', slaDueAt: new Date(now - 5 * HOUR) },
      followUp: { status: 'follow_up', ownerId: handlerB.id, slaDueAt: new Date(now + 48 * HOUR) },
    };
    for (const [k, set] of Object.entries(stage)) await t.db.update(tickets).set(set).where(eq(tickets.id, ids[k]!));

    // One internal and one public comment on the customer's ticket, newest of all.
    const staff: Actor = { kind: 'user', userId: agent.id, role: 'agent', departmentIds: [], customerId: null, scopes: scopesForRole('agent') };
    for (const visibility of ['internal', 'public']) {
      await t.db.transaction(async (tx) => {
        await appendEvent({
          tx, actor: staff, chain: ticketChain(ids.mine!), ticketId: ids.mine!, type: 'comment.added',
          data: { commentId: newId(), visibility, excerpt: visibility === 'internal' ? '内部：疑似压缩机批次问题' : '请拍一下铭牌照片' },
        });
      });
    }
  });
  afterAll(async () => { await t?.close(); });

  it('answers /tickets/counts and /tickets/activity instead of treating them as a ticket id', async () => {
    const c = await counts(agent.headers);
    expect(c.total).toBe(6);
    const a = await activity(agent.headers);
    expect(a.items.length).toBeGreaterThan(0);
    // A real ticket id still reaches GET /tickets/:id.
    expect((await get<{ id: string }>(agent.headers, `/tickets/${ids.mine}`)).id).toBe(ids.mine);
  });

  it('counts exactly what the list returns for the same filters', async () => {
    const queries = [
      '', 'open=true', 'open=false', 'status=registered,assigned', 'priority=P1', `category=${catA.id}`,
      'owner=none', 'owner=me', `department=${deptA.id}`, 'q=冰箱', 'q=SH-', 'createdFrom=2000-01-01T00:00:00Z',
    ];
    for (const who of [agent, handlerA, customer]) {
      for (const q of queries) {
        const items = await list(who.headers, q);
        const c = await counts(who.headers, q);
        expect(c.total, `${q} total`).toBe(items.length);
        const byStatus: Record<string, number> = {};
        for (const i of items) byStatus[i.status] = (byStatus[i.status] ?? 0) + 1;
        expect(asMap(c), `${q} by status`).toEqual(byStatus);
      }
    }
  });

  it('counts only the tickets a handler may see', async () => {
    // Department A: the three tickets routed there by category A.
    const a = await counts(handlerA.headers);
    expect(a.total).toBe(3);
    expect(asMap(a)).toEqual({ assigned: 1, plan_review: 1, closed: 1 });
    // Department B has no tickets; the handler sees the one they own.
    const b = await counts(handlerB.headers);
    expect(b).toEqual({ total: 1, groups: [{ key: 'follow_up', count: 1 }], due: { overdue: 0, dueSoon: 0 } });
  });

  it('counts only a customer\'s own tickets', async () => {
    expect(await counts(customer.headers)).toEqual({
      total: 1, groups: [{ key: 'registered', count: 1 }], due: { overdue: 0, dueSoon: 1 },
    });
    expect((await counts(otherCustomer.headers)).groups).toEqual([{ key: 'closed', count: 1 }]);
  });

  it('groups by status, priority, category, department and owner, largest group first', async () => {
    const status = await counts(agent.headers);
    expect(status.groups[0]).toEqual({ key: 'registered', count: 2 });
    expect(asMap(status)).toEqual({ registered: 2, assigned: 1, plan_review: 1, closed: 1, follow_up: 1 });

    const priority = await counts(agent.headers, 'groupBy=priority');
    expect(priority.total).toBe(6);
    expect(asMap(priority).P1).toBe(1);
    expect(priority.groups.reduce((n, g) => n + g.count, 0)).toBe(6);

    expect(asMap(await counts(agent.headers, 'groupBy=category'))).toEqual({ [catA.id]: 3, [catB.id]: 3 });
    expect(asMap(await counts(agent.headers, 'groupBy=department'))).toEqual({ [deptA.id]: 3, none: 3 });

    const owner = await counts(agent.headers, 'groupBy=owner');
    expect(owner.groups).toEqual([
      { key: null, count: 4 },
      ...[{ key: handlerA.id, count: 1 }, { key: handlerB.id, count: 1 }].sort((x, y) => x.key.localeCompare(y.key)),
    ]);
    // Filters and grouping combine.
    expect(asMap(await counts(agent.headers, 'groupBy=owner&open=true'))).toEqual({ none: 3, [handlerA.id]: 1, [handlerB.id]: 1 });
  });

  it('counts open tickets past or within 4 hours of their SLA due time', async () => {
    // Overdue: the plan under review (2 h late); the closed ticket 5 h late does not count.
    // Due soon (within 4 h): the fresh ticket (3 h) and the customer's (1 h); 48 h away is not soon.
    expect((await counts(agent.headers)).due).toEqual({ overdue: 1, dueSoon: 2 });
    expect((await counts(agent.headers, 'groupBy=category')).due).toEqual({ overdue: 1, dueSoon: 2 });
    expect((await counts(handlerA.headers)).due).toEqual({ overdue: 1, dueSoon: 0 });
    expect((await counts(agent.headers, `category=${catB.id}`)).due).toEqual({ overdue: 0, dueSoon: 2 });
    expect((await counts(agent.headers, 'owner=me')).due).toEqual({ overdue: 0, dueSoon: 0 });
  });

  it('rejects an unknown groupBy naming the field', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tickets/counts?groupBy=customer', headers: agent.headers });
    expect(res.statusCode).toBe(400);
    const body = json(res);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.fields.map((f: { path: string }) => f.path)).toContain('query.groupBy');
  });

  it('lists the newest events first, with their ticket, and pages through every event once', async () => {
    const [{ n }] = await t.db.select({ n: sql<unknown>`count(*)` }).from(auditEvents).where(isNotNull(auditEvents.ticketId)) as [{ n: unknown }];
    const first = await activity(agent.headers, 'limit=3');
    expect(first.items).toHaveLength(3);
    expect(first.items[0]).toMatchObject({
      type: 'comment.added', data: { visibility: 'public' }, actor: { id: agent.id },
      ticket: { id: ids.mine, title: '冰箱异响' },
    });
    expect(first.items[0]!.ticket.number).toMatch(/^SH-/);
    expect(first.nextCursor).toBe(first.items[2]!.id);

    const all = await allActivity(agent.headers, 3);
    expect(all).toHaveLength(toNumber(n));
    const eventIds = all.map((e) => Number(e.id));
    expect(eventIds).toEqual([...eventIds].sort((x, y) => y - x));
    expect(new Set(eventIds).size).toBe(eventIds.length);
    expect(new Set(all.map((e) => e.ticket.id))).toEqual(new Set(Object.values(ids)));
  });

  it('shows a handler only the activity of tickets they may see', async () => {
    const a = await allActivity(handlerA.headers, 50);
    expect(new Set(a.map((e) => e.ticket.id))).toEqual(new Set([ids.assigned, ids.review, ids.closed]));
    const b = await allActivity(handlerB.headers, 50);
    expect(b.length).toBeGreaterThan(0);
    expect(new Set(b.map((e) => e.ticket.id))).toEqual(new Set([ids.followUp]));
  });

  it('shows a customer only their tickets\' public events, internal comments hidden', async () => {
    const items = await allActivity(customer.headers, 1);
    expect(new Set(items.map((e) => e.ticket.id))).toEqual(new Set([ids.mine]));
    expect(items.every((e) => e.type in CUSTOMER_EVENTS)).toBe(true);
    const comments = items.filter((e) => e.type === 'comment.added');
    expect(comments).toHaveLength(1);
    expect(comments[0]!.data).toMatchObject({ visibility: 'public', excerpt: '请拍一下铭牌照片' });
    expect(JSON.stringify(items)).not.toContain('压缩机');
    // Staff see both comments.
    const staffComments = (await allActivity(agent.headers, 50)).filter((e) => e.type === 'comment.added');
    expect(staffComments.map((e) => e.data?.visibility)).toEqual(['public', 'internal']);
  });

  it('rejects a before that is not an event id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tickets/activity?before=abc', headers: agent.headers });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.fields.map((f: { path: string }) => f.path)).toContain('query.before');
  });
});
