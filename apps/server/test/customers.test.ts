import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES } from '@closeloop/contract';
import { randomSecret, sha256 } from '../src/auth/secrets.js';
import type { Db } from '../src/db/client.js';
import { apiTokens, auditEvents, customerIdentities, customers, tickets } from '../src/db/schema.js';
import { newId, toNumber } from '../src/db/util.js';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, makeCustomer, makeDepartment, makeUser, type TestApp } from './harness.js';

async function bearer(db: Db, userId: string) {
  const token = `clt_${randomSecret()}`;
  await db.insert(apiTokens).values({
    id: newId(), name: 'test', prefix: token.slice(0, 8), tokenHash: sha256(token), userId, scopes: [...TOKEN_SCOPES],
  });
  return { authorization: `Bearer ${token}` };
}

let ticketSeq = 0;
/** Tickets straight into the table: the history only reads them. */
async function makeTicket(db: Db, over: { customerId: string; categoryId: string; createdAt?: Date; title?: string; departmentId?: string }) {
  const id = newId();
  const n = ++ticketSeq;
  const [row] = await db.insert(tickets).values({
    id, number: `SH-20261123-${String(n).padStart(4, '0')}-${id.slice(-4)}`, title: over.title ?? `工单${n}`,
    description: '空调外机异响', channel: 'phone', status: 'registered', priority: 'P3', priorityRank: 3,
    urgency: 'medium', processTemplate: 'full', categoryId: over.categoryId, customerId: over.customerId,
    product: { model: 'KFR-35GW' }, occurredAt: new Date(), departmentId: over.departmentId ?? null,
    ...(over.createdAt ? { createdAt: over.createdAt } : {}),
  }).returning();
  return row!;
}

