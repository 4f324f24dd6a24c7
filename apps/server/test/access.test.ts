/**
 * Who sees which ticket, across the lifecycle: a rectification measure may be owned by someone
 * outside the ticket's department, and that person must be able to open the ticket and finish
 * the measure, while their department colleagues still cannot see it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, makeDepartment, type TestApp } from './harness.js';
import { createTicketRequest, person, ticketBody, type Person } from './ticket-fixtures.js';

describe.each(backends)('ticket access on $name', (backend) => {
  let t: TestApp;
  let owner: Person;
  let measureOwner: Person;
  let colleague: Person;
  let manager: Person;
  let agent: Person;
  let ticketId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const quality = await makeDepartment(t.db, { name: '质量部' });
    const production = await makeDepartment(t.db, { name: '生产部' });
    const category = await makeCategory(t.db, { defaultDepartmentId: quality.id });
    owner = await person(t, 'handler', [quality.id]);
    measureOwner = await person(t, 'handler', [production.id]);
    colleague = await person(t, 'handler', [production.id]);
    manager = await person(t, 'manager', [quality.id]);
    agent = await person(t, 'agent');
    const created = await createTicketRequest(t, agent.headers, ticketBody(category.id));
    if (created.statusCode !== 201) throw new Error(`intake failed: ${created.body}`);
    ticketId = json(created).id;
  });
  afterAll(async () => { await t?.close(); });

  const act = (who: Person, body: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/transitions`, headers: who.headers, payload: body });
  const read = (who: Person) => t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, headers: who.headers });

  it('lets a measure owner from another department open the ticket and complete the measure', async () => {
    expect((await read(measureOwner)).statusCode).toBe(404);
    expect((await act(owner, { command: 'accept' })).statusCode).toBe(200);
    const plan = await act(owner, {
      command: 'submit_plan',
      analysis: { rootCause: { text: '压缩机支架焊点虚焊', certainty: 'verified' }, rootCauseClass: 'manufacturing' },
      plan: {
        summary: '更换支架并加严焊接检验',
        measures: [{
          type: 'corrective', action: '生产线焊接工位增加防错夹具', ownerId: measureOwner.id, dueDate: '2026-12-10',
          criterion: { kind: 'metric', metric: '虚焊', operator: '=', target: 0, unit: '件', sample: '连续 500 件' },
        }],
      },
    });
    expect(plan.statusCode).toBe(200);
    // No approval flow on the category: the plan gate passes at once.
    expect(json(plan).status).toBe('rectifying');
    expect((await act(manager, { command: 'approve_plan' })).statusCode).toBe(409);

    const seen = await read(measureOwner);
    expect(seen.statusCode).toBe(200);
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: measureOwner.headers });
    expect(json(listed).items.map((i: { id: string }) => i.id)).toContain(ticketId);

    const r = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/rectification`, headers: measureOwner.headers });
    const measureId = json(r).plans[0].measures[0].id as string;
    const done = await t.app.inject({
      method: 'POST', url: `/api/v1/tickets/${ticketId}/measures/${measureId}/complete`, headers: measureOwner.headers,
      payload: { note: '夹具已安装' },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(json(done)).toMatchObject({ status: 'done', onBehalf: false });
  });

  it('keeps the ticket hidden from the measure owner\'s department colleagues', async () => {
    expect((await read(colleague)).statusCode).toBe(404);
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: colleague.headers });
    expect(json(listed).items.map((i: { id: string }) => i.id)).not.toContain(ticketId);
    const events = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/events`, headers: colleague.headers });
    expect(events.statusCode).toBe(404);
  });
});
