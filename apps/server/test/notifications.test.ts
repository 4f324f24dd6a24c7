import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { TokenScope } from '@closeloop/contract';
import type { Db } from '../src/db/client.js';
import { apiTokens, notifications, outbox, tickets } from '../src/db/schema.js';
import { newId } from '../src/db/util.js';
import { enqueue, enqueueMany } from '../src/jobs/outbox.js';
import { SYSTEM_ACTOR, type Actor } from '../src/auth/actor.js';
import { domainEvent, eventOutboxRows } from '../src/events/publish.js';
import { runOutboxOnce } from '../src/jobs/runner.js';
import { randomSecret, sha256, TOKEN_PREFIX } from '../src/auth/secrets.js';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, makeCustomer, makeUser, type TestApp } from './harness.js';

const STAFF: TokenScope[] = ['tickets:read', 'tickets:write', 'customers:read'];

async function tokenFor(db: Db, userId: string, scopes: TokenScope[] = STAFF) {
  const token = `${TOKEN_PREFIX}${randomSecret()}`;
  await db.insert(apiTokens).values({
    id: newId(), name: 'test', prefix: token.slice(0, 10), tokenHash: sha256(token), userId, scopes,
  });
  return { authorization: `Bearer ${token}` };
}

let ticketSeq = 0;
async function makeTicket(db: Db, title: string) {
  const category = await makeCategory(db);
  const customer = await makeCustomer(db);
  const number = `SH-20261123-${String(++ticketSeq).padStart(4, '0')}`;
  const [row] = await db.insert(tickets).values({
    id: newId(), number, title, description: '安装后第二天出现异响', channel: 'phone', status: 'assigned',
    priority: 'P2', priorityRank: 2, urgency: 'high', processTemplate: 'full', categoryId: category.id,
    customerId: customer.id, product: { model: 'KFR-35GW' }, occurredAt: new Date('2026-11-22T09:00:00+08:00'),
  }).returning();
  return row!;
}

async function notificationsOf(db: Db, userId: string) {
  return db.select().from(notifications).where(eq(notifications.userId, userId));
}

/** What a reassign by `by` publishes for the notifications subscriber. */
async function enqueueAssigned(db: Db, ticket: { id: string; number: string; title: string }, userId: string, by: string | null) {
  const actor: Actor = by
    ? { kind: 'user', userId: by, role: 'manager', departmentIds: [], customerId: null, scopes: [] }
    : SYSTEM_ACTOR;
  const event = domainEvent('ticket.assigned', {
    ticketId: ticket.id, number: ticket.number, title: ticket.title, command: 'reassign', status: 'assigned',
    reason: 'reassign', from: { departmentId: null, ownerId: null }, to: { departmentId: null, ownerId: userId },
  }, { actor, at: new Date() });
  await db.transaction((tx) => enqueueMany(tx, eventOutboxRows([event])));
}