describe.each(backends)('customers on $name', (backend) => {
  let t: TestApp;
  let agent: Record<string, string>;
  let customerLogin: Record<string, string>;
  let zhang: typeof customers.$inferSelect;
  let li: typeof customers.$inferSelect;
  let categoryId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    agent = await bearer(t.db, (await makeUser(t.db, 'agent')).id);
    customerLogin = await bearer(t.db, (await makeUser(t.db, 'customer')).id);
    zhang = await makeCustomer(t.db, { name: '张三丰', phone: '13800138000', email: 'zhang@example.com' });
    await t.db.insert(customerIdentities).values([
      { kind: 'phone', value: '13800138000', customerId: zhang.id },
      { kind: 'email', value: 'zhang@example.com', customerId: zhang.id },
      { kind: 'external', value: 'taobao:Buyer_1', customerId: zhang.id },
    ]);
    li = await makeCustomer(t.db, { name: '李四', phone: '13900139000' });
    await t.db.insert(customerIdentities).values({ kind: 'phone', value: '13900139000', customerId: li.id });
    categoryId = (await makeCategory(t.db, { name: '质量问题' })).id;
  });
  afterAll(async () => { await t?.close(); });

  const get = (url: string, headers = agent) => t.app.inject({ method: 'GET', url, headers });
  const idsOf = (res: { body: string }) => (JSON.parse(res.body).items as { id: string }[]).map((c) => c.id);

  it('finds the same customer by phone (as typed in any format), e-mail and external id', async () => {
    for (const q of ['phone=13800138000', 'phone=%2B86%20138-0013-8000', 'email=ZHANG%40Example.com', 'externalId=taobao:Buyer_1']) {
      const res = await get(`/api/v1/customers?${q}`);
      expect(res.statusCode).toBe(200);
      expect(idsOf(res)).toEqual([zhang.id]);
    }
    const view = json(await get('/api/v1/customers?phone=13800138000')).items[0];
    expect(view).toMatchObject({ name: '张三丰', phone: '13800138000', email: 'zhang@example.com', externalIds: ['taobao:Buyer_1'], tier: 'regular' });
    // Exact means exact: a prefix or another person's number is not a match.
    expect(idsOf(await get('/api/v1/customers?phone=1380013'))).toEqual([]);
    expect(idsOf(await get('/api/v1/customers?phone=abc'))).toEqual([]);
  });

  it('searches by part of the name or the first digits of the phone', async () => {
    expect(idsOf(await get(`/api/v1/customers?q=${encodeURIComponent('三丰')}`))).toEqual([zhang.id]);
    expect(idsOf(await get('/api/v1/customers?q=139'))).toEqual([li.id]);
    expect(idsOf(await get(`/api/v1/customers?q=${encodeURIComponent('+86 1380')}`))).toEqual([zhang.id]);
    expect(idsOf(await get(`/api/v1/customers?q=${encodeURIComponent('%')}`))).toEqual([]);
    expect(idsOf(await get(`/api/v1/customers?q=${encodeURIComponent('王五')}`))).toEqual([]);
  });

  it("lists the customer's tickets newest first with their category, and counts them", async () => {
    const old = await makeTicket(t.db, { customerId: zhang.id, categoryId, createdAt: new Date('2026-01-05T08:00:00Z'), title: '去年的噪音' });
    const recent = await makeTicket(t.db, { customerId: zhang.id, categoryId, createdAt: new Date('2026-11-20T08:00:00Z'), title: '今天的噪音' });
    await makeTicket(t.db, { customerId: li.id, categoryId });

    const res = await get(`/api/v1/customers/${zhang.id}/tickets`);
    expect(res.statusCode).toBe(200);
    const items = json(res).items;
    expect(items.map((i: { id: string }) => i.id)).toEqual([recent.id, old.id]);
    expect(items[0]).toMatchObject({ number: recent.number, title: '今天的噪音', status: 'registered', priority: 'P3', category: { id: categoryId, name: '质量问题' } });
    expect(json(await get(`/api/v1/customers/${zhang.id}/tickets?limit=1`)).items).toHaveLength(1);
    expect(json(await get(`/api/v1/customers/${zhang.id}`))).toMatchObject({ id: zhang.id, ticketCount: 2 });

    // A handler sees only the tickets they may open, even in someone's history.
    const dept = await makeDepartment(t.db);
    const handler = await bearer(t.db, (await makeUser(t.db, 'handler', { departmentIds: [dept.id] })).id);
    const theirs = await makeTicket(t.db, { customerId: zhang.id, categoryId, departmentId: dept.id });
    expect(idsOf(await get(`/api/v1/customers/${zhang.id}/tickets`, handler))).toEqual([theirs.id]);
  });

  it('changes name and tier with an audit event', async () => {
    const c = await makeCustomer(t.db, { name: '王 五' });
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/customers/${c.id}`, headers: agent, payload: { name: '王五', tier: 'vip' } });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ name: '王五', tier: 'vip' });
    const events = await t.db.select().from(auditEvents).where(eq(auditEvents.chain, `customer:${c.id}`));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'customer.updated', before: { name: '王 五', tier: 'regular' }, after: { name: '王五', tier: 'vip' } });

    const bad = await t.app.inject({ method: 'PATCH', url: `/api/v1/customers/${c.id}`, headers: agent, payload: { tier: 'gold' } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.fields[0].path).toBe('tier');
  });

  it('adds identities, and refuses one that belongs to another customer with 409 naming it', async () => {
    const c = await makeCustomer(t.db, { name: '赵六' });
    const added = await t.app.inject({
      method: 'POST', url: `/api/v1/customers/${c.id}/identities`, headers: agent,
      payload: { phone: '+86 137-0000-1111', externalId: 'jd:zhao6' },
    });
    expect(added.statusCode).toBe(200);
    expect(json(added)).toMatchObject({ phone: '13700001111', externalIds: ['jd:zhao6'] });
    expect(idsOf(await get('/api/v1/customers?phone=13700001111'))).toEqual([c.id]);

    const identityCount = async () => toNumber((await t.db.select({ n: count() }).from(customerIdentities).where(eq(customerIdentities.customerId, c.id)))[0]!.n);
    const before = await identityCount();
    const clash = await t.app.inject({
      method: 'POST', url: `/api/v1/customers/${c.id}/identities`, headers: agent,
      payload: { email: 'Zhang@Example.com', phone: '13600000000' },
    });
    expect(clash.statusCode).toBe(409);
    expect(json(clash).error.code).toBe('CONFLICT');
    expect(json(clash).error.fields.map((f: { path: string }) => f.path)).toEqual(['email']);
    // All or nothing: the free phone number of the same request was not added either.
    expect(await identityCount()).toBe(before);
    expect(idsOf(await get('/api/v1/customers?email=zhang@example.com'))).toEqual([zhang.id]);

    // Adding what the customer already has is harmless.
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/customers/${c.id}/identities`, headers: agent, payload: { phone: '13700001111' } });
    expect(again.statusCode).toBe(200);
  });

  it('keeps customers (role customer) out of the staff endpoints', async () => {
    for (const url of ['/api/v1/customers?q=张', `/api/v1/customers/${zhang.id}`, `/api/v1/customers/${zhang.id}/tickets`]) {
      const res = await get(url, customerLogin);
      expect(res.statusCode).toBe(403);
      expect(json(res).error.code).toBe('FORBIDDEN');
    }
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/customers/${zhang.id}`, headers: customerLogin, payload: { tier: 'vip' } });
    expect(patch.statusCode).toBe(403);
    const add = await t.app.inject({ method: 'POST', url: `/api/v1/customers/${zhang.id}/identities`, headers: customerLogin, payload: { phone: '13500000000' } });
    expect(add.statusCode).toBe(403);
    expect((await get('/api/v1/customers', {})).statusCode).toBe(401);
  });

  it('answers 404 for a customer that does not exist', async () => {
    expect((await get(`/api/v1/customers/${newId()}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/customers/${newId()}/tickets`)).statusCode).toBe(404);
  });
});
