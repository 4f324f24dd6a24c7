/** A corrected customer name reaches the search of that customer's earlier tickets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, type TestApp } from './harness.js';
import { createTicketRequest, person, ticketBody, type Person } from './ticket-fixtures.js';

describe.each(backends)('customer rename on $name', (backend) => {
  let t: TestApp;
  let agent: Person;
  beforeAll(async () => {
    t = await createTestApp(backend);
    agent = await person(t, 'agent');
  });
  afterAll(async () => { await t?.close(); });

  const search = async (q: string) =>
    json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets?q=${encodeURIComponent(q)}`, headers: agent.headers }))
      .items.map((i: { id: string }) => i.id);

  it('finds the tickets by the new name and no longer by the old one', async () => {
    const category = await makeCategory(t.db);
    const created = json(await createTicketRequest(t, agent.headers, ticketBody(category.id, {
      customer: { name: '欧阳小明', phone: '13600001111' },
    })));
    expect(await search('欧阳')).toContain(created.id);

    const res = await t.app.inject({
      method: 'PATCH', url: `/api/v1/customers/${created.customer.id}`, headers: agent.headers,
      payload: { name: '司马光辉' },
    });
    expect(res.statusCode).toBe(200);
    expect(await search('司马光辉')).toContain(created.id);
    expect(await search('欧阳')).not.toContain(created.id);
  });
});
