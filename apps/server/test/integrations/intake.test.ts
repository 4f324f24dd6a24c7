/**
 * Platform and chat intake: POST /integrations/{source}/messages with a connector's token.
 * Idempotent by (source, messageId) even for concurrent duplicates; a conversation continues as
 * the customer's comments; the source's customer id joins a customer already known by phone.
 */
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenScope } from '@closeloop/contract';
import { randomSecret, sha256 } from '../../src/auth/secrets.js';
import type { Db } from '../../src/db/client.js';
import { apiTokens, comments, customerIdentities, integrationMessages, tickets } from '../../src/db/schema.js';
import { newId, toNumber } from '../../src/db/util.js';
import { backends } from '../backends.js';
import { createTestApp, json, makeCategory, makeCustomer, makeUser, type TestApp } from '../harness.js';

async function bearer(db: Db, userId: string, scopes: TokenScope[]) {
  const token = `clt_${randomSecret()}`;
  await db.insert(apiTokens).values({ id: newId(), name: 'connector', prefix: token.slice(0, 8), tokenHash: sha256(token), userId, scopes });
  return { authorization: `Bearer ${token}` };
}

let seq = 0;
const uniq = () => `${process.pid}-${++seq}-${newId().slice(-6)}`;

describe.each(backends)('platform intake on $name', (backend) => {
  let t: TestApp;
  let connector: Record<string, string>;
  let readOnly: Record<string, string>;
  let category: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const admin = await makeUser(t.db, 'admin');
    connector = await bearer(t.db, admin.id, ['integrations:write']);
    readOnly = await bearer(t.db, admin.id, ['tickets:read', 'tickets:write']);
    category = (await makeCategory(t.db, { name: '电商售后' })).id;
  });
  afterAll(async () => { await t?.close(); });

  const post = (source: string, payload: object, headers = connector) =>
    t.app.inject({ method: 'POST', url: `/api/v1/integrations/${source}/messages`, headers, payload });
  const message = (over: Record<string, unknown> = {}) => ({
    messageId: `m-${uniq()}`,
    customer: { id: `buyer-${uniq()}`, nickname: '小王' },
    text: '收到的空调外机有凹痕，订单刚签收。\n请尽快处理。',
    orderNo: 'TM20261201001',
    category,
    ...over,
  });

  it('opens a ticket for a new conversation, on channel platform for 天猫, and maps the buyer id to a customer', async () => {
    const body = message();
    const res = await post('tmall', body);
    expect(res.statusCode).toBe(201);
    const r = json(res);
    expect(r).toMatchObject({ outcome: 'ticket', commentId: null, replayed: false });
    const [ticket] = await t.db.select().from(tickets).where(eq(tickets.id, r.ticketId));
    expect(ticket).toMatchObject({ channel: 'platform', orderNo: 'TM20261201001', customerId: r.customerId, number: r.ticketNumber });
    expect(ticket!.title).toBe('[天猫] 收到的空调外机有凹痕，订单刚签收。');
    const [identity] = await t.db.select().from(customerIdentities)
      .where(and(eq(customerIdentities.kind, 'external'), eq(customerIdentities.value, `tmall:${body.customer.id}`)));
    expect(identity?.customerId).toBe(r.customerId);
  });

  it('answers the same message id again with the same ticket and writes nothing new', async () => {
    const body = message();
    const first = json(await post('jd', body));
    const again = await post('jd', body);
    expect(again.statusCode).toBe(200);
    expect(json(again)).toEqual({ ...first, replayed: true });
    const [n] = await t.db.select({ n: count() }).from(tickets).where(eq(tickets.customerId, first.customerId));
    expect(toNumber(n!.n)).toBe(1);
  });

  it('gives concurrent duplicates one ticket, and concurrent duplicate follow-ups one comment', async () => {
    const body = message({ conversationId: `conv-${uniq()}` });
    const answers = (await Promise.all([1, 2, 3, 4].map(() => post('wechat', body)))).map((r) => ({ status: r.statusCode, body: json(r) }));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.ticketId)).size).toBe(1);
    const ticketId = answers[0]!.body.ticketId as string;
    const [n] = await t.db.select({ n: count() }).from(tickets).where(eq(tickets.customerId, answers[0]!.body.customerId));
    expect(toNumber(n!.n)).toBe(1);

    const followUp = { ...body, messageId: `m-${uniq()}`, text: '补充：外机侧面也有划痕。' };
    const replies = (await Promise.all([1, 2, 3].map(() => post('wechat', followUp)))).map((r) => json(r));
    expect(new Set(replies.map((r) => r.commentId)).size).toBe(1);
    expect(replies.every((r) => r.outcome === 'comment' && r.ticketId === ticketId)).toBe(true);
    const rows = await t.db.select().from(comments).where(eq(comments.ticketId, ticketId));
    expect(rows.map((c) => c.body)).toEqual(['补充：外机侧面也有划痕。']);
  });

  it("adds a later message of the conversation as the customer's public comment while the ticket is open", async () => {
    const body = message({ conversationId: `conv-${uniq()}` });
    const first = json(await post('wecom', body));
    expect((await t.db.select().from(tickets).where(eq(tickets.id, first.ticketId)))[0]!.channel).toBe('wechat');
    const second = json(await post('wecom', { ...body, messageId: `m-${uniq()}`, text: '今天下午三点后有人在家。' }));
    expect(second).toMatchObject({ outcome: 'comment', ticketId: first.ticketId, customerId: first.customerId });
    const [comment] = await t.db.select().from(comments).where(eq(comments.id, second.commentId));
    expect(comment).toMatchObject({ visibility: 'public', authorId: null, body: '今天下午三点后有人在家。' });

    // The ticket is closed: the next message of the conversation opens a new one.
    await t.db.update(tickets).set({ status: 'closed' }).where(eq(tickets.id, first.ticketId));
    const third = json(await post('wecom', { ...body, messageId: `m-${uniq()}`, text: '空调又坏了。' }));
    expect(third.outcome).toBe('ticket');
    expect(third.ticketId).not.toBe(first.ticketId);
    expect(third.customerId).toBe(first.customerId);
  });

  it('a different conversation of the same buyer opens its own ticket', async () => {
    const customer = { id: `buyer-${uniq()}`, nickname: '老李' };
    const a = json(await post('jd', message({ customer, conversationId: 'order-1' })));
    const b = json(await post('jd', message({ customer, conversationId: 'order-2' })));
    expect(b.outcome).toBe('ticket');
    expect(b.ticketId).not.toBe(a.ticketId);
    expect(b.customerId).toBe(a.customerId);
  });

  it('attaches the platform id to the customer who already has the phone, not to a new customer', async () => {
    const known = await makeCustomer(t.db, { name: '张三丰', phone: '13812345678' });
    await t.db.insert(customerIdentities).values({ kind: 'phone', value: '13812345678', customerId: known.id });
    const buyer = `buyer-${uniq()}`;
    const r = json(await post('tmall', message({ customer: { id: buyer, nickname: 'zsf_2026', phone: '+86 138-1234-5678' } })));
    expect(r.customerId).toBe(known.id);
    const ids = await t.db.select().from(customerIdentities).where(eq(customerIdentities.customerId, known.id));
    expect(ids.map((i) => `${i.kind}:${i.value}`).sort()).toEqual(['external:tmall:' + buyer, 'phone:13812345678']);
    // The next message from that buyer id alone finds the same customer.
    const later = json(await post('tmall', message({ customer: { id: buyer, nickname: 'zsf_2026' }, conversationId: 'x' })));
    expect(later.customerId).toBe(known.id);
  });

  it('refuses an unknown source, naming it', async () => {
    const res = await post('douyin', message());
    expect(res.statusCode).toBe(400);
    expect(json(res).error.fields[0].path).toContain('source');
  });

  it('refuses a bad body with 400 naming the field, and writes nothing', async () => {
    const body = message({ text: '' });
    const res = await post('tmall', body);
    expect(res.statusCode).toBe(400);
    expect(json(res).error.fields.map((f: { path: string }) => f.path)).toContain('text');
    const missing = await post('tmall', { ...message(), customer: { nickname: 'x' } });
    expect(json(missing).error.fields.map((f: { path: string }) => f.path)).toContain('customer.id');
    const badCategory = await post('tmall', message({ category: newId() }));
    expect(badCategory.statusCode).toBe(400);
    expect(json(badCategory).error.fields[0].path).toBe('category');
    const rows = await t.db.select().from(integrationMessages).where(eq(integrationMessages.messageId, body.messageId as string));
    expect(rows).toEqual([]);
  });

  it('needs a token with scope integrations:write', async () => {
    const res = await post('tmall', message(), readOnly);
    expect(res.statusCode).toBe(403);
    expect(json(res).error.message).toContain('integrations:write');
    expect((await post('tmall', message(), {})).statusCode).toBe(401);
  });
});
