/**
 * The statement budget of intake (docs/architecture.md): a known customer's ticket costs at most
 * INTAKE_BUDGET statements sent to the database, caller resolution included; a new customer's
 * no more. Counted at the driver, so an added query, transaction or lock fails this test.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cacheClock } from '../../src/cache/ttl-cache.js';
import { backends } from '../backends.js';
import { createTestApp, json, makeCategory, makeDepartment, makeUser, type TestApp } from '../harness.js';
import { apiTokens } from '../../src/db/schema.js';
import { newId } from '../../src/db/util.js';
import { randomSecret, sha256, TOKEN_PREFIX } from '../../src/auth/secrets.js';
import { nextPhone, ticketBody } from '../ticket-fixtures.js';
import { scopesForRole, type Actor } from '../../src/auth/actor.js';
import { createTicket } from '../../src/tickets/create-ticket.js';

/** Customer lookup + the one intake statement; a block of ticket numbers now and then. */
const INTAKE_BUDGET = 3;

describe.each(backends)('intake statement budget on $name', (backend) => {
  let t: TestApp;
  let headers: Record<string, string>;
  let categoryId: string;
  let actor: Actor;
  beforeAll(async () => {
    t = await createTestApp(backend);
    const dept = await makeDepartment(t.db);
    const handler = await makeUser(t.db, 'handler', { departmentIds: [dept.id] });
    const agent = await makeUser(t.db, 'agent');
    categoryId = (await makeCategory(t.db, { defaultDepartmentId: dept.id, defaultOwnerId: handler.id })).id;
    const token = `${TOKEN_PREFIX}${randomSecret()}`;
    await t.db.insert(apiTokens).values({
      id: newId(), name: 'budget', prefix: token.slice(0, 10), tokenHash: sha256(token), userId: agent.id,
      scopes: ['tickets:read', 'tickets:write', 'customers:read'],
    });
    headers = { authorization: `Bearer ${token}` };
    actor = { kind: 'token', userId: agent.id, role: 'agent', departmentIds: [], customerId: null, scopes: scopesForRole('agent'), tokenId: 'budget' };
  });
  // Reference data is cached for under a second; a slow test machine must not see it expire
  // mid-test, or a reload would be counted as intake's.
  const realNow = cacheClock.now;
  beforeEach(() => { const frozen = Date.now(); cacheClock.now = () => frozen; });
  afterEach(() => { cacheClock.now = realNow; });
  afterAll(async () => { await t?.close(); });

  const post = (body: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers, payload: body as object });

  it(`registers a known customer's ticket in at most ${INTAKE_BUDGET} statements, a new customer's too`, async () => {
    const phone = nextPhone();
    // Warm the caches (caller, category, people) and the number block.
    expect((await post(ticketBody(categoryId, { customer: { name: '王芳', phone } }))).statusCode).toBe(201);

    const counts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = t.database.stats.statements;
      const res = await post(ticketBody(categoryId, { customer: { name: '王芳', phone } }));
      counts.push(t.database.stats.statements - before);
      expect(res.statusCode).toBe(201);
      expect(json(res)).toMatchObject({ status: 'assigned', customer: { phone } });
    }
    // Numbers come in blocks: most tickets take none, so the steady state is two statements.
    expect(Math.max(...counts)).toBeLessThanOrEqual(INTAKE_BUDGET);
    expect(Math.min(...counts)).toBeLessThanOrEqual(2);
  });

  it(`createTicket itself stays within ${INTAKE_BUDGET} statements for known and new customers`, async () => {
    const phone = nextPhone();
    await createTicket({ db: t.db, actor, input: ticketBody(categoryId, { customer: { name: '李雷', phone } }) });
    for (const input of [ticketBody(categoryId, { customer: { name: '李雷', phone } }), ticketBody(categoryId)]) {
      const before = t.database.stats.statements;
      t.database.stats.trace = [];
      const { replayed } = await createTicket({ db: t.db, actor, input });
      expect(replayed).toBe(false);
      expect(t.database.stats.statements - before, t.database.stats.trace.join('\n')).toBeLessThanOrEqual(INTAKE_BUDGET);
      t.database.stats.trace = undefined;
    }
    // With an Idempotency-Key: one more, to look for an earlier request with it.
    const before = t.database.stats.statements;
    await createTicket({ db: t.db, actor, input: ticketBody(categoryId, { customer: { name: '李雷', phone } }), idempotencyKey: 'k-1' });
    expect(t.database.stats.statements - before).toBeLessThanOrEqual(INTAKE_BUDGET + 1);
  });
});
