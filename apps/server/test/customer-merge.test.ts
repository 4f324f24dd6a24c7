/**
 * Merging two customer records (客户合并): tickets, identities, logins and platform conversations
 * move to the survivor in one transaction, both audit chains record it, the merged id answers
 * 404 naming the survivor, and only managers and admins may do it.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES } from '@closeloop/contract';
import { randomSecret, sha256 } from '../src/auth/secrets.js';
import type { Db } from '../src/db/client.js';
import { apiTokens, auditEvents, customerIdentities, customers, integrationMessages, portalSessions, tickets, users } from '../src/db/schema.js';
import { newId } from '../src/db/util.js';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, makeCustomer, makeUser, type TestApp } from './harness.js';

async function bearer(db: Db, userId: string) {
  const token = `clt_${randomSecret()}`;
  await db.insert(apiTokens).values({ id: newId(), name: 't', prefix: token.slice(0, 8), tokenHash: sha256(token), userId, scopes: [...TOKEN_SCOPES] });
  return { authorization: `Bearer ${token}` };
}

describe.each(backends)('customer merge on $name', (backend) => {
  let t: TestApp;
  let manager: Record<string, string>;
  let agent: Record<string, string>;
  let connector: Record<string, string>;
  let categoryId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    manager = await bearer(t.db, (await makeUser(t.db, 'manager')).id);
    agent = await bearer(t.db, (await makeUser(t.db, 'agent')).id);
    connector = await bearer(t.db, (await makeUser(t.db, 'admin')).id);
    categoryId = (await makeCategory(t.db)).id;
  });
  afterAll(async () => { await t?.close(); });

  const merge = (id: string, payload: object, headers = manager) =>
    t.app.inject({ method: 'POST', url: `/api/v1/customers/${id}/merge`, headers, payload });

  it('moves tickets, identities, logins and conversations to the survivor and leaves a 404 naming it', async () => {
    const into = await makeCustomer(t.db, { name: '张三', phone: '13800000001' });
    await t.db.insert(customerIdentities).values({ kind: 'phone', value: '13800000001', customerId: into.id });
    // The same person, first seen as a 天猫 buyer with an e-mail.
    const buyer = `b-${newId().slice(-8)}`;
    const intake = json(await t.app.inject({
      method: 'POST', url: '/api/v1/integrations/tmall/messages', headers: connector,
      payload: { messageId: `m-${buyer}`, customer: { id: buyer, nickname: 'zs_tm', email: 'zs@example.com' }, text: '外机异响', category: categoryId },
    }));
    const from = intake.customerId as string;
    expect(from).not.toBe(into.id);
    const login = await makeUser(t.db, 'customer', { customerId: from });
    // A portal session opened by code for the buyer's ticket (portal/): it must follow the merge.
    const sessionId = `s-${newId()}`;
    await t.db.insert(portalSessions).values({
      id: sessionId, ticketId: intake.ticketId, customerId: from, expiresAt: new Date(Date.now() + 3_600_000),
    });

    const preview = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${from}/merge-preview`, headers: manager });
    expect(json(preview)).toEqual({ tickets: 1, identities: 2 });

    const res = await merge(from, { intoCustomerId: into.id, reason: '同一客户：天猫账号与电话登记' });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ intoCustomerId: into.id, movedTickets: 1, movedIdentities: 2 });

    const [ticket] = await t.db.select().from(tickets).where(eq(tickets.id, intake.ticketId));
    expect(ticket!.customerId).toBe(into.id);
    expect(ticket!.searchText).toContain('张三');
    const ids = await t.db.select().from(customerIdentities).where(eq(customerIdentities.customerId, into.id));
    expect(ids.map((i) => `${i.kind}:${i.value}`).sort()).toEqual(['email:zs@example.com', `external:tmall:${buyer}`, 'phone:13800000001']);
    expect((await t.db.select().from(users).where(eq(users.id, login.id)))[0]!.customerId).toBe(into.id);
    expect((await t.db.select().from(portalSessions).where(eq(portalSessions.id, sessionId)))[0]!.customerId).toBe(into.id);
    expect((await t.db.select().from(integrationMessages).where(eq(integrationMessages.ticketId, intake.ticketId)))[0]!.customerId).toBe(into.id);
    const [survivor] = await t.db.select().from(customers).where(eq(customers.id, into.id));
    expect(survivor).toMatchObject({ phone: '13800000001', email: 'zs@example.com' });

    const gone = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${from}`, headers: manager });
    expect(gone.statusCode).toBe(404);
    expect(json(gone).error.fields[0]).toEqual({ path: 'id', message: `merged into ${into.id}`, code: 'merged' });
    const view = json(await t.app.inject({ method: 'GET', url: `/api/v1/customers/${into.id}`, headers: manager }));
    expect(view).toMatchObject({ ticketCount: 1, externalIds: [`tmall:${buyer}`] });

    const events = await t.db.select().from(auditEvents);
    expect(events.filter((e) => e.chain === `customer:${from}` && e.type === 'customer.merged')).toHaveLength(1);
    const mergedIn = events.filter((e) => e.chain === `customer:${into.id}` && e.type === 'customer.merged_in');
    expect(mergedIn).toHaveLength(1);
    expect(mergedIn[0]!.data).toMatchObject({ fromCustomerId: from, reason: '同一客户：天猫账号与电话登记', tickets: 1 });

    // The buyer writes again: the conversation continues on the survivor's ticket.
    const again = json(await t.app.inject({
      method: 'POST', url: '/api/v1/integrations/tmall/messages', headers: connector,
      payload: { messageId: `m2-${buyer}`, customer: { id: buyer, nickname: 'zs_tm' }, text: '还在响', category: categoryId },
    }));
    expect(again).toMatchObject({ outcome: 'comment', ticketId: intake.ticketId, customerId: into.id });
  });

  it('follows a chain of merges: a customer merged into one later merged points at the last survivor', async () => {
    const a = await makeCustomer(t.db, { name: 'A' });
    const b = await makeCustomer(t.db, { name: 'B' });
    const c = await makeCustomer(t.db, { name: 'C' });
    expect((await merge(a.id, { intoCustomerId: b.id, reason: '重复' })).statusCode).toBe(200);
    expect((await merge(b.id, { intoCustomerId: c.id, reason: '重复' })).statusCode).toBe(200);
    const gone = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${a.id}`, headers: manager });
    expect(json(gone).error.fields[0].message).toBe(`merged into ${c.id}`);
  });

  it('refuses a merge into itself, into nobody, without a reason, and by an agent', async () => {
    const a = await makeCustomer(t.db, { name: 'A' });
    const self = await merge(a.id, { intoCustomerId: a.id, reason: 'x' });
    expect(self.statusCode).toBe(400);
    expect(json(self).error.fields[0].path).toBe('intoCustomerId');
    const nobody = await merge(a.id, { intoCustomerId: newId(), reason: 'x' });
    expect(json(nobody).error.fields[0].path).toBe('intoCustomerId');
    const noReason = await merge(a.id, { intoCustomerId: (await makeCustomer(t.db)).id });
    expect(json(noReason).error.fields[0].path).toBe('reason');
    expect((await merge(a.id, { intoCustomerId: (await makeCustomer(t.db)).id, reason: 'x' }, agent)).statusCode).toBe(403);
    expect((await merge(newId(), { intoCustomerId: a.id, reason: 'x' })).statusCode).toBe(404);
    expect((await t.db.select().from(customers).where(eq(customers.id, a.id)))).toHaveLength(1);
  });
});
