import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, comments } from '../src/db/schema.js';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, type TestApp } from './harness.js';
import { createTicketRequest, person, ticketBody, type Headers, type Person } from './ticket-fixtures.js';

describe.each(backends)('ticket comments on $name', (backend) => {
  let t: TestApp;
  let agent: Person;
  let customer: Person;
  let otherCustomer: Person;
  let ticketId: string;

  const post = (who: Headers, id: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/comments`, headers: who, payload });
  const get = (who: Headers, id: string) =>
    t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/comments`, headers: who });

  beforeAll(async () => {
    t = await createTestApp(backend);
    const category = await makeCategory(t.db);
    agent = await person(t, 'agent');
    customer = await person(t, 'customer');
    otherCustomer = await person(t, 'customer');
    ticketId = json(await createTicketRequest(t, customer.headers, ticketBody(category.id))).id;
  });
  afterAll(async () => { await t?.close(); });

  it('hides internal notes from the customer and shows them to staff', async () => {
    const pub = await post(agent.headers, ticketId, { body: '您好，工程师将于明天上午上门检测。' });
    expect(pub.statusCode).toBe(201);
    expect(json(pub)).toMatchObject({ visibility: 'public', author: { id: agent.id }, ticketId });
    const internal = await post(agent.headers, ticketId, { body: '怀疑压缩机故障，备件库存不足', visibility: 'internal' });
    expect(internal.statusCode).toBe(201);

    const staffView = json(await get(agent.headers, ticketId)).items.map((c: { body: string }) => c.body);
    expect(staffView).toEqual(['您好，工程师将于明天上午上门检测。', '怀疑压缩机故障，备件库存不足']);
    const customerView = json(await get(customer.headers, ticketId)).items.map((c: { body: string }) => c.body);
    expect(customerView).toEqual(['您好，工程师将于明天上午上门检测。']);
  });

  it("makes a customer's comment public whatever they ask for", async () => {
    const res = await post(customer.headers, ticketId, { body: '明天上午家里有人', visibility: 'internal' });
    expect(res.statusCode).toBe(201);
    expect(json(res).visibility).toBe('public');
    const [row] = await t.db.select().from(comments).where(eq(comments.id, json(res).id));
    expect(row!.visibility).toBe('public');
  });

  it('records the comment in the ticket history with an excerpt', async () => {
    const long = '很'.repeat(300);
    const res = await post(agent.headers, ticketId, { body: long, visibility: 'internal' });
    const events = await t.db.select().from(auditEvents)
      .where(and(eq(auditEvents.ticketId, ticketId), eq(auditEvents.type, 'comment.added')));
    const mine = events.find((e) => e.data?.commentId === json(res).id);
    expect(mine?.data).toEqual({ commentId: json(res).id, visibility: 'internal', excerpt: '很'.repeat(200) });
    expect(mine?.actorId).toBe(agent.id);
  });

  it("answers 404 for another customer's ticket, reading or writing", async () => {
    expect((await get(otherCustomer.headers, ticketId)).statusCode).toBe(404);
    const res = await post(otherCustomer.headers, ticketId, { body: '我也有问题' });
    expect(res.statusCode).toBe(404);
    expect(await t.db.select().from(comments).where(eq(comments.body, '我也有问题'))).toHaveLength(0);
  });

  it('refuses an empty comment naming the field', async () => {
    const res = await post(agent.headers, ticketId, { body: '   ' });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.fields[0].path).toBe('body');
  });
});
