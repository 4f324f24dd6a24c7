import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends.js';
import { createTestApp, json, login, makeCustomer, makeDepartment, makeUser, PASSWORD, type TestApp } from './harness.js';
import { auditEvents, departments, userDepartments, users } from '../src/db/schema.js';
import { toNumber } from '../src/db/util.js';

describe.each(backends)('users and departments on $name', (backend) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof makeUser>>;
  let adminHeaders: { cookie: string; origin: string };
  beforeAll(async () => {
    t = await createTestApp(backend);
    admin = await makeUser(t.db, 'admin');
    adminHeaders = await login(t.app, admin.username);
  });
  afterAll(async () => { await t?.close(); });

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload === undefined ? {} : { payload }) });
  const userCount = async () => toNumber((await t.db.select({ n: sql`count(*)` }).from(users))[0]!.n);
  const eventsOf = (chain: string) => t.db.select().from(auditEvents).where(eq(auditEvents.chain, chain)).orderBy(auditEvents.seq);

  it('lets an admin create a user who can then sign in, with a created event', async () => {
    const dept = await makeDepartment(t.db);
    const res = await call('POST', '/users', adminHeaders, {
      username: 'wang.wu', displayName: '王五', password: 'wang-wu-pass', role: 'handler', departmentIds: [dept.id],
    });
    expect(res.statusCode).toBe(201);
    const user = json(res);
    expect(user).toMatchObject({ username: 'wang.wu', displayName: '王五', role: 'handler', active: true, locale: 'zh-CN' });
    expect(user.departments).toEqual([{ id: dept.id, name: dept.name, isHead: false }]);
    expect(res.body).not.toMatch(/argon2|password/i);
    await login(t.app, 'wang.wu', 'wang-wu-pass');

    const [created] = await eventsOf(`user:${user.id}`);
    expect(created).toMatchObject({ type: 'user.created', actorId: admin.id, before: null });
    expect(created!.after).toMatchObject({ username: 'wang.wu', role: 'handler', departmentIds: [dept.id] });
    expect(JSON.stringify(created)).not.toMatch(/argon2|wang-wu-pass/);
  });

  it('refuses user and department changes to non-admins', async () => {
    const agent = await makeUser(t.db, 'agent');
    const headers = await login(t.app, agent.username);
    const before = await userCount();
    const u = await call('POST', '/users', headers, { username: 'sneaky', displayName: 'x', password: 'password-1', role: 'admin' });
    expect(u.statusCode).toBe(403);
    expect(json(u).error.code).toBe('FORBIDDEN');
    const d = await call('POST', '/departments', headers, { name: '黑客部', code: 'hack' });
    expect(d.statusCode).toBe(403);
    expect(await userCount()).toBe(before);
    expect(await t.db.select().from(departments).where(eq(departments.code, 'hack'))).toEqual([]);
    expect((await call('PATCH', `/users/${agent.id}`, headers, { role: 'admin' })).statusCode).toBe(403);
    // Staff may read them.
    expect((await call('GET', '/users', headers)).statusCode).toBe(200);
    expect((await call('GET', '/departments', headers)).statusCode).toBe(200);
  });

  it('hides users from customers', async () => {
    const customer = await makeUser(t.db, 'customer');
    const headers = await login(t.app, customer.username);
    expect((await call('GET', '/users', headers)).statusCode).toBe(403);
    expect((await call('GET', `/users/${admin.id}`, headers)).statusCode).toBe(403);
  });

  it('answers 409 naming username for a duplicate, whatever its case', async () => {
    await makeUser(t.db, 'agent', { username: 'zhao.liu' });
    const before = await userCount();
    const res = await call('POST', '/users', adminHeaders, { username: 'Zhao.Liu', displayName: '赵六', password: 'password-1', role: 'agent' });
    expect(res.statusCode).toBe(409);
    expect(json(res).error).toMatchObject({ code: 'CONFLICT', fields: [{ path: 'username' }] });
    expect(await userCount()).toBe(before);
  });

  it('answers 400 naming the field for bad input and writes nothing', async () => {
    const before = await userCount();
    const eventsBefore = (await t.db.select({ n: sql`count(*)` }).from(auditEvents))[0]!.n;
    const cases: [object, string][] = [
      [{ username: 'a b', displayName: 'x', password: 'password-1', role: 'agent' }, 'username'],
      [{ username: 'short.pw', displayName: 'x', password: 'short', role: 'agent' }, 'password'],
      [{ username: 'bad.role', displayName: 'x', password: 'password-1', role: 'boss' }, 'role'],
      [{ username: 'no.dept', displayName: 'x', password: 'password-1', role: 'agent', departmentIds: ['01900000-0000-7000-8000-000000000000'] }, 'departmentIds'],
      [{ username: 'lone.customer', displayName: 'x', password: 'password-1', role: 'customer' }, 'customerId'],
      [{ username: 'ghost.customer', displayName: 'x', password: 'password-1', role: 'customer', customerId: '01900000-0000-7000-8000-000000000000' }, 'customerId'],
    ];
    for (const [payload, field] of cases) {
      const res = await call('POST', '/users', adminHeaders, payload);
      expect({ field, status: res.statusCode }).toEqual({ field, status: 400 });
      expect(json(res).error.code).toBe('VALIDATION_FAILED');
      expect(json(res).error.fields.map((f: { path: string }) => f.path)).toContain(field);
    }
    expect(await userCount()).toBe(before);
    expect((await t.db.select({ n: sql`count(*)` }).from(auditEvents))[0]!.n).toBe(eventsBefore);

    const dept = await call('POST', '/departments', adminHeaders, { name: '售后部', code: 'After Sales' });
    expect(dept.statusCode).toBe(400);
    expect(json(dept).error.fields[0].path).toBe('code');
  });

  it('creates a customer login for an existing customer', async () => {
    const customer = await makeCustomer(t.db);
    const res = await call('POST', '/users', adminHeaders, {
      username: 'kehu.zhang', displayName: '张先生', password: 'password-1', role: 'customer', customerId: customer.id,
    });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ role: 'customer', customerId: customer.id, departments: [] });
  });

  it('records before and after of an update; a password reset ends sessions', async () => {
    const d1 = await makeDepartment(t.db);
    const d2 = await makeDepartment(t.db);
    const user = await makeUser(t.db, 'handler', { departmentIds: [d1.id] });
    const session = await login(t.app, user.username);
    const res = await call('PATCH', `/users/${user.id}`, adminHeaders, {
      displayName: '孙七', role: 'manager', departmentIds: [d2.id],
    });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ displayName: '孙七', role: 'manager', departments: [{ id: d2.id }] });
    // A profile change leaves the session alone.
    expect((await call('GET', '/me', { cookie: session.cookie })).statusCode).toBe(200);

    const [updated] = await eventsOf(`user:${user.id}`);
    expect(updated).toMatchObject({ type: 'user.updated', actorId: admin.id });
    expect(updated!.before).toMatchObject({ displayName: user.displayName, role: 'handler', departmentIds: [d1.id] });
    expect(updated!.after).toMatchObject({ displayName: '孙七', role: 'manager', departmentIds: [d2.id] });

    const reset = await call('PATCH', `/users/${user.id}`, adminHeaders, { password: 'reset-by-admin' });
    expect(reset.statusCode).toBe(200);
    expect((await call('GET', '/me', { cookie: session.cookie })).statusCode).toBe(401);
    const events = await eventsOf(`user:${user.id}`);
    expect(events[1]!.data).toEqual({ passwordChanged: true });
    expect(JSON.stringify(events)).not.toMatch(/argon2|reset-by-admin/);
    await login(t.app, user.username, 'reset-by-admin');
    expect((await call('POST', '/auth/login', {}, { username: user.username, password: PASSWORD })).statusCode).toBe(401);

    // Saving the form unchanged leaves no event.
    expect((await call('PATCH', `/users/${user.id}`, adminHeaders, { displayName: '孙七' })).statusCode).toBe(200);
    expect(await eventsOf(`user:${user.id}`)).toHaveLength(2);
  });

  it('stops an admin from deactivating or demoting themselves', async () => {
    const off = await call('PATCH', `/users/${admin.id}`, adminHeaders, { active: false });
    expect(off.statusCode).toBe(409);
    expect(json(off).error.fields[0].path).toBe('active');
    const demote = await call('PATCH', `/users/${admin.id}`, adminHeaders, { role: 'agent' });
    expect(demote.statusCode).toBe(409);
    const [row] = await t.db.select().from(users).where(eq(users.id, admin.id));
    expect(row).toMatchObject({ active: true, role: 'admin' });
  });

  it('filters the user list by role, department, text and active', async () => {
    const dept = await makeDepartment(t.db);
    const a = await makeUser(t.db, 'verifier', { displayName: '质检员周八', departmentIds: [dept.id] });
    const b = await makeUser(t.db, 'verifier', { displayName: '质检员吴九', active: false });
    const list = async (q: string) => json(await call('GET', `/users?${q}`, adminHeaders)).items.map((u: { id: string }) => u.id);
    expect(await list(`departmentId=${dept.id}`)).toEqual([a.id]);
    expect(await list(`q=${encodeURIComponent('质检员')}`)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(await list(`q=${encodeURIComponent('质检员')}&active=true`)).toEqual([a.id]);
    expect(await list('role=verifier&active=false')).toEqual([b.id]);
    expect(await list(`q=${encodeURIComponent('%')}`)).toEqual([]); // typed text, not a wildcard
    const bad = await call('GET', '/users?role=boss', adminHeaders);
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.fields[0].path).toBe('query.role');
  });

  it('creates and changes departments with heads, member counts and events', async () => {
    const head = await makeUser(t.db, 'manager');
    const created = await call('POST', '/departments', adminHeaders, { name: '质量部', code: 'qa', headUserId: head.id });
    expect(created.statusCode).toBe(201);
    const qa = json(created);
    expect(qa).toMatchObject({ name: '质量部', code: 'qa', headUserId: head.id, memberCount: 1, parentId: null });
    const headView = json(await call('GET', `/users/${head.id}`, adminHeaders));
    expect(headView.departments).toEqual([{ id: qa.id, name: '质量部', isHead: true }]);

    const dup = await call('POST', '/departments', adminHeaders, { name: '另一个质量部', code: 'qa' });
    expect(dup.statusCode).toBe(409);
    expect(json(dup).error.fields[0].path).toBe('code');

    const child = json(await call('POST', '/departments', adminHeaders, { name: '质量一科', code: 'qa-1', parentId: qa.id }));
    const loop = await call('PATCH', `/departments/${qa.id}`, adminHeaders, { parentId: child.id });
    expect(loop.statusCode).toBe(400);
    expect(json(loop).error.fields[0].path).toBe('parentId');

    const renamed = await call('PATCH', `/departments/${qa.id}`, adminHeaders, { name: '品质部', headUserId: null });
    expect(renamed.statusCode).toBe(200);
    expect(json(renamed)).toMatchObject({ name: '品质部', headUserId: null, memberCount: 1 });
    const [membership] = await t.db.select().from(userDepartments)
      .where(and(eq(userDepartments.userId, head.id), eq(userDepartments.departmentId, qa.id)));
    expect(membership!.isHead).toBe(false);

    const events = await eventsOf(`department:${qa.id}`);
    expect(events.map((e) => e.type)).toEqual(['department.created', 'department.updated']);
    expect(events[1]!.before).toMatchObject({ name: '质量部', headUserId: head.id });
    expect(events[1]!.after).toMatchObject({ name: '品质部', headUserId: null });

    const all = json(await call('GET', '/departments', adminHeaders)).items;
    expect(all.find((d: { id: string }) => d.id === child.id)).toMatchObject({ parentId: qa.id, memberCount: 0 });
  });
});
