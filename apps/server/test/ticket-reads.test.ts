/**
 * Reads at scale, in behaviour: search through the stored vector in both of its phases (the
 * bounded walk and the index path), phone / e-mail / number-prefix search, counts from the
 * maintained aggregate equal to the list's total for every kind of caller before and after
 * changes, compaction that can run twice, and the activity feed in event time.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  zTicketCountsQuery, zTicketListQuery, type ActivityList, type TicketCounts,
} from '@closeloop/contract';
import { scopesForRole, type Actor } from '../src/auth/actor.js';
import { appendEvent, ticketChain } from '../src/audit/append-event.js';
import { ticketCountDeltas, ticketCountSummary, tickets } from '../src/db/schema.js';
import { rowsOf, toNumber } from '../src/db/util.js';
import { compactTicketCounts } from '../src/tickets/compact-ticket-counts.js';
import { countTickets } from '../src/tickets/count-tickets.js';
import { listTickets } from '../src/tickets/list-tickets.js';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, makeDepartment, type TestApp } from './harness.js';
import { createTicketRequest, person, ticketBody, type Headers, type Person } from './ticket-fixtures.js';

const DAY = 24 * 60 * 60 * 1000;

function actorOf(p: Person, role: Actor['role'], departmentIds: string[] = []): Actor {
  return { kind: 'user', userId: p.id, role, departmentIds, customerId: p.customerId, scopes: scopesForRole(role) };
}

describe.each(backends)('reads at scale on $name', (backend) => {
  let t: TestApp;
  let agent: Person;
  let admin: Person;
  let manager: Person;
  let handler: Person;
  let customer: Person;
  let deptA: { id: string };
  let deptB: { id: string };
  let catA: { id: string };
  let catB: { id: string };
  const ids: Record<string, string> = {};
  const numbers: Record<string, string> = {};
  let actors: Record<string, Actor>;

  async function create(who: Headers, category: string, over: object = {}) {
    const res = await createTicketRequest(t, who, ticketBody(category, over));
    expect(res.statusCode, res.body).toBe(201);
    return json<{ id: string; number: string }>(res);
  }

  /** Every id of a list, paging with `limit` (so cursors are crossed), in list order. */
  async function listAll(actor: Actor, q: Record<string, unknown>, opts: { limit?: number; walk?: number } = {}) {
    const out: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const query = zTicketListQuery.parse({ ...q, limit: opts.limit ?? 200, cursor });
      const page = await listTickets({ db: t.db, actor, query, searchWalkRows: opts.walk });
      out.push(...page.items.map((x) => x.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return out;
  }

  const count = (actor: Actor, q: Record<string, unknown> = {}): Promise<TicketCounts> =>
    countTickets({ db: t.db, actor, query: zTicketCountsQuery.parse(q) });

  const search = async (actor: Actor, q: string, walk?: number) => (await listAll(actor, { q }, { walk })).sort();

  beforeAll(async () => {
    t = await createTestApp(backend);
    deptA = await makeDepartment(t.db);
    deptB = await makeDepartment(t.db);
    catA = await makeCategory(t.db, { defaultDepartmentId: deptA.id });
    catB = await makeCategory(t.db);
    agent = await person(t, 'agent');
    admin = await person(t, 'admin');
    manager = await person(t, 'manager', [deptA.id]);
    handler = await person(t, 'handler', [deptB.id]);
    customer = await person(t, 'customer');
    actors = {
      admin: actorOf(admin, 'admin'),
      manager: actorOf(manager, 'manager', [deptA.id]),
      handler: actorOf(handler, 'handler', [deptB.id]),
      customer: actorOf(customer, 'customer'),
    };

    const made = {
      aircon: await create(agent.headers, catA.id, { title: '空调不制冷', description: '开机后出风不冷，室温降不下来。' }),
      washer: await create(agent.headers, catA.id, { title: '洗衣机漏水', description: '洗衣机底部漏水，地面有积水。' }),
      cooker: await create(agent.headers, catB.id, {
        title: '电饭煲夹生', description: '煮饭夹生，米饭中间是硬的。', product: { model: 'MB-FB40' },
        customer: { name: '李四', phone: '+86 138-0013-8000', email: 'Li.Si@Example.com' },
      }),
      heater: await create(agent.headers, catB.id, { title: '热水器漏水', description: '接口处漏水，需要上门。' }),
      fridge: await create(customer.headers, catB.id, { title: '冰箱异响', description: '冷藏室夜间有咔哒声。' }),
    };
    for (const [k, v] of Object.entries(made)) {
      ids[k] = v.id;
      numbers[k] = v.number;
    }
    // The handler (department B) owns a ticket of department A, and a measure of a ticket of no department.
    await t.db.update(tickets).set({ ownerId: handler.id, status: 'assigned' }).where(eq(tickets.id, ids.washer!));
    // What rectification/ keeps when a plan with the handler's measure is approved.
    await t.db.update(tickets).set({ measureOwnerIds: [handler.id], status: 'rectifying' }).where(eq(tickets.id, ids.heater!));
  });
  afterAll(async () => { await t?.close(); });

  describe('search', () => {
    const cases: Array<[string, string, string[]]> = [
      ['a rare word', '夹生', ['cooker']],
      ['a common word', '漏水', ['washer', 'heater']],
      ['one character', '煲', ['cooker']],
      ['one character in several tickets', '水', ['washer', 'heater']],
      ['two words', '洗衣机 积水', ['washer']],
      ['a model number prefix', 'mb-fb', ['cooker']],
      ['a word nobody wrote', '烤箱', []],
    ];
    for (const [what, q, expected] of cases) {
      it(`finds ${what} (${q}) the same way in both phases`, async () => {
        const want = expected.map((k) => ids[k]!).sort();
        expect(await search(actors.admin!, q)).toEqual(want);
        // A walk of one row forces the index path for everything past the newest ticket.
        expect(await search(actors.admin!, q, 1)).toEqual(want);
      });
    }

    it('pages through the index path in list order, every match once', async () => {
      for (const sort of ['createdAt', 'updatedAt', 'priority', 'number'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const walked = await listAll(actors.admin!, { q: '水', sort, order }, { limit: 200 });
          const paged = await listAll(actors.admin!, { q: '水', sort, order }, { limit: 1, walk: 1 });
          expect(paged, `${sort} ${order}`).toEqual(walked);
        }
      }
    });

    it('limits a search to what the caller may see', async () => {
      // The handler sees the ticket they own (department A) and the one with their measure.
      expect(await search(actors.handler!, '漏水', 1)).toEqual([ids.washer, ids.heater].sort());
      expect(await search(actors.manager!, '漏水', 1)).toEqual([ids.washer]);
      expect(await search(actors.customer!, '漏水', 1)).toEqual([]);
      expect(await search(actors.customer!, '咔哒')).toEqual([ids.fridge]);
    });

    it('finds a customer\'s tickets by their phone number or e-mail address, however written', async () => {
      for (const q of ['13800138000', '+86 138 0013 8000', '138-0013-8000', 'li.si@example.com', 'LI.SI@EXAMPLE.COM']) {
        expect(await search(actors.admin!, q), q).toEqual([ids.cooker]);
        expect(await search(actors.admin!, q, 1), q).toEqual([ids.cooker]);
      }
      expect(await search(actors.admin!, '13900000000')).toEqual([]);
      expect(await search(actors.admin!, 'nobody@example.com')).toEqual([]);
      // Visibility still applies.
      expect(await search(actors.manager!, '13800138000')).toEqual([]);
    });

    it('finds tickets by their number and by a number prefix', async () => {
      const number = numbers.cooker!;
      expect(await search(actors.admin!, number)).toEqual([ids.cooker]);
      expect(await search(actors.admin!, number.toLowerCase(), 1)).toEqual([ids.cooker]);
      const day = number.slice(0, 'SH-20261123'.length);
      const sameDay = Object.entries(numbers).filter(([, n]) => n.startsWith(day)).map(([k]) => ids[k]!).sort();
      expect(await search(actors.admin!, day, 1)).toEqual(sameDay);
      expect(await search(actors.admin!, 'SH-')).toHaveLength(5);
    });
  });

  describe('counts', () => {
    const queries = (): Array<Record<string, unknown>> => [
      {}, { open: 'true' }, { open: 'false' }, { status: 'assigned,rectifying' }, { owner: 'me' }, { owner: 'none' },
      { department: deptA.id }, { category: catB.id, priority: 'P3,P1' }, { channel: 'phone' },
      { customer: customer.customerId }, { q: '漏水' }, { q: '13800138000' }, { createdFrom: '2000-01-01T00:00:00Z' },
    ];

    async function expectCountsEqualLists(label: string) {
      for (const [name, actor] of Object.entries(actors)) {
        for (const query of queries()) {
          const listed = await listAll(actor, query);
          const c = await count(actor, query);
          expect(c.total, `${label}: ${name} ${JSON.stringify(query)}`).toBe(listed.length);
          const byStatus = await count(actor, { ...query, groupBy: 'status' });
          expect(byStatus.groups.reduce((n, g) => n + g.count, 0)).toBe(listed.length);
        }
      }
    }

    it('equal the list\'s total for admin, manager, handler and customer, before and after changes', async () => {
      await expectCountsEqualLists('initial (pending deltas)');
      await compactTicketCounts({ db: t.db });
      await expectCountsEqualLists('compacted');

      // Status changes through the API and straight in the database (every writer is covered).
      const res = await t.app.inject({
        method: 'POST', url: `/api/v1/tickets/${ids.washer}/transitions`, headers: handler.headers, payload: { command: 'accept' },
      });
      expect(res.statusCode, res.body).toBe(200);
      await t.db.update(tickets).set({ status: 'closed' }).where(eq(tickets.id, ids.aircon!));
      await t.db.update(tickets).set({ departmentId: deptB.id }).where(eq(tickets.id, ids.cooker!));
      await expectCountsEqualLists('after changes (pending deltas)');
      await compactTicketCounts({ db: t.db });
      await expectCountsEqualLists('after changes, compacted');

      // The handler sees their department's ticket now, plus the owned and the measure one.
      expect((await count(actors.handler!)).total).toBe(3);
      expect((await count(actors.manager!, { open: 'false' })).total).toBe(1);
    });

    it('compaction moves every delta once: running it again changes nothing', async () => {
      await t.db.update(tickets).set({ priority: 'P1', priorityRank: 1 }).where(eq(tickets.id, ids.fridge!));
      const first = await compactTicketCounts({ db: t.db });
      expect(first.moved).toBeGreaterThan(0);
      const summary = async () => (await t.db.select().from(ticketCountSummary))
        .map((r) => JSON.stringify(r)).sort();
      const before = await summary();
      expect(await compactTicketCounts({ db: t.db })).toEqual({ moved: 0, skipped: false });
      expect(await summary()).toEqual(before);
      expect(await t.db.select().from(ticketCountDeltas)).toEqual([]);
      // The summary is exactly a count of the tickets by its dimensions.
      const direct = rowsOf<{ n: unknown }>(await t.db.execute(sql`
        select count(*) as n from (
          select status, priority, channel, category_id, department_id, owner_id, count(*)::int as n from tickets group by 1, 2, 3, 4, 5, 6
          except select status, priority, channel, category_id, department_id, owner_id, n from ticket_count_summary
        ) d`));
      expect(toNumber(direct[0]?.n)).toBe(0);
      expect((await summary()).length).toBeGreaterThan(0);
    });

    it('counts the due figures of the open tickets the caller may see', async () => {
      const now = Date.now();
      // The SLA clocks' nearest due time (sla/ keeps it on the ticket); due soon = within 4 hours.
      await t.db.update(tickets).set({ slaDueAt: new Date(now - DAY) }).where(eq(tickets.id, ids.heater!));
      await t.db.update(tickets).set({ slaDueAt: new Date(now + DAY / 8) }).where(eq(tickets.id, ids.washer!));
      await t.db.update(tickets).set({ slaDueAt: new Date(now - DAY) }).where(eq(tickets.id, ids.aircon!)); // closed
      expect((await count(actors.admin!)).due).toMatchObject({ overdue: 1 });
      expect((await count(actors.handler!)).due).toMatchObject({ overdue: 1, dueSoon: 1 });
      expect((await count(actors.manager!)).due).toEqual({ overdue: 0, dueSoon: 1 });
    });
  });

  it('lists activity in event time, newest first, even when events were written out of order', async () => {
    const staff = actorOf(agent, 'agent');
    const base = Date.now() + 10 * DAY; // after every event the setup wrote
    // Written in this order, dated 7, 20, 21 and 8 days after `base` minus 30 days.
    for (const [k, days] of [['aircon', 23], ['washer', 10], ['cooker', 9], ['heater', 22]] as const) {
      await t.db.transaction(async (tx) => {
        await appendEvent({
          tx, actor: staff, chain: ticketChain(ids[k]!), ticketId: ids[k]!, type: 'comment.added',
          at: new Date(base + days * DAY), data: { excerpt: `${k}` },
        });
      });
    }
    const agentHeaders = agent.headers;
    const pages: ActivityList['items'] = [];
    let before: string | null = null;
    for (let i = 0; i < 100; i++) {
      const res: { statusCode: number; body: string } = await t.app.inject({
        method: 'GET', url: `/api/v1/tickets/activity?limit=2${before ? `&before=${before}` : ''}`, headers: agentHeaders,
      });
      expect(res.statusCode, res.body).toBe(200);
      const page: ActivityList = JSON.parse(res.body);
      pages.push(...page.items);
      before = page.nextCursor;
      if (!before) break;
    }
    expect(pages.slice(0, 4).map((e) => e.data?.excerpt)).toEqual(['aircon', 'heater', 'washer', 'cooker']);
    const times = pages.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(pages.map((e) => e.id)).size).toBe(pages.length);
  });
});
