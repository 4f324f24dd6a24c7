/** When the customer writes on a ticket, its owner hears of it and the ticket counts as updated. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOutboxOnce } from '../src/jobs/runner.js';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, makeDepartment, type TestApp } from './harness.js';
import { createTicketRequest, person, ticketBody, type Person } from './ticket-fixtures.js';

describe.each(backends)('customer comments on $name', (backend) => {
  let t: TestApp;
  let owner: Person;
  let customer: Person;
  let agent: Person;
  let ticketId: string;

  beforeAll(async () => {
    t = await createTestApp(backend, { CLOSELOOP_RUNNER: 'false' });
    const dept = await makeDepartment(t.db);
    owner = await person(t, 'handler', [dept.id]);
    const category = await makeCategory(t.db, { defaultDepartmentId: dept.id, defaultOwnerId: owner.id });
    customer = await person(t, 'customer');
    agent = await person(t, 'agent');
    const created = await createTicketRequest(t, customer.headers, ticketBody(category.id));
    if (created.statusCode !== 201) throw new Error(created.body);
    ticketId = json(created).id;
    await runOutboxOnce({ db: t.db, instanceId: 'test' }); // the assignment notice
  });
  afterAll(async () => { await t?.close(); });

  const notificationsOf = async (who: Person) =>
    json(await t.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: who.headers })).items as { kind: string; ticketId: string; body: string }[];

  it('tells the owner what the customer wrote and moves the ticket up in "updated" order', async () => {
    const before = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, headers: owner.headers })).updatedAt;
    const res = await t.app.inject({
      method: 'POST', url: `/api/v1/tickets/${ticketId}/comments`, headers: customer.headers,
      payload: { body: '补充：空调外机也有异响，晚上更明显。' },
    });
    expect(res.statusCode).toBe(201);
    await runOutboxOnce({ db: t.db, instanceId: 'test' });
    const mine = (await notificationsOf(owner)).filter((n) => n.kind === 'ticket_customer_comment');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.ticketId).toBe(ticketId);
    expect(mine[0]!.body).toContain('外机也有异响');
    const after = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, headers: owner.headers })).updatedAt;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
  });

  it('does not notify the owner about staff comments', async () => {
    await t.app.inject({
      method: 'POST', url: `/api/v1/tickets/${ticketId}/comments`, headers: agent.headers,
      payload: { body: '已电话联系客户', visibility: 'internal' },
    });
    await runOutboxOnce({ db: t.db, instanceId: 'test' });
    const mine = (await notificationsOf(owner)).filter((n) => n.kind === 'ticket_customer_comment');
    expect(mine).toHaveLength(1);
  });
});