describe.each(backends)('in-app notifications on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(backend); });
  afterAll(async () => { await t?.close(); });

  const run = () => runOutboxOnce({ db: t.db, instanceId: 'test-runner' });

  it('tells the new owner a ticket was assigned, once, even when the row runs again after a crash', async () => {
    const handler = await makeUser(t.db, 'handler', { displayName: '李工' });
    const manager = await makeUser(t.db, 'manager', { displayName: '王主管' });
    const ticket = await makeTicket(t.db, '空调外机异响');
    await enqueueAssigned(t.db, ticket, handler.id, manager.id);
    await run();

    let mine = await notificationsOf(t.db, handler.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      kind: 'ticket_assigned',
      title: `工单 ${ticket.number} 已分派给您`,
      ticketId: ticket.id,
      readAt: null,
    });
    expect(mine[0]!.body).toContain('空调外机异响');
    expect(mine[0]!.body).toContain('王主管');

    // The instance crashed after inserting but before marking the row done: it runs again.
    const notificationRows = and(eq(outbox.kind, 'event'), sql`${outbox.payload}->>'subscriber' = 'notifications'`);
    await t.db.update(outbox)
      .set({ status: 'processing', lockedBy: 'crashed', lockedUntil: sql`now() - interval '1 second'`, processedAt: null })
      .where(notificationRows);
    expect(await run()).toBe(1);
    mine = await notificationsOf(t.db, handler.id);
    expect(mine).toHaveLength(1);
    const [row] = await t.db.select().from(outbox).where(notificationRows);
    expect(row!.status).toBe('done');
  });

  it('writes in the language of the recipient', async () => {
    const handler = await makeUser(t.db, 'handler', { locale: 'en-US' });
    const ticket = await makeTicket(t.db, '洗衣机漏水');
    await enqueueAssigned(t.db, ticket, handler.id, null);
    await run();
    const [n] = await notificationsOf(t.db, handler.id);
    expect(n!.title).toBe(`Ticket ${ticket.number} was assigned to you`);
    expect(n!.body).toContain('routing rules');
  });

  it('lists my notifications newest first, marks them read, and hides them from others', async () => {
    const me = await makeUser(t.db, 'handler');
    const other = await makeUser(t.db, 'handler');
    const myHeaders = await tokenFor(t.db, me.id);
    const otherHeaders = await tokenFor(t.db, other.id);
    const ticket = await makeTicket(t.db, '冰箱不制冷');
    await enqueueAssigned(t.db, ticket, me.id, null);
    await run();
    await t.db.transaction((tx) => enqueue(tx, {
      kind: 'notify.users',
      payload: { userIds: [me.id, other.id, me.id], kind: 'sla_warning', title: '工单即将超时', body: '距解决时限还剩 1 小时', ticketId: ticket.id },
    }));
    await run();

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: myHeaders });
    expect(list.statusCode).toBe(200);
    const body = json(list);
    expect(body.unreadCount).toBe(2);
    expect(body.items.map((n: { kind: string }) => n.kind)).toEqual(['sla_warning', 'ticket_assigned']);
    expect(body.items[1]).toMatchObject({ ticketId: ticket.id, ticketNumber: ticket.number, readAt: null });
    const assigned = body.items[1].id as string;

    // Someone else's notification is as invisible as a missing one.
    const foreign = await t.app.inject({ method: 'POST', url: `/api/v1/notifications/${assigned}/read`, headers: otherHeaders });
    expect(foreign.statusCode).toBe(404);
    expect(json(foreign).error.code).toBe('NOT_FOUND');
    const theirs = json(await t.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: otherHeaders }));
    expect(theirs.items.map((n: { title: string }) => n.title)).toEqual(['工单即将超时']);

    const read = await t.app.inject({ method: 'POST', url: `/api/v1/notifications/${assigned}/read`, headers: myHeaders });
    expect(read.statusCode).toBe(200);
    expect(json(read).readAt).toEqual(expect.any(String));

    const unread = json(await t.app.inject({ method: 'GET', url: '/api/v1/notifications?unread=true', headers: myHeaders }));
    expect(unread.unreadCount).toBe(1);
    expect(unread.items.map((n: { kind: string }) => n.kind)).toEqual(['sla_warning']);

    const all = await t.app.inject({ method: 'POST', url: '/api/v1/notifications/read-all', headers: myHeaders });
    expect(json(all)).toEqual({ ok: true, updated: 1 });
    const after = json(await t.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: myHeaders }));
    expect(after.unreadCount).toBe(0);
    expect(after.items).toHaveLength(2);
    // The other user's copy is untouched by my read-all.
    const [otherCopy] = await t.db.select().from(notifications)
      .where(and(eq(notifications.userId, other.id), eq(notifications.kind, 'sla_warning')));
    expect(otherCopy!.readAt).toBeNull();
  });

  it('pages with a cursor and caps the page size at 100', async () => {
    const me = await makeUser(t.db, 'agent');
    const headers = await tokenFor(t.db, me.id);
    for (let i = 1; i <= 3; i++) {
      await t.db.transaction((tx) => enqueue(tx, { kind: 'notify.users', payload: { userIds: [me.id], kind: 'info', title: `第${i}条` } }));
      await run();
    }
    const first = json(await t.app.inject({ method: 'GET', url: '/api/v1/notifications?limit=2', headers }));
    expect(first.items.map((n: { title: string }) => n.title)).toEqual(['第3条', '第2条']);
    const second = json(await t.app.inject({ method: 'GET', url: `/api/v1/notifications?limit=2&cursor=${first.nextCursor}`, headers }));
    expect(second.items.map((n: { title: string }) => n.title)).toEqual(['第1条']);
    expect(second.nextCursor).toBeNull();

    const tooMany = await t.app.inject({ method: 'GET', url: '/api/v1/notifications?limit=101', headers });
    expect(tooMany.statusCode).toBe(400);
    expect(json(tooMany).error.fields[0].path).toBe('query.limit');
  });

  it('asks who is calling', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/notifications' });
    expect(res.statusCode).toBe(401);
  });
});
