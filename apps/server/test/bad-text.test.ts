/**
 * Text PostgreSQL cannot store (NUL) is the client's mistake: both databases answer 400 and
 * write nothing, instead of the driver's error surfacing as a 500.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '../src/db/schema.js';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, type TestApp } from './harness.js';
import { createTicketRequest, person, ticketBody, type Person } from './ticket-fixtures.js';

describe.each(backends)('text with NUL on $name', (backend) => {
  let t: TestApp;
  let agent: Person;
  let category: { id: string };

  beforeAll(async () => {
    t = await createTestApp(backend);
    category = await makeCategory(t.db);
    agent = await person(t, 'agent');
  });
  afterAll(async () => { await t?.close(); });

  it('is refused with 400 and nothing is written', async () => {
    const res = await createTicketRequest(t, agent.headers, ticketBody(category.id, { title: '空调\u0000异响' }));
    expect(res.statusCode).toBe(400);
    expect(json(res).error.code).toBe('VALIDATION_FAILED');
    expect(json(res).error.message).toMatch(/NUL/);
    const [row] = await t.db.select({ n: count() }).from(tickets).where(eq(tickets.categoryId, category.id));
    expect(row!.n).toBe(0);
  });
});
