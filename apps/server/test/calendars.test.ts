import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES, type Calendar } from '@closeloop/contract';
import { sha256, randomSecret } from '../src/auth/secrets.js';
import { addBusinessMinutes } from '../src/calendars/business-time.js';
import { calendarById, defaultCalendar, defaultCalendarEntry } from '../src/calendars/calendar-cache.js';
import { ensureCalendars } from '../src/calendars/ensure-calendars.js';
import type { Db } from '../src/db/client.js';
import { apiTokens, auditEvents, calendars } from '../src/db/schema.js';
import { newId, toNumber } from '../src/db/util.js';
import { backends } from './backends.js';
import { createTestApp, json, makeUser, type TestApp } from './harness.js';

async function bearer(db: Db, userId: string) {
  const token = `clt_${randomSecret()}`;
  await db.insert(apiTokens).values({
    id: newId(), name: 'test', prefix: token.slice(0, 8), tokenHash: sha256(token), userId, scopes: [...TOKEN_SCOPES],
  });
  return { authorization: `Bearer ${token}` };
}

const OFFICE = [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '18:00' }];
const week = (p = OFFICE) => [p, p, p, p, p, [], []];

describe.each(backends)('calendars on $name', (backend) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let agent: Record<string, string>;
  let customer: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp(backend);
    await ensureCalendars({ db: t.db, now: new Date('2026-12-02T02:00:00Z') });
    admin = await bearer(t.db, (await makeUser(t.db, 'admin')).id);
    agent = await bearer(t.db, (await makeUser(t.db, 'agent')).id);
    customer = await bearer(t.db, (await makeUser(t.db, 'customer')).id);
  });
  afterAll(async () => { await t?.close(); });

  const get = (headers: Record<string, string>, url: string) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
  const post = (headers: Record<string, string>, url: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: payload as object });
  const patch = (headers: Record<string, string>, id: string, payload: unknown) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/calendars/${id}`, headers, payload: payload as object });
  const calendarCount = async () => toNumber((await t.db.select({ n: count() }).from(calendars))[0]!.n);
  const eventsOf = (id: string) => t.db.select().from(auditEvents).where(eq(auditEvents.chain, `calendar:${id}`)).orderBy(auditEvents.seq);
  const defaults = async () => (await t.db.select({ code: calendars.code }).from(calendars).where(eq(calendars.isDefault, true))).map((r) => r.code);

  it('starts with the standard calendar (default, 2026 holidays filled) and the 7×24 hotline calendar', async () => {
    const res = await get(agent, '/calendars');
    expect(res.statusCode).toBe(200);
    const body = json<{ items: Calendar[]; officialYears: { year: number; available: boolean }[] }>(res);
    expect(body.items.map((c) => [c.code, c.name, c.isDefault])).toEqual([
      ['standard', '标准工作日历', true],
      ['hotline-24x7', '7×24 热线日历', false],
    ]);
    const standard = body.items[0]!;
    expect(standard.definition.timezone).toBe('Asia/Shanghai');
    expect(standard.definition.week[0]).toEqual(OFFICE);
    expect(standard.definition.week[6]).toEqual([]);
    const days = new Map(standard.definition.days.map((d) => [d.date, d]));
    expect(days.get('2026-10-01')).toMatchObject({ kind: 'holiday', name: '国庆节', source: 'official' });
    expect(days.get('2026-10-10')).toMatchObject({ kind: 'workday', source: 'official' });
    expect([...days.keys()].some((d) => d.startsWith('2027-'))).toBe(false);
    expect(body.items[1]!.definition.alwaysOpen).toBe(true);
    // The list says which year has no official schedule yet.
    expect(body.officialYears.find((y) => y.year === 2027)?.available).toBe(false);
    expect((await eventsOf(standard.id)).map((e) => e.type)).toEqual(['calendar.created']);
    // Seeding again changes nothing.
    expect(await ensureCalendars({ db: t.db })).toEqual({ created: false });
    expect(await calendarCount()).toBe(2);
  });

  it('gives the SLA code the compiled default calendar', async () => {
    const cal = await defaultCalendar(t.db);
    expect(addBusinessMinutes(cal, new Date('2026-09-30T17:00:00+08:00'), 240).toISOString()).toBe(new Date('2026-10-08T12:00:00+08:00').toISOString());
    const entry = await defaultCalendarEntry(t.db);
    expect(entry.code).toBe('standard');
    expect(await calendarById(t.db, entry.id)).toBe(cal);
    expect(await calendarById(t.db, newId())).toBeNull();
  });

  it('lets staff read but only admins change calendars; customers see none', async () => {
    expect((await get(customer, '/calendars')).statusCode).toBe(403);
    const payload = { code: 'agent-try', name: '试试', definition: { week: week() } };
    expect((await post(agent, '/calendars', payload)).statusCode).toBe(403);
    const [std] = await t.db.select().from(calendars).where(eq(calendars.code, 'standard'));
    expect((await patch(agent, std!.id, { name: 'x' })).statusCode).toBe(403);
    expect((await post(agent, `/calendars/${std!.id}/official-holidays`, { year: 2026 })).statusCode).toBe(403);
    expect(await calendarCount()).toBe(2);
  });

  it('creates and changes a calendar, each change audited with before/after and a new version', async () => {
    const created = await post(admin, '/calendars', {
      code: 'factory', name: '工厂日历', nameEn: 'Factory',
      definition: { timezone: 'Asia/Shanghai', week: week([{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }]) },
    });
    expect(created.statusCode).toBe(201);
    const cal = json<Calendar>(created);
    expect(cal).toMatchObject({ code: 'factory', isDefault: false, version: 1 });
    expect(cal.definition.days).toEqual([]);

    const days = [{ date: '2026-12-31', kind: 'holiday', name: '年终盘点' }];
    const changed = await patch(admin, cal.id, { definition: { ...cal.definition, days }, version: 1 });
    expect(changed.statusCode).toBe(200);
    expect(json<Calendar>(changed).version).toBe(2);
    expect(json<Calendar>(changed).definition.days).toEqual([{ date: '2026-12-31', kind: 'holiday', name: '年终盘点', source: 'manual' }]);

    // A stale editor is told, and nothing is written.
    const stale = await patch(admin, cal.id, { name: '旧版本', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.fields[0].path).toBe('version');

    // Saving the same thing is no change.
    const same = await patch(admin, cal.id, { name: '工厂日历' });
    expect(json<Calendar>(same).version).toBe(2);

    const events = await eventsOf(cal.id);
    expect(events.map((e) => e.type)).toEqual(['calendar.created', 'calendar.updated']);
    expect(events[1]!.before).toMatchObject({ version: 1, definition: { days: [] } });
    expect(events[1]!.after).toMatchObject({ version: 2, definition: { days: [{ date: '2026-12-31' }] } });
    expect((await get(agent, `/calendars/${cal.id}`)).statusCode).toBe(200);
    expect((await get(agent, `/calendars/${newId()}`)).statusCode).toBe(404);
    // The compiled calendar follows the change at once.
    const compiled = await calendarById(t.db, cal.id);
    expect(addBusinessMinutes(compiled!, new Date('2026-12-30T16:00:00+08:00'), 120).toISOString())
      .toBe(new Date('2027-01-01T09:00:00+08:00').toISOString());
  });

  it('moves the default: exactly one calendar is the default', async () => {
    const [hotline] = await t.db.select().from(calendars).where(eq(calendars.code, 'hotline-24x7'));
    const res = await patch(admin, hotline!.id, { isDefault: true });
    expect(res.statusCode).toBe(200);
    expect(await defaults()).toEqual(['hotline-24x7']);
    expect((await defaultCalendarEntry(t.db)).code).toBe('hotline-24x7');
    const [std] = await t.db.select().from(calendars).where(eq(calendars.code, 'standard'));
    expect((await eventsOf(std!.id)).at(-1)).toMatchObject({ type: 'calendar.updated', after: { isDefault: false } });
    // Unsetting is not a thing: the default is moved.
    expect((await patch(admin, hotline!.id, { isDefault: false })).statusCode).toBe(400);
    expect((await patch(admin, std!.id, { isDefault: true })).statusCode).toBe(200);
    expect(await defaults()).toEqual(['standard']);
  });

  it('fills the official schedule idempotently, keeping hand edits it does not contradict', async () => {
    const created = json<Calendar>(await post(admin, '/calendars', {
      code: 'fill-test', name: '填充测试',
      definition: {
        week: week(),
        days: [
          { date: '2026-03-06', kind: 'holiday', name: '公司年会' },
          { date: '2026-10-03', kind: 'workday', name: '值班' },
        ],
      },
    }));
    const fill = (year: number) => post(admin, `/calendars/${created.id}/official-holidays`, { year });
    const first = await fill(2026);
    expect(first.statusCode).toBe(200);
    const body = json(first);
    expect(body).toMatchObject({ year: 2026, available: true, changed: true, holidays: 33, workdays: 6, replaced: ['2026-10-03'] });
    const days = new Map((body.calendar as Calendar).definition.days.map((d) => [d.date, d]));
    expect(days.get('2026-03-06')?.name).toBe('公司年会');
    expect(days.get('2026-10-03')).toMatchObject({ kind: 'holiday', source: 'official' });
    expect(body.calendar.version).toBe(2);

    const again = json(await fill(2026));
    expect(again.calendar.version).toBe(2);
    expect(again).toMatchObject({ available: true, changed: false, replaced: [] });

    const next = json(await fill(2027));
    expect(next).toMatchObject({ year: 2027, available: false, changed: false, holidays: 0, workdays: 0 });
    expect(next.calendar.version).toBe(2);
    const events = await eventsOf(created.id);
    expect(events.map((e) => e.type)).toEqual(['calendar.created', 'calendar.official_holidays_filled']);
    expect(events[1]!.data).toEqual({ year: 2026, replaced: ['2026-10-03'] });
    expect((await post(admin, `/calendars/${newId()}/official-holidays`, { year: 2026 })).statusCode).toBe(404);
  });

  describe('bad input is refused naming the field, and nothing is written', () => {
    const base = { code: 'bad', name: '坏的' };
    const cases: [string, unknown, string][] = [
      ['overlapping periods', { week: week([{ start: '09:00', end: '12:00' }, { start: '11:30', end: '13:00' }]) }, 'definition.week.0.1.start'],
      ['an end before the start', { week: week([{ start: '18:00', end: '09:00' }]) }, 'definition.week.0.0.end'],
      ['a malformed time', { week: week([{ start: '9:00', end: '12:00' }]) }, 'definition.week.0.0.start'],
      ['a bad time zone', { timezone: 'Asia/Beijing', week: week() }, 'definition.timezone'],
      ['six days', { week: week().slice(0, 6) }, 'definition.week'],
      ['a date that does not exist', { week: week(), days: [{ date: '2026-02-30', kind: 'holiday', name: '' }] }, 'definition.days.0.date'],
      ['a date in another format', { week: week(), days: [{ date: '2026/10/01', kind: 'holiday', name: '' }] }, 'definition.days.0.date'],
      ['a date listed twice', {
        week: week(),
        days: [{ date: '2026-10-01', kind: 'holiday', name: '' }, { date: '2026-10-01', kind: 'workday', name: '' }],
      }, 'definition.days.1.date'],
      ['periods on a holiday', { week: week(), days: [{ date: '2026-10-01', kind: 'holiday', name: '', periods: OFFICE }] }, 'definition.days.0.periods'],
      ['an unknown kind', { week: week(), days: [{ date: '2026-10-01', kind: 'vacation', name: '' }] }, 'definition.days.0.kind'],
    ];
    it.each(cases)('%s', async (_what, definition, path) => {
      const before = await calendarCount();
      const res = await post(admin, '/calendars', { ...base, definition });
      expect(res.statusCode).toBe(400);
      expect(json(res).error.fields.map((f: { path: string }) => f.path)).toContain(path);
      expect(await calendarCount()).toBe(before);
    });

    it('on update too, leaving the calendar as it was', async () => {
      const [std] = await t.db.select().from(calendars).where(eq(calendars.code, 'standard'));
      const res = await patch(admin, std!.id, { definition: { week: week([{ start: '09:00', end: '25:00' }]) } });
      expect(res.statusCode).toBe(400);
      expect(json(res).error.fields[0].path).toBe('definition.week.0.0.end');
      const [after] = await t.db.select().from(calendars).where(eq(calendars.id, std!.id));
      expect(after!.version).toBe(std!.version);
      expect((await post(admin, `/calendars/${std!.id}/official-holidays`, { year: 1999 })).statusCode).toBe(400);
    });

    it('refuses a code that is taken', async () => {
      const res = await post(admin, '/calendars', { code: 'standard', name: '重复', definition: { week: week() } });
      expect(res.statusCode).toBe(409);
      expect(json(res).error.fields[0].path).toBe('code');
    });
  });
});

describe.each(backends)('the default calendar on a database nobody bootstrapped ($name)', (backend) => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(backend); });
  afterAll(async () => { await t?.close(); });

  it('is created on first use, once, even when asked concurrently', async () => {
    const [a, b] = await Promise.all([defaultCalendarEntry(t.db), defaultCalendarEntry(t.db)]);
    expect(a.code).toBe('standard');
    expect(b.id).toBe(a.id);
    expect(toNumber((await t.db.select({ n: count() }).from(calendars))[0]!.n)).toBe(2);
  });
});
