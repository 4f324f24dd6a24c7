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
import { createRule } from '../../src/routing/create-rule.js';
import { updateRule } from '../../src/routing/update-rule.js';
import { saveSkillGroup } from '../../src/routing/save-skill-group.js';
import { saveTag } from '../../src/routing/save-tag.js';
import { setGroupMember } from '../../src/routing/set-group-member.js';

/** Customer lookup + the one intake statement; a block of ticket numbers now and then. */
const INTAKE_BUDGET = 3;
/**
 * Routed by a rule to a skill group: one statement more, the member pick (routing/
 * pick-group-member.ts). It cannot join the intake statement: the ticket's audit hash is
 * computed before it and names the owner. Rules and tags come from caches: no statement.
 */
const INTAKE_BUDGET_WITH_GROUP = INTAKE_BUDGET + 1;

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

  it(`with rules on, routed to a skill group: at most ${INTAKE_BUDGET_WITH_GROUP} statements`, async () => {
    const dept = await makeDepartment(t.db);
    const member = await makeUser(t.db, 'handler', { departmentIds: [dept.id] });
    const admin = await makeUser(t.db, 'admin');
    const adminActor: Actor = { kind: 'user', userId: admin.id, role: 'admin', departmentIds: [], customerId: null, scopes: scopesForRole('admin') };
    const group = await saveSkillGroup({ db: t.db, actor: adminActor, input: { name: '预算组', departmentId: dept.id, strategy: 'round_robin', active: true } });
    await setGroupMember({ db: t.db, actor: adminActor, groupId: group.id, input: { userId: member.id, onDuty: true, capacity: null } });
    const cat = (await makeCategory(t.db)).id;
    await saveTag({ db: t.db, actor: adminActor, input: { name: '预算标签', keywords: ['制冷'], synonyms: [], active: true } });
    const rule = await createRule({ db: t.db, actor: adminActor, input: {
      name: '预算规则', position: 1, active: true,
      definition: { trigger: 'intake', conditions: { field: 'category', op: 'in', value: [cat] }, actions: [{ type: 'assignGroup', skillGroupId: group.id }, { type: 'setPriority', priority: 'P1' }] },
    } });
    const phone = nextPhone();
    await createTicket({ db: t.db, actor, input: ticketBody(cat, { customer: { name: '赵六', phone } }) });
    cacheClock.now = () => Date.now() + 10_000_000;
    await createTicket({ db: t.db, actor, input: ticketBody(cat, { customer: { name: '赵六', phone } }) });
    const frozen = Date.now() + 10_000_000;
    cacheClock.now = () => frozen;
    await createTicket({ db: t.db, actor, input: ticketBody(cat, { customer: { name: '赵六', phone } }) });
    const before = t.database.stats.statements;
    t.database.stats.trace = [];
    const { ticket } = await createTicket({ db: t.db, actor, input: ticketBody(cat, { customer: { name: '赵六', phone } }) });
    expect(ticket).toMatchObject({ ownerId: member.id, priority: 'P1' });
    expect(t.database.stats.statements - before, t.database.stats.trace.join('\n')).toBeLessThanOrEqual(INTAKE_BUDGET_WITH_GROUP);
    t.database.stats.trace = undefined;
    await updateRule({ db: t.db, actor: adminActor, id: rule.id, input: { active: false } });
  });

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
