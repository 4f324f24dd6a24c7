import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TICKET_SORTS } from '@closeloop/contract';
import { tickets } from '../src/db/schema.js';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, makeDepartment, type TestApp } from './harness.js';
import { createTicketRequest, person, ticketBody, type Headers, type Person } from './ticket-fixtures.js';

interface Row { id: string; number: string; priority: string; status: string; createdAt: string; updatedAt: string; sla: { dueAt: string | null } }

describe.each(backends)('GET /tickets on $name', (backend) => {
  let t: TestApp;
  let agent: Person;
  let handler: Person;
  let customer: Person;
  let otherCustomer: Person;
  let catA: { id: string };
  let catB: { id: string };
  const ids: Record<string, string> = {};

  async function create(who: Headers, category: string, over: object = {}) {
    const res = await createTicketRequest(t, who, ticketBody(category, over));
    expect(res.statusCode).toBe(201);
    return json(res) as Row;
  }

  const list = async (who: Headers, query: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?${query}`, headers: who });
    expect(res.statusCode).toBe(200);
    return json(res) as { items: Row[]; nextCursor: string | null };
  };
  const idsOf = async (who: Headers, query: string) => (await list(who, query)).items.map((i) => i.id).sort();

  beforeAll(async () => {
    t = await createTestApp(backend);
    const dept = await makeDepartment(t.db);
    catA = await makeCategory(t.db);
    catB = await makeCategory(t.db);
    agent = await person(t, 'agent');
    handler = await person(t, 'handler', [dept.id]);
    customer = await person(t, 'customer');
    otherCustomer = await person(t, 'customer');

    ids.aircon = (await create(agent.headers, catA.id, { urgency: 'critical' })).id;
    ids.cooker = (await create(agent.headers, catB.id, {
      title: '电饭煲夹生', description: '电饭煲煮饭夹生，米饭中间是硬的。', product: { model: 'MB-FB40' }, urgency: 'high',
    })).id;
    ids.washer = (await create(agent.headers, catA.id, {
      title: '洗衣机脱水异响', description: '脱水时有异响', product: { model: 'XQG100-B14' },
    })).id;
    ids.mine = (await create(customer.headers, catB.id, { title: '冰箱不制冷', description: '冷藏室温度高' })).id;
    ids.theirs = (await create(otherCustomer.headers, catB.id, { title: '热水器漏水', description: '接口处漏水' })).id;
    ids.closed = (await create(agent.headers, catA.id, { title: '安装预约', description: '预约安装时间' })).id;

    // Stage the list: one ticket owned by the handler, one closed, creation times spread out
    // with two rows sharing an instant (microseconds included) to exercise the tie-breaker.
    await t.db.update(tickets).set({ ownerId: handler.id, status: 'assigned' }).where(eq(tickets.id, ids.washer));
    await t.db.update(tickets).set({ status: 'closed' }).where(eq(tickets.id, ids.closed));
    const times: Record<string, string> = {
      aircon: '2026-11-01 09:00:00.123456+08', cooker: '2026-11-05 09:00:00.123456+08',
      washer: '2026-11-05 09:00:00.123456+08', mine: '2026-11-10 12:00:00+08',
      theirs: '2026-11-12 08:00:00+08', closed: '2026-11-15 18:30:00.5+08',
    };
    for (const [k, at] of Object.entries(times)) {
      await t.db.update(tickets).set({ createdAt: sql`${at}::timestamptz`, updatedAt: sql`${at}::timestamptz + interval '1 hour'` })
        .where(eq(tickets.id, ids[k]!));
    }
  });
  afterAll(async () => { await t?.close(); });

  it('shows a customer only their own tickets', async () => {
    expect(await idsOf(customer.headers, '')).toEqual([ids.mine]);
    expect(await idsOf(otherCustomer.headers, '')).toEqual([ids.theirs]);
    expect((await idsOf(agent.headers, '')).length).toBe(6);
  });

  it('shows a handler the tickets of their department, their own and those they created', async () => {
    expect(await idsOf(handler.headers, '')).toEqual([ids.washer]);
  });

  it('filters by status, priority, category, owner, open and creation range', async () => {
    const a = agent.headers;
    expect(await idsOf(a, 'status=closed')).toEqual([ids.closed]);
    expect(await idsOf(a, 'status=assigned,closed')).toEqual([ids.washer, ids.closed].sort());
    expect(await idsOf(a, 'priority=P1')).toEqual([ids.aircon]);
    expect(await idsOf(a, 'priority=P1,P2')).toEqual([ids.aircon, ids.cooker].sort());
    expect(await idsOf(a, `category=${catB.id}`)).toEqual([ids.cooker, ids.mine, ids.theirs].sort());
    expect(await idsOf(handler.headers, 'owner=me')).toEqual([ids.washer]);
    expect(await idsOf(a, 'owner=me')).toEqual([]);
    expect(await idsOf(a, `owner=${handler.id}`)).toEqual([ids.washer]);
    expect((await idsOf(a, 'owner=none')).length).toBe(5);
    expect(await idsOf(a, 'open=false')).toEqual([ids.closed]);
    expect((await idsOf(a, 'open=true')).length).toBe(5);
    const from = encodeURIComponent('2026-11-05T00:00:00+08:00');
    const to = encodeURIComponent('2026-11-10T12:00:00+08:00');
    expect(await idsOf(a, `createdFrom=${from}&createdTo=${to}`)).toEqual([ids.cooker, ids.washer, ids.mine].sort());
  });

  it('refuses bad filters naming the parameter', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?status=lost', headers: agent.headers });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.fields[0].path).toMatch(/^query\.status/);
  });

  it('walks every row exactly once in every sort and direction', async () => {
    const all = (await list(agent.headers, 'limit=200')).items.map((r) => r.id).sort();
    const walked: Record<string, { ids: string[]; rows: number; inOrder: boolean }> = {};
    const expected: typeof walked = {};
    for (const sort of TICKET_SORTS) {
      for (const order of ['asc', 'desc'] as const) {
        const seen: Row[] = [];
        let cursor: string | null = null;
        for (let page = 0; page < 10; page++) {
          const res = await list(agent.headers, `sort=${sort}&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
          seen.push(...res.items);
          cursor = res.nextCursor;
          if (!cursor) break;
        }
        const key = (r: Row) => ({
          createdAt: [r.createdAt], updatedAt: [r.updatedAt], priority: [r.priority, r.createdAt], number: [r.number],
          // No running SLA clock sorts last.
          slaDue: [r.sla.dueAt ?? '9999-12-31T00:00:00.000Z'],
        })[sort]!.join('|');
        const keys = seen.map(key);
        const sorted = [...keys].sort();
        walked[`${sort} ${order}`] = {
          ids: seen.map((r) => r.id).sort(),
          rows: seen.length,
          inOrder: JSON.stringify(keys) === JSON.stringify(order === 'asc' ? sorted : sorted.toReversed()),
        };
        expected[`${sort} ${order}`] = { ids: all, rows: all.length, inOrder: true };
      }
    }
    expect(walked).toEqual(expected);
  });

  it('lists the newest first by default and the most urgent first by priority', async () => {
    const newest = (await list(agent.headers, 'limit=1')).items[0]!;
    expect(newest.id).toBe(ids.closed);
    const urgent = (await list(agent.headers, 'sort=priority&order=asc&limit=1')).items[0]!;
    expect(urgent.id).toBe(ids.aircon);
  });

  it('refuses a cursor that is not one, or belongs to another sort', async () => {
    const page = await list(agent.headers, 'limit=1');
    for (const q of ['cursor=garbage', `sort=number&cursor=${page.nextCursor}`]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?${q}`, headers: agent.headers });
      expect(res.statusCode).toBe(400);
      expect(json(res).error.fields[0].path).toBe('query.cursor');
    }
  });

  describe('search', () => {
    const search = (who: Headers, q: string) => idsOf(who, `q=${encodeURIComponent(q)}`);

    it('finds Chinese text by any two adjacent characters', async () => {
      expect(await search(agent.headers, '调制')).toEqual([ids.aircon]);
      expect(await search(agent.headers, '空调')).toEqual([ids.aircon]);
      expect(await search(agent.headers, '夹生')).toEqual([ids.cooker]);
      expect(await search(agent.headers, '制冷')).toEqual([ids.aircon, ids.mine].sort());
      expect(await search(agent.headers, '空调 制冷')).toEqual([ids.aircon]);
    });

    it('finds a model number by its prefix and a ticket by its number', async () => {
      expect(await search(agent.headers, 'kfr')).toEqual(expect.arrayContaining([ids.aircon]));
      expect(await search(agent.headers, 'XQG100')).toEqual([ids.washer]);
      const [row] = await t.db.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, ids.cooker!));
      expect(await search(agent.headers, row!.number)).toEqual([ids.cooker]);
      expect(await search(agent.headers, row!.number.slice(0, 11))).toContain(ids.cooker);
    });

    it('matches a single character in title or description', async () => {
      expect(await search(agent.headers, '煲')).toEqual([ids.cooker]);
    });

    it("keeps to the caller's tickets", async () => {
      expect(await search(customer.headers, '制冷')).toEqual([ids.mine]);
      expect(await search(customer.headers, '漏水')).toEqual([]);
    });

    it('takes tsquery syntax and quotes in the query as plain text', async () => {
      for (const q of ["空调' & !", "a:* | b", "'||!!&&()<->", "\\'; drop table tickets; --", '%_']) {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?q=${encodeURIComponent(q)}`, headers: agent.headers });
        expect(res.statusCode).toBe(200);
      }
      expect(await search(agent.headers, "空调' & !")).toEqual([ids.aircon]);
    });
  });
});
