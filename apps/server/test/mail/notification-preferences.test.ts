import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS } from '@closeloop/contract';
import { eq } from 'drizzle-orm';
import { calendars, emailDeliveries } from '../../src/db/schema.js';
import { ensureCalendars } from '../../src/calendars/ensure-calendars.js';
import { newId } from '../../src/db/util.js';
import { SKIP_REASON_TEXT } from '../../src/mail/skip-reasons.js';
import { backends } from '../backends.js';
import { createTestApp, json, login, makeUser, type TestApp } from '../harness.js';

describe.each(backends)('notification settings and the delivery list on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(backend); });
  afterAll(async () => { await t?.close(); });

  it('lists every kind with both channels on, and keeps what the user switches off', async () => {
    const user = await makeUser(t.db, 'handler');
    const headers = await login(t.app, user.username);
    let res = await t.app.inject({ method: 'GET', url: '/api/v1/me/notification-preferences', headers });
    expect(res.statusCode).toBe(200);
    expect(json(res).items).toEqual(NOTIFICATION_KINDS.map((kind) => ({ kind, inApp: true, email: true })));

    res = await t.app.inject({
      method: 'PUT', url: '/api/v1/me/notification-preferences', headers,
      payload: { items: [{ kind: 'sla_warn', email: false }, { kind: 'ticket_escalated', inApp: false, email: false }] },
    });
    expect(res.statusCode).toBe(200);
    const items = json(res).items as Array<{ kind: string; inApp: boolean; email: boolean }>;
    expect(items.find((i) => i.kind === 'sla_warn')).toEqual({ kind: 'sla_warn', inApp: true, email: false });
    expect(items.find((i) => i.kind === 'ticket_escalated')).toEqual({ kind: 'ticket_escalated', inApp: false, email: false });

    // Switching back on updates the same row; another user's settings are untouched.
    await t.app.inject({ method: 'PUT', url: '/api/v1/me/notification-preferences', headers, payload: { items: [{ kind: 'sla_warn', email: true }] } });
    res = await t.app.inject({ method: 'GET', url: '/api/v1/me/notification-preferences', headers });
    expect(json(res).items.find((i: { kind: string }) => i.kind === 'sla_warn')).toEqual({ kind: 'sla_warn', inApp: true, email: true });
    const other = await makeUser(t.db, 'handler');
    res = await t.app.inject({ method: 'GET', url: '/api/v1/me/notification-preferences', headers: await login(t.app, other.username) });
    expect(json(res).items.every((i: { inApp: boolean; email: boolean }) => i.inApp && i.email)).toBe(true);
  });

  it.each([
    [{ items: [{ kind: 'lottery_won', email: false }] }, 'items.0.kind'],
    [{ items: [{ kind: 'sla_breach', email: 'no' }] }, 'items.0.email'],
    [{ items: [{ kind: 'sla_breach', sms: false }] }, 'items.0'],
    [{ items: [] }, 'items'],
    [{ items: [{ kind: 'sla_breach' }] }, 'items.0'],
    [{ items: [{ kind: 'sla_breach', email: false }, { kind: 'sla_breach', inApp: false }] }, 'items.1.kind'],
  ])('refuses %j naming %s, and changes nothing', async (payload, field) => {
    const user = await makeUser(t.db, 'handler');
    const headers = await login(t.app, user.username);
    const res = await t.app.inject({ method: 'PUT', url: '/api/v1/me/notification-preferences', headers, payload });
    expect(res.statusCode).toBe(400);
    const body = json(res);
    expect(JSON.stringify(body.error)).toContain(field);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me/notification-preferences', headers });
    expect(json(after).items.every((i: { inApp: boolean; email: boolean }) => i.inApp && i.email)).toBe(true);
  });

  it('needs a signed-in user', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/notification-preferences' });
    expect(res.statusCode).toBe(401);
  });

  it('shows the admin the deliveries, newest first, by status, a page at a time; nobody else', async () => {
    const ids = [];
    for (const status of ['sent', 'failed', 'sent', 'dead', 'sent'] as const) {
      const id = newId();
      ids.push(id);
      await t.db.insert(emailDeliveries).values({
        id, sourceKey: `list:${id}`, address: 'x@example.com', kind: 'ticket_assigned', template: 'ticket_assigned',
        data: {}, status, attempts: status === 'sent' ? 1 : 3, lastError: status === 'sent' ? null : '451 try later',
      });
      await new Promise((r) => setTimeout(r, 2)); // distinct UUID v7 milliseconds
    }
    const admin = await makeUser(t.db, 'admin');
    const headers = await login(t.app, admin.username);
    let res = await t.app.inject({ method: 'GET', url: '/api/v1/email-deliveries?status=sent&limit=2', headers });
    expect(res.statusCode).toBe(200);
    let page = json(res);
    expect(page.items.map((i: { id: string }) => i.id)).toEqual([ids[4], ids[2]]);
    expect(page.nextCursor).toBe(ids[2]);
    res = await t.app.inject({ method: 'GET', url: `/api/v1/email-deliveries?status=sent&limit=2&cursor=${page.nextCursor}`, headers });
    page = json(res);
    expect(page.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect(page.nextCursor).toBeNull();
    res = await t.app.inject({ method: 'GET', url: '/api/v1/email-deliveries?status=dead', headers });
    expect(json(res).items).toMatchObject([{ id: ids[3], status: 'dead', attempts: 3, lastError: '451 try later' }]);

    res = await t.app.inject({ method: 'GET', url: '/api/v1/email-deliveries?status=lost', headers });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('status');

    // A skipped one names its recipient and why, as a code the web translates.
    const person = await makeUser(t.db, 'handler', { displayName: '周工' });
    await t.db.insert(emailDeliveries).values({
      id: newId(), sourceKey: `list:${newId()}`, userId: person.id, kind: 'sla_breach', template: 'sla_breach', data: {},
      status: 'skipped', lastError: SKIP_REASON_TEXT.no_address,
    });
    res = await t.app.inject({ method: 'GET', url: '/api/v1/email-deliveries?status=skipped', headers });
    expect(json(res).items).toMatchObject([{ userId: person.id, recipientName: '周工', skipReason: 'no_address', lastError: 'the recipient has no e-mail address' }]);

    const manager = await makeUser(t.db, 'manager');
    res = await t.app.inject({ method: 'GET', url: '/api/v1/email-deliveries', headers: await login(t.app, manager.username) });
    expect(res.statusCode).toBe(403);
  });
});

describe.each(backends)('a person\'s calendar for quiet hours on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(backend); });
  afterAll(async () => { await t?.close(); });

  it('is set and cleared by an admin; an unknown calendar is refused naming the field', async () => {
    await ensureCalendars({ db: t.db });
    const [hotline] = await t.db.select().from(calendars).where(eq(calendars.code, 'hotline-24x7'));
    const admin = await makeUser(t.db, 'admin');
    const headers = await login(t.app, admin.username);
    const user = await makeUser(t.db, 'handler');
    let res = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers, payload: { calendarId: hotline!.id } });
    expect(res.statusCode).toBe(200);
    expect(json(res).calendarId).toBe(hotline!.id);
    res = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers, payload: { calendarId: newId() } });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.fields).toEqual([{ path: 'calendarId', message: 'no such calendar' }]);
    res = await t.app.inject({ method: 'GET', url: `/api/v1/users/${user.id}`, headers });
    expect(json(res).calendarId).toBe(hotline!.id);
    res = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers, payload: { calendarId: null } });
    expect(json(res).calendarId).toBeNull();
  });
});
