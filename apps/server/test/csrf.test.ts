import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends.js';
import { createTestApp, json, login, makeUser, ORIGIN, type TestApp } from './harness.js';
import { users } from '../src/db/schema.js';

describe.each(backends)('CSRF protection on $name', (backend) => {
  let t: TestApp;
  let cookie: string;
  let userId: string;
  let bearer: string;
  beforeAll(async () => {
    t = await createTestApp(backend);
    const user = await makeUser(t.db, 'agent', { locale: 'zh-CN' });
    userId = user.id;
    ({ cookie } = await login(t.app, user.username));
    const created = await t.app.inject({
      method: 'POST', url: '/api/v1/tokens', headers: { cookie, origin: ORIGIN },
      payload: { name: 'csrf test', scopes: ['tickets:read'] },
    });
    bearer = `Bearer ${json(created).token}`;
  });
  afterAll(async () => { await t?.close(); });

  const setLocale = (headers: Record<string, string>, locale: string) =>
    t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers, payload: { locale } });
  const localeNow = async () => (await t.db.select().from(users).where(eq(users.id, userId)))[0]!.locale;

  it('refuses a cookie-authenticated write from another origin and changes nothing', async () => {
    const res = await setLocale({ cookie, origin: 'http://evil.example' }, 'en-US');
    expect(res.statusCode).toBe(403);
    expect(json(res).error.code).toBe('CSRF_REJECTED');
    expect(await localeNow()).toBe('zh-CN');
  });

  it('refuses a cookie-authenticated write with neither Origin nor Referer', async () => {
    const res = await setLocale({ cookie }, 'en-US');
    expect(res.statusCode).toBe(403);
    expect(json(res).error.code).toBe('CSRF_REJECTED');
    expect(await localeNow()).toBe('zh-CN');
  });

  it('refuses a Referer from another site', async () => {
    const res = await setLocale({ cookie, referer: 'http://evil.example/page' }, 'en-US');
    expect(res.statusCode).toBe(403);
  });

  it('accepts a cookie-authenticated write from the app’s own origin or page', async () => {
    expect((await setLocale({ cookie, origin: ORIGIN }, 'en-US')).statusCode).toBe(200);
    expect(await localeNow()).toBe('en-US');
    expect((await setLocale({ cookie, referer: `${ORIGIN}/settings` }, 'zh-CN')).statusCode).toBe(200);
    expect(await localeNow()).toBe('zh-CN');
  });

  it('lets a bearer-token write through without Origin', async () => {
    const res = await setLocale({ authorization: bearer }, 'en-US');
    expect(res.statusCode).toBe(200);
    expect(await localeNow()).toBe('en-US');
  });
});
