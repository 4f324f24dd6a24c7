import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends.js';
import { createTestApp, json, login, makeUser, type TestApp } from './harness.js';
import { apiTokens, auditEvents } from '../src/db/schema.js';

describe.each(backends)('API tokens on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(backend); });
  afterAll(async () => { await t?.close(); });

  const createToken = (headers: Record<string, string>, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload });

  it('shows the secret once, lists without it, and works as a bearer token', async () => {
    const admin = await makeUser(t.db, 'admin');
    const session = await login(t.app, admin.username);
    const res = await createToken(session, { name: 'ERP 同步', scopes: ['tickets:read', 'admin'], expiresInDays: 30 });
    expect(res.statusCode).toBe(201);
    const created = json(res);
    expect(created.token).toMatch(/^clt_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 8));
    expect(created.expiresAt).not.toBeNull();

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: session });
    expect(list.statusCode).toBe(200);
    const listed = json(list).items.find((x: { id: string }) => x.id === created.id);
    expect(listed).toMatchObject({ name: 'ERP 同步', prefix: created.prefix, scopes: ['tickets:read', 'admin'] });
    expect(list.body).not.toContain(created.token);
    const [row] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row!.tokenHash).not.toContain(created.token);

    const auth = { authorization: `Bearer ${created.token}` };
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth });
    expect(me.statusCode).toBe(200);
    expect(json(me)).toMatchObject({ id: admin.id, scopes: ['tickets:read', 'admin'] });
    // The token's admin scope lets it act as its admin user, without Origin and without a cookie.
    const dept = await t.app.inject({ method: 'POST', url: '/api/v1/departments', headers: auth, payload: { name: '质量部', code: 'qa-tok' } });
    expect(dept.statusCode).toBe(201);

    const events = await t.db.select().from(auditEvents).where(eq(auditEvents.chain, `token:${created.id}`));
    expect(events.map((e) => e.type)).toEqual(['token.created']);
    expect(JSON.stringify(events)).not.toContain(created.token);
  });

  it('answers 403 when the token lacks the scope its user has', async () => {
    const admin = await makeUser(t.db, 'admin');
    const session = await login(t.app, admin.username);
    const { token } = json(await createToken(session, { name: 'read only', scopes: ['tickets:read'] }));
    const auth = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: auth })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/departments', headers: auth, payload: { name: '研发部', code: 'rd-tok' } });
    expect(res.statusCode).toBe(403);
    expect(json(res).error.code).toBe('FORBIDDEN');
  });

  it('answers 401 once revoked; only the owner or an admin can revoke', async () => {
    const agent = await makeUser(t.db, 'agent');
    const other = await makeUser(t.db, 'agent');
    const session = await login(t.app, agent.username);
    const created = json(await createToken(session, { name: 'script', scopes: ['tickets:read'] }));
    const auth = { authorization: `Bearer ${created.token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth })).statusCode).toBe(200);

    const stranger = await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${created.id}`, headers: await login(t.app, other.username) });
    expect(stranger.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth })).statusCode).toBe(200);

    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${created.id}`, headers: session });
    expect(revoked.statusCode).toBe(200);
    expect(json(revoked).revokedAt).not.toBeNull();
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth });
    expect(after.statusCode).toBe(401);
    expect(json(after).error.code).toBe('UNAUTHENTICATED');

    const events = await t.db.select().from(auditEvents).where(eq(auditEvents.chain, `token:${created.id}`));
    expect(events.map((e) => e.type)).toEqual(['token.created', 'token.revoked']);
    expect(events[1]!.before).toMatchObject({ revokedAt: null });
    expect(events[1]!.after!.revokedAt).toBeTruthy();
  });

  it('lists only the caller’s own tokens unless admin', async () => {
    const a = await makeUser(t.db, 'handler');
    const b = await makeUser(t.db, 'handler');
    const sa = await login(t.app, a.username);
    const sb = await login(t.app, b.username);
    await createToken(sa, { name: 'mine', scopes: ['tickets:read'] });
    const theirs = json(await createToken(sb, { name: 'theirs', scopes: ['tickets:read'] }));
    const listA = json(await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: sa })).items;
    expect(listA.every((x: { userId: string }) => x.userId === a.id)).toBe(true);
    const admin = await makeUser(t.db, 'admin');
    const all = json(await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: await login(t.app, admin.username) })).items;
    expect(all.map((x: { id: string }) => x.id)).toContain(theirs.id);
  });

  it('refuses tokens to customers and scopes beyond the role', async () => {
    const customer = await makeUser(t.db, 'customer');
    const res = await createToken(await login(t.app, customer.username), { name: 'x', scopes: ['tickets:read'] });
    expect(res.statusCode).toBe(403);

    const agent = await makeUser(t.db, 'agent');
    const beyond = await createToken(await login(t.app, agent.username), { name: 'x', scopes: ['admin'] });
    expect(beyond.statusCode).toBe(400);
    expect(json(beyond).error.fields[0].path).toBe('scopes');
    expect(await t.db.select().from(apiTokens).where(eq(apiTokens.userId, agent.id))).toEqual([]);
  });

  it('stops working once it expires', async () => {
    const agent = await makeUser(t.db, 'agent');
    const session = await login(t.app, agent.username);
    const created = json(await createToken(session, { name: 'x', scopes: ['tickets:read'] }));
    const auth = { authorization: `Bearer ${created.token}` };
    await t.db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, created.id));
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth })).statusCode).toBe(401);
  });

  it('cannot change its user’s password', async () => {
    const agent = await makeUser(t.db, 'agent');
    const created = json(await createToken(await login(t.app, agent.username), { name: 'x', scopes: ['tickets:read', 'tickets:write'] }));
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/me/password', headers: { authorization: `Bearer ${created.token}` },
      payload: { currentPassword: 'test-password-1', newPassword: 'taken-over-1' },
    });
    expect(res.statusCode).toBe(403);
  });
});
