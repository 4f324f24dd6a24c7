/**
 * The rule action "set SLA policy" (规则 → SLA 策略): the policy a rule names is stored on the
 * ticket at intake and wins over matching by priority × tier × category when the clocks start;
 * a rule naming an unknown policy is refused naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { tickets } from '../../src/db/schema.js';
import { runOutboxOnce } from '../../src/jobs/runner.js';
import { ensureSlaDefaults } from '../../src/sla/ensure-sla-defaults.js';
import { backends } from '../backends.js';
import { createTestApp, json, login, makeCategory, makeUser, type TestApp } from '../harness.js';
import { createTicketRequest, ticketBody } from '../ticket-fixtures.js';

describe.each(backends)('a rule that sets the SLA policy on $name', (backend) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof login>>;
  let categoryId: string;
  let p1PolicyId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    await ensureSlaDefaults({ db: t.db });
    admin = await login(t.app, (await makeUser(t.db, 'admin')).username);
    categoryId = (await makeCategory(t.db, { defaultPriority: 'P3' })).id;
    const policies = json(await t.app.inject({ method: 'GET', url: '/api/v1/sla/policies', headers: admin })).items as Array<{ id: string; name: string }>;
    p1PolicyId = policies.find((p) => p.name.startsWith('P1'))!.id;
  });
  afterAll(async () => { await t?.close(); });

  it('refuses an unknown policy, naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/rules', headers: admin, payload: {
        name: '未知策略', definition: {
          trigger: 'intake', conditions: { field: 'category', op: 'in', value: [categoryId] },
          actions: [{ type: 'setSlaPolicy', slaPolicyId: '00000000-0000-4000-8000-000000000777' }],
        },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.fields[0].path).toBe('definition.actions.0.slaPolicyId');
  });

  it('stores the policy at intake and the clocks follow it instead of the P3 match', async () => {
    const rule = await t.app.inject({
      method: 'POST', url: '/api/v1/rules', headers: admin, payload: {
        name: '重点品类→P1 时限', definition: {
          trigger: 'intake', conditions: { field: 'category', op: 'in', value: [categoryId] },
          actions: [{ type: 'setSlaPolicy', slaPolicyId: p1PolicyId }],
        },
      },
    });
    expect(rule.statusCode).toBe(201);
    const created = await createTicketRequest(t, admin, ticketBody(categoryId));
    expect(created.statusCode).toBe(201);
    const ticket = json(created);
    expect(ticket.priority).toBe('P3');
    const [row] = await t.db.select({ slaPolicyId: tickets.slaPolicyId }).from(tickets).where(eq(tickets.id, ticket.id));
    expect(row!.slaPolicyId).toBe(p1PolicyId);
    for (let i = 0; i < 20 && await runOutboxOnce({ db: t.db, instanceId: 'test' }) > 0; i++) { /* drain */ }
    const clocks = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/sla`, headers: admin })).items as Array<{ metric: string; targetMinutes: number }>;
    // P1's targets (1 h / 4 h / 24 h), not P3's 8 h / — / 5 working days.
    expect(clocks.map((c) => [c.metric, c.targetMinutes])).toEqual([['first_response', 60], ['update', 240], ['resolution', 1440]]);
  });
});
