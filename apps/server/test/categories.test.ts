import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES } from '@closeloop/contract';
import { sha256, randomSecret } from '../src/auth/secrets.js';
import type { Db } from '../src/db/client.js';
import { apiTokens, auditEvents, categories } from '../src/db/schema.js';
import { newId, toNumber } from '../src/db/util.js';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, makeDepartment, makeUser, type TestApp } from './harness.js';

/** Bearer headers for a user: independent of the login endpoint and of CSRF. */
async function bearer(db: Db, userId: string) {
  const token = `clt_${randomSecret()}`;
  await db.insert(apiTokens).values({
    id: newId(), name: 'test', prefix: token.slice(0, 8), tokenHash: sha256(token), userId, scopes: [...TOKEN_SCOPES],
  });
  return { authorization: `Bearer ${token}` };
}

describe.each(backends)('categories on $name', (backend) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let agent: Record<string, string>;
  let customer: Record<string, string>;
  let deptId: string;
  let ownerId: string;
  let inactiveOwnerId: string;
  let customerUserId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const dept = await makeDepartment(t.db, { name: '质量部' });
    deptId = dept.id;
    const a = await makeUser(t.db, 'admin');
    admin = await bearer(t.db, a.id);
    agent = await bearer(t.db, (await makeUser(t.db, 'agent')).id);
    const c = await makeUser(t.db, 'customer');
    customerUserId = c.id;
    customer = await bearer(t.db, c.id);
    ownerId = (await makeUser(t.db, 'handler', { departmentIds: [deptId] })).id;
    inactiveOwnerId = (await makeUser(t.db, 'handler', { active: false })).id;
  });
  afterAll(async () => { await t?.close(); });

  const post = (headers: Record<string, string>, payload: unknown) =>
    t.app.inject({ method: 'POST', url: '/api/v1/categories', headers, payload: payload as object });
  const patch = (headers: Record<string, string>, id: string, payload: unknown) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/categories/${id}`, headers, payload: payload as object });
  const categoryCount = async () => toNumber((await t.db.select({ n: count() }).from(categories))[0]!.n);
  const eventsOf = (id: string) => t.db.select().from(auditEvents).where(eq(auditEvents.chain, `category:${id}`)).orderBy(auditEvents.seq);

  it('lets an admin create, read, list and change a category, each change audited', async () => {
    const created = await post(admin, {
      code: 'quality', name: '质量问题', nameEn: 'Quality problem', processTemplate: 'full',
      defaultDepartmentId: deptId, defaultOwnerId: ownerId, defaultPriority: 'P2', sort: 10,
      customFields: [
        { key: 'part', label: '故障部件', type: 'select', required: true, options: ['电机', '面板'] },
        { key: 'noiseDb', label: '噪音分贝', type: 'number' },
      ],
    });
    expect(created.statusCode).toBe(201);
    const cat = json(created);
    expect(cat).toMatchObject({
      code: 'quality', name: '质量问题', processTemplate: 'full', defaultDepartmentId: deptId,
      defaultOwnerId: ownerId, defaultPriority: 'P2', active: true, sort: 10,
    });
    expect(cat.customFields).toEqual([
      { key: 'part', label: '故障部件', type: 'select', required: true, options: ['电机', '面板'] },
      { key: 'noiseDb', label: '噪音分贝', type: 'number', required: false },
    ]);

    const got = await t.app.inject({ method: 'GET', url: `/api/v1/categories/${cat.id}`, headers: agent });
    expect(got.statusCode).toBe(200);
    expect(json(got)).toEqual(cat);

    // Only the name changes: nothing else is reset to the create defaults.
    const renamed = await patch(admin, cat.id, { name: '质量故障' });
    expect(renamed.statusCode).toBe(200);
    expect(json(renamed)).toEqual({ ...cat, name: '质量故障' });

    const retired = await patch(admin, cat.id, { active: false, defaultOwnerId: null });
    expect(json(retired)).toMatchObject({ active: false, defaultOwnerId: null, defaultPriority: 'P2', sort: 10 });

    // The form engine's version 1 (form.published) is on the same chain; the category's own events:
    const events = (await eventsOf(cat.id)).filter((e) => e.type.startsWith('category.'));
    expect(events.map((e) => e.type)).toEqual(['category.created', 'category.updated', 'category.updated']);
    expect(events[1]).toMatchObject({ before: { name: '质量问题' }, after: { name: '质量故障' } });
    expect(events[2]).toMatchObject({ before: { active: true, defaultOwnerId: ownerId }, after: { active: false, defaultOwnerId: null } });

    // Saving unchanged values writes no event.
    expect((await patch(admin, cat.id, { name: '质量故障' })).statusCode).toBe(200);
    expect(await eventsOf(cat.id)).toHaveLength(4);
  });

  it('lists by sort then name, and ?active=true leaves retired ones out', async () => {
    const late = await makeCategory(t.db, { code: 'zz-late', name: '咨询', sort: 500 });
    const early = await makeCategory(t.db, { code: 'aa-early', name: '物流问题', sort: 1 });
    const retired = await makeCategory(t.db, { code: 'old', name: '旧分类', sort: 2, active: false });

    const all = json(await t.app.inject({ method: 'GET', url: '/api/v1/categories', headers: agent })).items as { id: string; sort: number; name: string }[];
    const ids = all.map((c) => c.id);
    expect(ids).toContain(retired.id);
    expect(ids.indexOf(early.id)).toBeLessThan(ids.indexOf(retired.id));
    expect(ids.indexOf(retired.id)).toBeLessThan(ids.indexOf(late.id));
    const sorted = [...all].sort((a, b) => a.sort - b.sort || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    expect(all.map((c) => c.id)).toEqual(sorted.map((c) => c.id));

    const active = json(await t.app.inject({ method: 'GET', url: '/api/v1/categories?active=true', headers: agent })).items as { id: string; active: boolean }[];
    expect(active.map((c) => c.id)).not.toContain(retired.id);
    expect(active.every((c) => c.active)).toBe(true);

    // Customers choose among active categories only.
    const forCustomer = await t.app.inject({ method: 'GET', url: '/api/v1/categories', headers: customer });
    expect(forCustomer.statusCode).toBe(200);
    expect(json(forCustomer).items.map((c: { id: string }) => c.id)).not.toContain(retired.id);
    expect(json(forCustomer).items.map((c: { id: string }) => c.id)).toContain(early.id);
  });

  it('needs a signed-in caller to read and an admin to change', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/categories' })).statusCode).toBe(401);
    const cat = await makeCategory(t.db);
    const before = await categoryCount();
    const byAgent = await post(agent, { code: 'agent-made', name: '客服建的', processTemplate: 'quick' });
    expect(byAgent.statusCode).toBe(403);
    expect(json(byAgent).error.code).toBe('FORBIDDEN');
    expect((await post(customer, { code: 'cust-made', name: '客户建的', processTemplate: 'quick' })).statusCode).toBe(403);
    expect((await patch(agent, cat.id, { name: '改名' })).statusCode).toBe(403);
    expect(await categoryCount()).toBe(before);
    const unchanged = json(await t.app.inject({ method: 'GET', url: `/api/v1/categories/${cat.id}`, headers: agent }));
    expect(unchanged.name).toBe(cat.name);
  });

  it('refuses a code that is already used with 409 naming code', async () => {
    await makeCategory(t.db, { code: 'install' });
    const before = await categoryCount();
    const res = await post(admin, { code: 'install', name: '安装问题', processTemplate: 'full' });
    expect(res.statusCode).toBe(409);
    expect(json(res).error.code).toBe('CONFLICT');
    expect(json(res).error.fields[0].path).toBe('code');
    expect(await categoryCount()).toBe(before);
  });

  it.each([
    ['code', { code: 'Bad Code!', name: 'x', processTemplate: 'full' }],
    ['processTemplate', { code: 'pt-bad', name: 'x', processTemplate: 'slow' }],
    ['customFields.1.key', { code: 'dup-keys', name: 'x', processTemplate: 'full', customFields: [
      { key: 'model', label: '型号', type: 'text' }, { key: 'model', label: '型号2', type: 'text' }] }],
    ['customFields.0.options', { code: 'no-options', name: 'x', processTemplate: 'full', customFields: [
      { key: 'part', label: '部件', type: 'select' }] }],
    ['defaultDepartmentId', { code: 'no-dept', name: 'x', processTemplate: 'full', defaultDepartmentId: newId() }],
  ])('refuses bad input naming %s, writing nothing', async (field, payload) => {
    const before = await categoryCount();
    const res = await post(admin, payload);
    expect(res.statusCode).toBe(400);
    expect(json(res).error.code).toBe('VALIDATION_FAILED');
    expect(json(res).error.fields.map((f: { path: string }) => f.path)).toContain(field);
    expect(await categoryCount()).toBe(before);
  });

  it('refuses an owner who is inactive or not staff', async () => {
    for (const id of [inactiveOwnerId, customerUserId, newId()]) {
      const res = await post(admin, { code: `owner-${id.slice(-6)}`, name: 'x', processTemplate: 'full', defaultOwnerId: id });
      expect(res.statusCode).toBe(400);
      expect(json(res).error.fields[0].path).toBe('defaultOwnerId');
    }
    const cat = await makeCategory(t.db);
    const res = await patch(admin, cat.id, { defaultOwnerId: inactiveOwnerId, name: '不该改' });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.fields[0].path).toBe('defaultOwnerId');
    const [row] = await t.db.select().from(categories).where(eq(categories.id, cat.id));
    expect(row!.name).toBe(cat.name);
    expect(await eventsOf(cat.id)).toHaveLength(0);
  });

  it('answers 404 for a category that does not exist', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/categories/${newId()}`, headers: agent })).statusCode).toBe(404);
    expect((await patch(admin, newId(), { name: '无' })).statusCode).toBe(404);
  });
});
