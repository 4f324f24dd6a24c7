import { eq, sql } from 'drizzle-orm';
import { REFERENCE_TTL_MS } from '../src/cache/ttl-cache.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends.js';
import { createTestApp, json, login, makeDepartment, makeUser, ORIGIN, PASSWORD, type TestApp } from './harness.js';
import { loginAttempts, sessions } from '../src/db/schema.js';

const WRONG = { error: { code: 'UNAUTHENTICATED', message: 'wrong username or password' } };
let address = 0;
/** Each test signs in from its own address so the per-address limit of one does not touch another. */
const nextAddress = () => `10.0.${Math.floor(++address / 250)}.${address % 250}`;

describe.each(backends)('sign-in and sessions on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(backend); });
  afterAll(async () => { await t?.close(); });

  const attempt = (username: string, password: string, remoteAddress = nextAddress()) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { username, password } });
  const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });

  it('signs in with an HttpOnly SameSite session cookie that /me accepts', async () => {
    const dept = await makeDepartment(t.db);
    const user = await makeUser(t.db, 'agent', { departmentIds: [dept.id] });
    const res = await attempt(user.username.toUpperCase(), PASSWORD); // usernames ignore case
    expect(res.statusCode).toBe(200);
    const body = json(res);
    expect(body).toMatchObject({ id: user.id, username: user.username, role: 'agent' });
    expect(body.scopes).toEqual(['tickets:read', 'tickets:write', 'customers:read']);
    expect(body).not.toHaveProperty('passwordHash');
    const cookie = res.cookies.find((c) => c.name === 'cl_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy(); // the test app runs on http://
    const [stored] = await t.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(stored!.id).not.toBe(cookie.value); // only a hash of the secret is kept

    const who = await me(`cl_session=${cookie.value}`);
    expect(who.statusCode).toBe(200);
    expect(json(who)).toMatchObject({ id: user.id, departments: [{ id: dept.id, name: dept.name, isHead: false }] });
  });

  it('answers wrong password, unknown user and inactive user identically', async () => {
    const user = await makeUser(t.db, 'handler');
    const inactive = await makeUser(t.db, 'handler', { active: false });
    const wrong = await attempt(user.username, 'not-the-password');
    const unknown = await attempt('nobody-here', PASSWORD);
    const off = await attempt(inactive.username, PASSWORD);
    for (const res of [wrong, unknown, off]) {
      expect(res.statusCode).toBe(401);
      expect(json(res)).toEqual(WRONG);
      expect(res.cookies.find((c) => c.name === 'cl_session')).toBeUndefined();
    }
    const rows = await t.db.select().from(loginAttempts).where(eq(loginAttempts.username, inactive.username.toLowerCase()));
    expect(rows.map((r) => r.succeeded)).toEqual([false]);
  });

  it('refuses the 11th failed sign-in of an account within a minute, even with the right password', async () => {
    const user = await makeUser(t.db, 'agent');
    for (let i = 0; i < 10; i++) {
      // From different addresses: the account limit holds however the guesses are spread.
      expect((await attempt(user.username, `guess-${i}`)).statusCode).toBe(401);
    }
    const limited = await attempt(user.username, 'guess-11');
    expect(limited.statusCode).toBe(429);
    expect(json(limited).error.code).toBe('RATE_LIMITED');
    const retry = Number(limited.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    const right = await attempt(user.username.toUpperCase(), PASSWORD);
    expect(right.statusCode).toBe(429);
    expect(right.headers['retry-after']).toBeDefined();

    // A minute later the failures have left the window.
    await t.db.update(loginAttempts).set({ at: sql`${loginAttempts.at} - interval '61 seconds'` })
      .where(eq(loginAttempts.username, user.username.toLowerCase()));
    expect((await attempt(user.username, PASSWORD)).statusCode).toBe(200);
  });

  it('checks at most 10 passwords of an account when guesses arrive all at once', async () => {
    const user = await makeUser(t.db, 'agent');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(user.username, `burst-${i}`)));
    const codes = answers.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(10);
    expect(codes.filter((c) => c !== 401).every((c) => c === 429)).toBe(true);
    expect(codes).toContain(429);
  });

  it('limits failed sign-ins per address to 30 a minute across accounts', async () => {
    const from = nextAddress();
    for (let i = 0; i < 30; i++) {
      expect((await attempt(`someone-${i}`, 'guess', from)).statusCode).toBe(401);
    }
    const user = await makeUser(t.db, 'agent');
    const limited = await attempt(user.username, PASSWORD, from);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await attempt(user.username, PASSWORD)).statusCode).toBe(200); // another address is unaffected
  });

  it('signs out: the session ends and the cookie is cleared', async () => {
    const user = await makeUser(t.db, 'verifier');
    const { cookie } = await login(t.app, user.username);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, origin: ORIGIN } });
    expect(out.statusCode).toBe(200);
    const cleared = out.cookies.find((c) => c.name === 'cl_session')!;
    expect(cleared.value).toBe('');
    expect(cleared.expires!.getTime()).toBeLessThan(Date.now());
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('an inactive user cannot sign in, and deactivation ends their sessions', async () => {
    const admin = await makeUser(t.db, 'admin');
    const user = await makeUser(t.db, 'agent');
    const session = await login(t.app, user.username);
    const adminSession = await login(t.app, admin.username);
    const off = await t.app.inject({
      method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: adminSession, payload: { active: false },
    });
    expect(off.statusCode).toBe(200);
    expect((await me(session.cookie)).statusCode).toBe(401);
    const res = await attempt(user.username, PASSWORD);
    expect(res.statusCode).toBe(401);
    expect(json(res)).toEqual(WRONG);
  });

  it('an expired session answers 401', async () => {
    const user = await makeUser(t.db, 'manager');
    const { cookie } = await login(t.app, user.username);
    expect((await me(cookie)).statusCode).toBe(200);
    await t.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, user.id));
    // Sessions are cached for under a second (a change made behind the app's back shows after that).
    await new Promise((r) => setTimeout(r, REFERENCE_TTL_MS + 50));
    const res = await me(cookie);
    expect(res.statusCode).toBe(401);
    expect(json(res).error.code).toBe('UNAUTHENTICATED');
  });

  it('lets users change their name, language and password; other sessions end', async () => {
    const user = await makeUser(t.db, 'handler');
    const here = await login(t.app, user.username);
    const elsewhere = await login(t.app, user.username);
    const patched = await t.app.inject({
      method: 'PATCH', url: '/api/v1/me', headers: here, payload: { locale: 'en-US', displayName: '李四' },
    });
    expect(patched.statusCode).toBe(200);
    expect(json(patched)).toMatchObject({ locale: 'en-US', displayName: '李四' });

    const wrong = await t.app.inject({
      method: 'POST', url: '/api/v1/me/password', headers: here,
      payload: { currentPassword: 'nope-nope', newPassword: 'a-new-password' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(json(wrong).error.fields[0].path).toBe('currentPassword');

    const changed = await t.app.inject({
      method: 'POST', url: '/api/v1/me/password', headers: here,
      payload: { currentPassword: PASSWORD, newPassword: 'a-new-password' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await me(here.cookie)).statusCode).toBe(200);
    expect((await me(elsewhere.cookie)).statusCode).toBe(401);
    expect((await attempt(user.username, PASSWORD)).statusCode).toBe(401);
    expect((await attempt(user.username, 'a-new-password')).statusCode).toBe(200);
  });

  it('answers 400 naming the field for a malformed sign-in', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.fields.map((f: { path: string }) => f.path)).toContain('password');
  });
});

describe.each(backends)('session cookie behind https on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(backend, { CLOSELOOP_BASE_URL: 'https://closeloop.example.cn' }); });
  afterAll(async () => { await t?.close(); });

  it('marks the cookie Secure', async () => {
    const user = await makeUser(t.db, 'agent');
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/auth/login', payload: { username: user.username, password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((c) => c.name === 'cl_session')).toMatchObject({ secure: true, httpOnly: true });
  });
});
