import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketEvent, Transition } from '@closeloop/contract';
import { scopesForRole, type Actor } from '../src/auth/actor.js';
import { appendEvent, ticketChain } from '../src/audit/append-event.js';
import { verifyAuditChain } from '../src/audit/verify-chain.js';
import { tickets } from '../src/db/schema.js';
import { newId } from '../src/db/util.js';
import { backends } from './backends.js';
import {
  createTestApp, json, login, makeCategory, makeDepartment, makeUser, type TestApp,
} from './harness.js';

type Headers = Awaited<ReturnType<typeof login>>;

describe.each(backends)('ticket timeline on $name', (backend) => {
  let t: TestApp;
  let dept: { id: string };
  let cat: { id: string };
  let handler: { id: string; displayName: string; headers: Headers };
  let otherHandler: { headers: Headers };
  let agent: { id: string; displayName: string; headers: Headers };
  let customer: { id: string; displayName: string; customerId: string | null; headers: Headers };
  let otherCustomer: { headers: Headers };

  beforeAll(async () => {
    t = await createTestApp(backend);
    dept = await makeDepartment(t.db);
    const elsewhere = await makeDepartment(t.db);
    cat = await makeCategory(t.db, { processTemplate: 'quick' });
    const withLogin = async <U extends { username: string }>(row: U) => ({ ...row, headers: await login(t.app, row.username) });
    handler = await withLogin(await makeUser(t.db, 'handler', { departmentIds: [dept.id], displayName: '李工' }));
    otherHandler = await withLogin(await makeUser(t.db, 'handler', { departmentIds: [elsewhere.id] }));
    agent = await withLogin(await makeUser(t.db, 'agent', { displayName: '王客服' }));
    customer = await withLogin(await makeUser(t.db, 'customer', { displayName: '张三' }));
    otherCustomer = await withLogin(await makeUser(t.db, 'customer'));
  });
  afterAll(async () => { await t?.close(); });

  async function makeTicket() {
    const id = newId();
    await t.db.insert(tickets).values({
      id, number: `T-${id.slice(-12)}`, title: '热水器不加热', description: '开机后显示 E3',
      channel: 'web', status: 'registered', priority: 'P3', priorityRank: 3, urgency: 'low',
      processTemplate: 'quick', categoryId: cat.id, customerId: customer.customerId!,
      product: { model: 'JSQ-16' }, occurredAt: new Date('2026-11-20T02:00:00Z'), departmentId: dept.id,
    });
    return id;
  }

  async function step(who: Headers, id: string, body: Transition) {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/transitions`, headers: who, payload: body });
    expect(res.statusCode, res.body).toBe(200);
  }

  async function timeline(who: Headers | undefined, id: string) {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/events`, headers: who ?? {} });
    return { status: res.statusCode, body: json(res) };
  }

  const asActor = (u: { id: string }, role: Actor['role']): Actor => ({
    kind: 'user', userId: u.id, role, departmentIds: [], customerId: null, scopes: scopesForRole(role),
  });

  /** Walks a quick ticket and adds one internal and one public comment event in between. */
  async function walked() {
    const id = await makeTicket();
    await step(agent.headers, id, { command: 'reassign', ownerId: handler.id, reason: '热水器组' });
    await step(handler.headers, id, { command: 'accept' });
    await t.db.transaction(async (tx) => {
      await appendEvent({
        tx, actor: asActor(handler, 'handler'), chain: ticketChain(id), ticketId: id, type: 'comment.added',
        data: { commentId: newId(), visibility: 'internal', excerpt: '疑似主板批次问题，先别告诉客户' },
      });
    });
    await t.db.transaction(async (tx) => {
      await appendEvent({
        tx, actor: asActor(handler, 'handler'), chain: ticketChain(id), ticketId: id, type: 'comment.added',
        data: { commentId: newId(), visibility: 'public', excerpt: '请拍一下显示屏的照片' },
      });
    });
    await step(handler.headers, id, { command: 'escalate', reason: 'P1 客户' });
    await step(handler.headers, id, { command: 'resolve', resolution: '已远程指导复位温控器' });
    await step(customer.headers, id, { command: 'confirm', rating: 5, comment: '好评' });
    return id;
  }

  it('lists every step oldest first with who did it', async () => {
    const id = await walked();
    const { status, body } = await timeline(agent.headers, id);
    expect(status).toBe(200);
    const items = body.items as TicketEvent[];
    expect(items.map((e) => e.type)).toEqual([
      'ticket.reassign', 'ticket.accept', 'comment.added', 'comment.added', 'ticket.escalate', 'ticket.resolve', 'ticket.confirm',
    ]);
    expect(items.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(items.map((e) => e.actor?.displayName)).toEqual(['王客服', '李工', '李工', '李工', '李工', '李工', '张三']);
    expect(items[0]).toMatchObject({
      actorKind: 'user',
      before: { status: 'registered', ownerId: null },
      after: { status: 'assigned', ownerId: handler.id },
      data: { ownerId: handler.id, reason: '热水器组' },
    });
    expect(items[2]!.data).toMatchObject({ visibility: 'internal' });
    const times = items.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // what the transitions wrote is an intact hash chain
    expect((await verifyAuditChain({ db: t.db })).ok).toBe(true);
  });

  it('shows a customer only what concerns them, without internal fields', async () => {
    const id = await walked();
    const { status, body } = await timeline(customer.headers, id);
    expect(status).toBe(200);
    const items = body.items as TicketEvent[];
    expect(items.map((e) => e.type)).toEqual(['ticket.accept', 'comment.added', 'ticket.resolve', 'ticket.confirm']);
    expect(items[1]!.data).toMatchObject({ excerpt: '请拍一下显示屏的照片' });
    expect(JSON.stringify(items)).not.toContain('主板批次');
    const accept = items[0]!;
    expect(accept.after).toEqual({ status: 'analyzing' });
    expect(JSON.stringify(accept)).not.toContain('ownerId');
    expect(items[2]!.data).toEqual({ resolution: '已远程指导复位温控器' });
  });

  it('answers 404 when the caller may not see the ticket, 401 without a caller', async () => {
    const id = await makeTicket();
    expect((await timeline(otherCustomer.headers, id)).status).toBe(404);
    expect((await timeline(otherHandler.headers, id)).status).toBe(404);
    expect((await timeline(handler.headers, newId())).status).toBe(404);
    expect((await timeline(undefined, id)).status).toBe(401);
    expect((await timeline(customer.headers, id)).body).toEqual({ items: [] });
  });

  it('stores every ticket event on the ticket\'s own chain', async () => {
    const id = await makeTicket();
    await step(agent.headers, id, { command: 'set_waiting', waiting: true });
    const row = (await t.db.select().from(tickets).where(eq(tickets.id, id)))[0]!;
    expect(row.waitingOnCustomer).toBe(true);
    const { body } = await timeline(customer.headers, id);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ type: 'ticket.set_waiting', after: { waitingOnCustomer: true }, data: { waiting: true } });
  });
});
