/**
 * Rules as validated, versioned data through the API, the sample test screen's answer, and
 * skill-group assignment under concurrency (PostgreSQL: parallel intakes on several
 * connections must share the round-robin turns exactly).
 */
import { and, eq } from 'drizzle-orm';
import { runOutboxOnce } from '../../src/jobs/runner.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { auditEvents, notifications, ruleVersions, ticketWatchers } from '../../src/db/schema.js';
import { scopesForRole, type Actor } from '../../src/auth/actor.js';
import { createTicket } from '../../src/tickets/create-ticket.js';
import { backends } from '../backends.js';
import { createTestApp, json, login, makeCategory, makeDepartment, makeUser, type TestApp } from '../harness.js';
import { ticketBody } from '../ticket-fixtures.js';

describe.each(backends)('rules administration on $name', (backend) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let categoryId: string;
  let deptId: string;
  let groupId: string;
  let members: string[];
  let agentActor: Actor;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const a = await makeUser(t.db, 'admin');
    admin = await login(t.app, a.username);
    deptId = (await makeDepartment(t.db)).id;
    categoryId = (await makeCategory(t.db)).id;
    members = await Promise.all([0, 1, 2].map(async () => (await makeUser(t.db, 'handler', { departmentIds: [deptId] })).id));
    const agent = await makeUser(t.db, 'agent');
    agentActor = { kind: 'user', userId: agent.id, role: 'agent', departmentIds: [], customerId: null, scopes: scopesForRole('agent') };
    const g = await t.app.inject({ method: 'POST', url: '/api/v1/skill-groups', headers: admin, payload: { name: '测试组', departmentId: deptId, strategy: 'round_robin' } });
    if (g.statusCode !== 201) throw new Error(g.body);
    groupId = json(g).id;
    for (const userId of members) {
      const m = await t.app.inject({ method: 'PUT', url: `/api/v1/skill-groups/${groupId}/members`, headers: admin, payload: { userId } });
      if (m.statusCode !== 200) throw new Error(m.body);
    }
  });
  afterAll(async () => { await t?.close(); });

  const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: admin, payload });

  it('refuses a bad rule naming the field path, and writes nothing', async () => {
    const bad = await post('/api/v1/rules', {
      name: '坏规则', definition: { trigger: 'intake', conditions: { all: [{ field: 'priority', op: 'in', value: ['P9'] }] }, actions: [{ type: 'stop' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(json(bad).error)).toContain('definition.conditions');
    const missing = await post('/api/v1/rules', {
      name: '坏引用', definition: { trigger: 'intake', conditions: { field: 'category', op: 'in', value: [categoryId] }, actions: [{ type: 'setDepartment', departmentId: '00000000-0000-4000-8000-000000000999' }] },
    });
    expect(missing.statusCode).toBe(400);
    expect(json(missing).error.fields[0].path).toBe('definition.actions.0.departmentId');
    const list = json(await t.app.inject({ method: 'GET', url: '/api/v1/rules', headers: admin }));
    expect(list.items).toHaveLength(0);
  });

  it('tests a draft on a sample, saves it, versions a change, and intake fires it', async () => {
    const definition = {
      trigger: 'intake', conditions: { field: 'keywords', op: 'any', value: ['异响'] },
      actions: [{ type: 'assignGroup', skillGroupId: groupId }, { type: 'setPriority', priority: 'P2' }],
    };
    const sample = { title: '空调异响', description: '运行时异响', category: categoryId };
    const tried = json(await post('/api/v1/rules/test', { sample, draft: { name: '异响→测试组', definition } }));
    expect(tried.rules.at(-1)).toMatchObject({ name: '异响→测试组', matched: true });
    expect(tried.outcome).toMatchObject({ departmentId: deptId, skillGroupId: groupId, priority: 'P2' });
    const quiet = json(await post('/api/v1/rules/test', { sample: { ...sample, title: '咨询', description: '咨询' }, draft: { name: 'x', definition } }));
    expect(quiet.rules.at(-1).matched).toBe(false);

    const created = await post('/api/v1/rules', { name: '异响→测试组', position: 10, definition });
    expect(created.statusCode, created.body).toBe(201);
    const rule = json(created);
    expect(rule.version).toBe(1);
    const changed = await t.app.inject({
      method: 'PATCH', url: `/api/v1/rules/${rule.id}`, headers: admin,
      payload: { definition: { ...definition, actions: [{ type: 'assignGroup', skillGroupId: groupId }, { type: 'setPriority', priority: 'P1' }] } },
    });
    expect(json(changed).version).toBe(2);
    expect(await t.db.select().from(ruleVersions).where(eq(ruleVersions.ruleId, rule.id))).toHaveLength(2);

    const { ticket } = await createTicket({ db: t.db, actor: agentActor, input: ticketBody(categoryId, { title: '空调异响', description: '运行时异响' }) });
    expect(ticket).toMatchObject({ departmentId: deptId, priority: 'P1', status: 'assigned' });
    expect(members).toContain(ticket.ownerId);
    const fired = await t.db.select().from(auditEvents).where(eq(auditEvents.ticketId, ticket.id));
    const firing = fired.find((e) => e.type === 'ticket.rule_fired')!;
    expect(firing.data).toMatchObject({ ruleId: rule.id, version: 2, name: '异响→测试组', changes: { skillGroupId: groupId, priority: 'P1' } });
    expect(firing.after).toMatchObject({ priority: 'P1' });
  });

  it('round-robin over on-duty members; off-duty ones are passed over', async () => {
    const owners: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { ticket } = await createTicket({ db: t.db, actor: agentActor, input: ticketBody(categoryId, { title: '异响', description: '异响' }) });
      owners.push(ticket.ownerId!);
    }
    for (let i = 3; i < 6; i++) expect(owners[i]).toBe(owners[i - 3]);
    expect(new Set(owners.slice(0, 3)).size).toBe(3);
    await t.app.inject({ method: 'PUT', url: `/api/v1/skill-groups/${groupId}/members`, headers: admin, payload: { userId: members[0], onDuty: false } });
    for (let i = 0; i < 4; i++) {
      const { ticket } = await createTicket({ db: t.db, actor: agentActor, input: ticketBody(categoryId, { title: '异响', description: '异响' }) });
      expect(ticket.ownerId).not.toBe(members[0]);
    }
    await t.app.inject({ method: 'PUT', url: `/api/v1/skill-groups/${groupId}/members`, headers: admin, payload: { userId: members[0], onDuty: true } });
  });

  it('update rules run after an edit, as the system actor, once, without re-triggering themselves', async () => {
    const watcher = await makeUser(t.db, 'manager', { departmentIds: [deptId] });
    const created = await post('/api/v1/rules', {
      name: 'P1→关注', position: 5,
      definition: { trigger: 'update', conditions: { field: 'priority', op: 'in', value: ['P1'] },
        actions: [{ type: 'addWatchers', userIds: [watcher.id] }, { type: 'notify', userIds: [watcher.id] }, { type: 'setCategory', categoryId }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { ticket } = await createTicket({ db: t.db, actor: agentActor, input: ticketBody(categoryId, { title: '咨询', description: '咨询', urgency: 'low' }) });
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: admin, payload: { priority: 'P1', priorityReason: '客户要求升级' } });
    expect(patch.statusCode, patch.body).toBe(200);
    for (let i = 0; i < 4; i++) await runOutboxOnce({ db: t.db, instanceId: 'rules-test' });
    const evs = await t.db.select().from(auditEvents).where(eq(auditEvents.ticketId, ticket.id));
    const firings = evs.filter((e) => e.type === 'ticket.rule_fired' && e.data?.name === 'P1→关注');
    expect(firings).toHaveLength(1);
    expect(firings[0]!.actorKind).toBe('system');
    expect(await t.db.select().from(ticketWatchers).where(eq(ticketWatchers.ticketId, ticket.id))).toHaveLength(1);
    const bell = await t.db.select().from(notifications).where(and(eq(notifications.ticketId, ticket.id), eq(notifications.userId, watcher.id)));
    expect(bell.map((n) => n.kind)).toContain('rule_notify');
    // A second edit: the rule version already fired on this ticket, nothing more.
    await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: admin, payload: { title: '咨询（已升级）' } });
    for (let i = 0; i < 3; i++) await runOutboxOnce({ db: t.db, instanceId: 'rules-test' });
    const again = await t.db.select().from(auditEvents).where(eq(auditEvents.ticketId, ticket.id));
    expect(again.filter((e) => e.type === 'ticket.rule_fired')).toHaveLength(1);
    await t.app.inject({ method: 'PATCH', url: `/api/v1/rules/${json(created).id}`, headers: admin, payload: { active: false } });
  });

  it('refuses a member outside the group department', async () => {
    const outsider = await makeUser(t.db, 'handler');
    const res = await t.app.inject({ method: 'PUT', url: `/api/v1/skill-groups/${groupId}/members`, headers: admin, payload: { userId: outsider.id } });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.fields[0].path).toBe('userId');
  });

  /**
   * 60 intakes at once, spread over four connections on PostgreSQL (as several instances would
   * have) or interleaved on PGlite's one; answers how many tickets each owner got.
   */
  async function concurrentIntakes(text: { title: string; description: string }, n = 60): Promise<Map<string, number>> {
    const url = (t.database as Database & { url?: string }).url;
    const others = url ? await Promise.all([0, 1, 2].map(() => openDatabase({ databaseUrl: url, migrate: false }))) : [];
    try {
      const dbs = [t.db, ...others.map((o) => o.db)];
      const results = await Promise.all(Array.from({ length: n }, (_, i) => createTicket({
        db: dbs[i % dbs.length]!, actor: agentActor, input: ticketBody(categoryId, text),
      })));
      const per = new Map<string, number>();
      for (const r of results) per.set(r.ticket.ownerId!, (per.get(r.ticket.ownerId!) ?? 0) + 1);
      return per;
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  }

  it('concurrent intakes share the turns exactly', async () => {
    const N = 60;
    const per = await concurrentIntakes({ title: '异响', description: '异响' }, N);
    expect([...per.keys()].sort()).toEqual([...members].sort());
    // Every pick got its own turn: counts are exactly even.
    expect([...per.values()]).toEqual([N / 3, N / 3, N / 3]);
  });

  it('least-open picks at the same instant never take the same member from a stale load', async () => {
    const dept2 = (await makeDepartment(t.db)).id;
    const least = await Promise.all([0, 1, 2].map(async () => (await makeUser(t.db, 'handler', { departmentIds: [dept2] })).id));
    const g = await t.app.inject({ method: 'POST', url: '/api/v1/skill-groups', headers: admin, payload: { name: '最少未结组', departmentId: dept2, strategy: 'least_open' } });
    expect(g.statusCode, g.body).toBe(201);
    for (const userId of least) {
      const m = await t.app.inject({ method: 'PUT', url: `/api/v1/skill-groups/${json(g).id}/members`, headers: admin, payload: { userId } });
      expect(m.statusCode, m.body).toBe(200);
    }
    const rule = await post('/api/v1/rules', {
      name: '漏水→最少未结组', position: 1,
      definition: { trigger: 'intake', conditions: { field: 'keywords', op: 'any', value: ['漏水'] }, actions: [{ type: 'assignGroup', skillGroupId: json(g).id }] },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    const N = 60;
    const per = await concurrentIntakes({ title: '洗衣机漏水', description: '漏水' }, N);
    expect([...per.keys()].sort()).toEqual([...least].sort());
    // Each pick saw the loads every earlier pick left, committed ticket or not: exactly even.
    expect([...per.values()]).toEqual([N / 3, N / 3, N / 3]);
  });
});
