import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { calendars, emailDeliveries, notificationPreferences, notifications, outbox, tickets, users } from '../../src/db/schema.js';
import { newId } from '../../src/db/util.js';
import { enqueue, enqueueMany } from '../../src/jobs/outbox.js';
import { SYSTEM_ACTOR, type Actor } from '../../src/auth/actor.js';
import { retryOutboxRow } from '../../src/jobs/retry-outbox-row.js';
import { domainEvent, eventOutboxRows } from '../../src/events/publish.js';
import { runOutboxOnce } from '../../src/jobs/runner.js';
import { createMailSettings, type MailSettings } from '../../src/mail/mailer.js';
import { enqueueEmail } from '../../src/mail/enqueue-email.js';
import { recordEmailDeliveries } from '../../src/mail/record-email-deliveries.js';
import { ensureCalendars } from '../../src/calendars/ensure-calendars.js';
import { freePort } from '../../../../bench/free-port.js';
import { backends } from '../backends.js';
import { createTestApp, makeCategory, makeCustomer, makeUser, ORIGIN, testPasswordHash, type TestApp } from '../harness.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

const FROM = 'closeloop 售后 <noreply@example.com>';

let ticketSeq = 0;
async function makeTicket(db: Db, title: string) {
  const category = await makeCategory(db);
  const customer = await makeCustomer(db);
  const number = `SH-20261202-${String(++ticketSeq).padStart(4, '0')}`;
  const [row] = await db.insert(tickets).values({
    id: newId(), number, title, description: '安装后第二天出现异响', channel: 'phone', status: 'assigned',
    priority: 'P2', priorityRank: 2, urgency: 'high', processTemplate: 'full', categoryId: category.id,
    customerId: customer.id, product: { model: 'KFR-35GW' }, occurredAt: new Date('2026-11-22T09:00:00+08:00'),
  }).returning();
  return row!;
}

function managerActor(userId: string): Actor {
  return { kind: 'user', userId, role: 'manager', departmentIds: [], customerId: null, scopes: [] };
}

/** What a reassign by `by` publishes: the notifications subscriber turns it into in-app + e-mail. */
async function publishAssigned(db: Db, ticket: { id: string; number: string; title: string }, to: string, by: string, at = new Date()) {
  const event = domainEvent('ticket.assigned', {
    ticketId: ticket.id, number: ticket.number, title: ticket.title, command: 'reassign', status: 'assigned',
    reason: 'reassign', from: { departmentId: null, ownerId: null }, to: { departmentId: null, ownerId: to },
  }, { actor: managerActor(by), at });
  await db.transaction((tx) => enqueueMany(tx, eventOutboxRows([event])));
  return event;
}

async function deliveriesOf(db: Db, userId: string) {
  return db.select().from(emailDeliveries).where(eq(emailDeliveries.userId, userId));
}

describe.each(backends)('e-mail notifications on $name', (backend) => {
  let t: TestApp;
  let smtp: SmtpSink;
  let mail: MailSettings;
  let manager: { id: string };
  let hotline: string;
  /** Staff on the 7×24 calendar, so that these tests do not depend on the hour they run at. */
  const staff = (over: Parameters<typeof makeUser>[2] = {}) => makeUser(t.db, 'handler', { calendarId: hotline, ...over });
  beforeAll(async () => {
    t = await createTestApp(backend);
    await ensureCalendars({ db: t.db });
    hotline = (await t.db.select().from(calendars).where(eq(calendars.code, 'hotline-24x7')))[0]!.id;
    smtp = await startSmtpSink();
    mail = createMailSettings({ smtpUrl: smtp.url, mailFrom: FROM, baseUrl: ORIGIN });
    manager = await makeUser(t.db, 'manager', { displayName: '王主管', email: 'wang@example.com', calendarId: hotline });
  });
  afterAll(async () => {
    mail?.mailer?.close();
    await smtp?.close();
    await t?.close();
  });
  afterEach(() => { smtp.received.length = 0; });

  /** Runs the outbox until nothing is due (the event row first, then the e-mail it recorded). */
  async function drain(o: { mail?: MailSettings | null; backoff?: (n: number) => number; instanceId?: string } = {}) {
    let passes = 0;
    while (await runOutboxOnce({
      db: t.db, instanceId: o.instanceId ?? 'test-runner', mail: o.mail === null ? undefined : o.mail ?? mail,
      backoff: o.backoff,
    }) > 0) {
      if (++passes > 20) throw new Error('outbox does not settle');
    }
  }

  it('sends the assignment e-mail over SMTP in Chinese, to the owner only, with the ticket link', async () => {
    const handler = await staff({ displayName: '李工', email: 'li@example.com' });
    const ticket = await makeTicket(t.db, '空调外机异响');
    await publishAssigned(t.db, ticket, handler.id, manager.id);
    await drain();

    expect(smtp.received).toHaveLength(1);
    const m = smtp.received[0]!;
    expect(m.rcptTo).toEqual(['li@example.com']);
    expect(m.from).toBe('noreply@example.com');
    expect(m.parsed.from?.value[0]).toMatchObject({ name: 'closeloop 售后', address: 'noreply@example.com' });
    expect(m.parsed.subject).toBe(`【待受理】工单 ${ticket.number} 已分派给您：空调外机异响`);
    expect(m.parsed.text).toContain('工单「空调外机异响」由 王主管 分派给您，请及时受理。');
    expect(m.parsed.text).toContain(`查看工单：${ORIGIN}/tickets/${ticket.id}`);
    expect(m.parsed.html).toContain(`href="${ORIGIN}/tickets/${ticket.id}"`);
    expect(m.parsed.headers.get('auto-submitted')).toBe('auto-generated');

    const [d] = await deliveriesOf(t.db, handler.id);
    expect(d).toMatchObject({
      status: 'sent', attempts: 1, address: 'li@example.com', locale: 'zh-CN', kind: 'ticket_assigned',
      subject: m.parsed.subject, lastError: null,
    });
    expect(d!.messageId).toBe(m.parsed.messageId);
    expect(d!.sentAt).toBeInstanceOf(Date);
    // The in-app notification is there too, under the same source key.
    const [n] = await t.db.select().from(notifications).where(eq(notifications.userId, handler.id));
    expect(n!.sourceKey).toBe(d!.sourceKey);
  });

  it('renders in the language the recipient has when it is sent, not when it was recorded', async () => {
    const handler = await staff({ displayName: 'Lee', email: 'lee@example.com', locale: 'zh-CN' });
    const ticket = await makeTicket(t.db, '洗衣机漏水');
    await publishAssigned(t.db, ticket, handler.id, manager.id);
    await runOutboxOnce({ db: t.db, instanceId: 'test-runner', mail }); // records, does not send yet
    expect(smtp.received).toHaveLength(0);
    await t.db.update(users).set({ locale: 'en-US' }).where(eq(users.id, handler.id));
    await drain();

    expect(smtp.received).toHaveLength(1);
    const m = smtp.received[0]!;
    expect(m.parsed.subject).toBe(`[To accept] Ticket ${ticket.number} was assigned to you: 洗衣机漏水`);
    expect(m.parsed.text).toContain('"洗衣机漏水" was assigned to you by 王主管. Please accept it soon.');
    const [d] = await deliveriesOf(t.db, handler.id);
    expect(d).toMatchObject({ status: 'sent', locale: 'en-US' });
  });

  it('keeps a header injection in a customer name or a title to one recipient and a one-line subject', async () => {
    const ticket = await makeTicket(t.db, '标题\r\nBcc: evil@x.com\r\nX-Injected: 1');
    for (const name of ['赵六%0d%0aBcc: evil@x.com', '赵六\r\nBcc: evil@x.com', '赵六\nBcc: evil@x.com\n']) {
      await t.db.transaction((tx) => enqueueEmail({
        tx, to: { address: 'zhao@example.com', name }, locale: 'zh-CN', kind: 'customer_ticket_update',
        data: { number: ticket.number, title: ticket.title, customerName: name, message: '工程师将于明天上午上门检修。' },
        sourceKey: `test:${newId()}`, ticketId: ticket.id,
      }));
    }
    await drain();

    expect(smtp.received).toHaveLength(3);
    for (const m of smtp.received) {
      expect(m.rcptTo).toEqual(['zhao@example.com']);
      expect(m.parsed.bcc).toBeUndefined();
      expect(m.parsed.headers.has('x-injected')).toBe(false);
      expect(m.parsed.to && !Array.isArray(m.parsed.to) ? m.parsed.to.value.map((v) => v.address) : null).toEqual(['zhao@example.com']);
      // One header line: folded continuation lines start with white space, no new header follows.
      const subjectHeader = /^Subject:.*(?:\r\n[ \t].*)*/m.exec(m.raw)![0];
      expect(m.raw.split(/\r\n\r\n/)[0]).not.toMatch(/^Bcc:/im);
      expect(m.parsed.subject).not.toMatch(/[\r\n]/);
      expect(subjectHeader).toBeTruthy();
      expect(m.parsed.subject).toBe(`您的售后工单 ${ticket.number} 有新进展`);
      expect(m.parsed.text).toContain('工程师将于明天上午上门检修。');
    }
    // The name is shown as written (escaped in HTML), never interpreted.
    expect(smtp.received[0]!.parsed.text).toContain('尊敬的 赵六%0d%0aBcc: evil@x.com，您好：');
    expect(smtp.received[0]!.parsed.to && !Array.isArray(smtp.received[0]!.parsed.to) ? smtp.received[0]!.parsed.to.value[0]!.name : '').toContain('赵六');
  });

  it('escapes a title with markup in the HTML part', async () => {
    const handler = await staff({ email: 'html@example.com' });
    const ticket = await makeTicket(t.db, '<img src=x onerror=alert(1)>空调');
    await publishAssigned(t.db, ticket, handler.id, manager.id);
    await drain();
    const m = smtp.received[0]!;
    expect(m.parsed.html).not.toContain('<img');
    expect(m.parsed.html).toContain('&lt;img src=x onerror=alert(1)&gt;空调');
  });

  it('retries a 451 refusal with backoff and keeps every attempt on the delivery row', async () => {
    const handler = await staff({ email: 'retry@example.com' });
    const ticket = await makeTicket(t.db, '冰箱不制冷');
    smtp.refuse(1, 451, 'Requested action aborted: local error, try again later');
    await publishAssigned(t.db, ticket, handler.id, manager.id);
    await drain({ backoff: () => 60_000 });

    let [d] = await deliveriesOf(t.db, handler.id);
    expect(d).toMatchObject({ status: 'failed', attempts: 1 });
    expect(d!.lastError).toMatch(/451/);
    const [row] = await t.db.select().from(outbox).where(eq(outbox.dedupeKey, `email:${d!.id}`));
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    // Backed off: not due for about a minute.
    expect(row!.runAt.getTime() - Date.now()).toBeGreaterThan(50_000);
    expect(smtp.received).toHaveLength(0);

    await t.db.update(outbox).set({ runAt: sql`now()` }).where(eq(outbox.id, row!.id));
    await drain();
    [d] = await deliveriesOf(t.db, handler.id);
    expect(d).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.rcptTo).toEqual(['retry@example.com']);
  });

  it('marks the delivery failed while the SMTP server is down, then dead after the last attempt', async () => {
    const down = createMailSettings({ smtpUrl: `smtp://127.0.0.1:${await freePort()}`, mailFrom: FROM, baseUrl: ORIGIN });
    const handler = await staff({ email: 'down@example.com' });
    const ticket = await makeTicket(t.db, '热水器打不着火');
    await publishAssigned(t.db, ticket, handler.id, manager.id);
    await runOutboxOnce({ db: t.db, instanceId: 'test-runner', mail: down });
    let [d] = await deliveriesOf(t.db, handler.id);
    await t.db.update(outbox).set({ maxAttempts: 3 }).where(eq(outbox.dedupeKey, `email:${d!.id}`));

    for (let attempt = 1; attempt <= 3; attempt++) {
      await runOutboxOnce({ db: t.db, instanceId: 'test-runner', mail: down, backoff: () => 0 });
      [d] = await deliveriesOf(t.db, handler.id);
      expect(d).toMatchObject({ attempts: attempt, status: attempt < 3 ? 'failed' : 'dead' });
      expect(d!.lastError).toMatch(/ECONNREFUSED|connect/i);
    }
    const [row] = await t.db.select().from(outbox).where(eq(outbox.dedupeKey, `email:${d!.id}`));
    expect(row).toMatchObject({ status: 'dead', attempts: 3 });
    down.mailer?.close();

    // The server is back; the admin sends the dead row back and the e-mail goes out.
    await retryOutboxRow({ db: t.db, actor: SYSTEM_ACTOR, id: row!.id });
    await drain();
    [d] = await deliveriesOf(t.db, handler.id);
    expect(d).toMatchObject({ status: 'sent', attempts: 4, lastError: null });
    expect(smtp.received.map((m) => m.rcptTo)).toEqual([['down@example.com']]);
  });

  it('gives up at once on a permanent refusal (550)', async () => {
    const handler = await staff({ email: 'gone@example.com' });
    const ticket = await makeTicket(t.db, '电视黑屏');
    smtp.refuse(1, 550, 'Mailbox unavailable');
    await publishAssigned(t.db, ticket, handler.id, manager.id);
    await drain({ backoff: () => 0 });
    const [d] = await deliveriesOf(t.db, handler.id);
    expect(d).toMatchObject({ status: 'dead', attempts: 1 });
    expect(d!.lastError).toMatch(/550/);
    expect(smtp.received).toHaveLength(0);
  });

  it('records an opted-out e-mail as opted_out and sends nothing; the in-app switch is separate', async () => {
    const handler = await staff({ email: 'quiet@example.com' });
    await t.db.insert(notificationPreferences).values({ userId: handler.id, kind: 'ticket_assigned', channel: 'email', enabled: false });
    await publishAssigned(t.db, await makeTicket(t.db, '烤箱温度不准'), handler.id, manager.id);
    await drain();
    expect(smtp.received).toHaveLength(0);
    const [d] = await deliveriesOf(t.db, handler.id);
    expect(d).toMatchObject({ status: 'opted_out', attempts: 1 });
    expect(await t.db.select().from(notifications).where(eq(notifications.userId, handler.id))).toHaveLength(1);

    // E-mail on, in-app off: the e-mail goes, the bell stays quiet.
    const other = await staff({ email: 'mailonly@example.com' });
    await t.db.insert(notificationPreferences).values({ userId: other.id, kind: 'ticket_assigned', channel: 'in_app', enabled: false });
    await publishAssigned(t.db, await makeTicket(t.db, '油烟机噪音'), other.id, manager.id);
    await drain();
    expect(smtp.received.map((m) => m.rcptTo)).toEqual([['mailonly@example.com']]);
    expect(await t.db.select().from(notifications).where(eq(notifications.userId, other.id))).toHaveLength(0);
  });

  it('sends once when the event row and the e-mail row run again (a crash before "done")', async () => {
    const handler = await staff({ email: 'once@example.com' });
    const event = await publishAssigned(t.db, await makeTicket(t.db, '净水器漏水'), handler.id, manager.id);
    await drain();
    expect(smtp.received).toHaveLength(1);
    const [d] = await deliveriesOf(t.db, handler.id);
    // Both rows ran, but the instance "crashed" before marking them done: they run again.
    await t.db.update(outbox).set({ status: 'pending', runAt: sql`now()`, processedAt: null })
      .where(inArray(outbox.dedupeKey, [`notifications:${event.id}`, `email:${d!.id}`]));
    await drain();
    expect(smtp.received).toHaveLength(1);
    expect(await deliveriesOf(t.db, handler.id)).toHaveLength(1);
  });

  it('sends again with the same Message-ID when a send ended without an outcome (at least once)', async () => {
    const handler = await staff({ email: 'crash@example.com' });
    await publishAssigned(t.db, await makeTicket(t.db, '门锁失灵'), handler.id, manager.id);
    await drain();
    const [d] = await deliveriesOf(t.db, handler.id);
    // As if the process died between the SMTP exchange and recording `sent`.
    await t.db.update(emailDeliveries).set({ status: 'sending', sentAt: null }).where(eq(emailDeliveries.id, d!.id));
    await t.db.update(outbox).set({ status: 'pending', runAt: sql`now()` }).where(eq(outbox.dedupeKey, `email:${d!.id}`));
    await drain();
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received[1]!.parsed.messageId).toBe(smtp.received[0]!.parsed.messageId);
    const [after] = await deliveriesOf(t.db, handler.id);
    expect(after).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('records deliveries as skipped with the reason when e-mail is off', async () => {
    const handler = await staff({ email: 'off@example.com' });
    await publishAssigned(t.db, await makeTicket(t.db, '微波炉不加热'), handler.id, manager.id);
    await drain({ mail: createMailSettings({ smtpUrl: undefined, mailFrom: undefined, baseUrl: ORIGIN }) });
    const [d] = await deliveriesOf(t.db, handler.id);
    expect(d).toMatchObject({ status: 'skipped', lastError: 'e-mail is off: CLOSELOOP_SMTP_URL is not set' });
    expect(smtp.received).toHaveLength(0);
  });

  it('records no e-mail for a user without an address, and skips one whose address was removed', async () => {
    const noMail = await makeUser(t.db, 'handler');
    await publishAssigned(t.db, await makeTicket(t.db, '吸尘器吸力弱'), noMail.id, manager.id);
    await drain();
    expect(await deliveriesOf(t.db, noMail.id)).toHaveLength(0);
    expect(await t.db.select().from(notifications).where(eq(notifications.userId, noMail.id))).toHaveLength(1);

    const removed = await staff({ email: 'left@example.com' });
    await publishAssigned(t.db, await makeTicket(t.db, '电饭煲跳闸'), removed.id, manager.id);
    await runOutboxOnce({ db: t.db, instanceId: 'test-runner', mail });
    await t.db.update(users).set({ email: null }).where(eq(users.id, removed.id));
    await drain();
    const [d] = await deliveriesOf(t.db, removed.id);
    expect(d).toMatchObject({ status: 'skipped', lastError: 'the recipient has no e-mail address' });
    expect(smtp.received).toHaveLength(0);
  });

  it('holds a night-time e-mail until the next working minute of the recipient\'s calendar; in-app is immediate', async () => {
    // Wednesday 2026-12-09, 03:00 China time; the default calendar works 09:00–12:00 and 13:30–18:00.
    const night = new Date('2026-12-09T03:00:00+08:00');
    const office = await makeUser(t.db, 'handler', { email: 'office@example.com' }); // default calendar
    const onCall = await staff({ email: 'oncall@example.com' }); // 7×24
    await publishAssigned(t.db, await makeTicket(t.db, '夜间报修'), office.id, manager.id, night);
    await publishAssigned(t.db, await makeTicket(t.db, '夜间报修'), onCall.id, manager.id, night);
    // Lunch break: the next working minute is 13:30.
    await publishAssigned(t.db, await makeTicket(t.db, '午间报修'), office.id, manager.id, new Date('2026-12-09T12:30:00+08:00'));
    await drain();

    const held = (await deliveriesOf(t.db, office.id)).sort((a, b) => a.notBefore.getTime() - b.notBefore.getTime());
    expect(held.map((d) => d.notBefore.toISOString())).toEqual(['2026-12-09T01:00:00.000Z', '2026-12-09T05:30:00.000Z']);
    expect(held.every((d) => d.status === 'queued' && d.attempts === 0)).toBe(true);
    const rows = await t.db.select().from(outbox).where(inArray(outbox.dedupeKey, held.map((d) => `email:${d.id}`)));
    expect(rows.map((r) => r.runAt.toISOString()).sort()).toEqual(['2026-12-09T01:00:00.000Z', '2026-12-09T05:30:00.000Z']);
    expect(rows.every((r) => r.status === 'pending')).toBe(true);
    const [onCallMail] = await deliveriesOf(t.db, onCall.id);
    expect(onCallMail!.notBefore.toISOString()).toBe(night.toISOString());
    // The bell rings at once for both.
    expect(await t.db.select().from(notifications).where(eq(notifications.userId, office.id))).toHaveLength(2);
    expect(smtp.received).toHaveLength(0);
  });

  it('does not e-mail a notification that was already a day old (demo data, imports), and says so', async () => {
    const handler = await staff({ email: 'old@example.com' });
    await publishAssigned(t.db, await makeTicket(t.db, '三十天前的工单'), handler.id, manager.id, new Date(Date.now() - 30 * 86_400_000));
    await drain();
    const [d] = await deliveriesOf(t.db, handler.id);
    expect(d).toMatchObject({ status: 'skipped', attempts: 0 });
    expect(d!.lastError).toMatch(/more than 24 hours old/);
    expect(await t.db.select().from(outbox).where(eq(outbox.dedupeKey, `email:${d!.id}`))).toHaveLength(0);
    expect(await t.db.select().from(notifications).where(eq(notifications.userId, handler.id))).toHaveLength(1);
    expect(smtp.received).toHaveLength(0);
  });

  it('records an e-mail of a kind without a template as dead with the reason, and still rings the bell', async () => {
    const handler = await staff({ email: 'kindless@example.com' });
    const n = await recordEmailDeliveries({
      db: t.db, items: [{ sourceKey: `test:${newId()}`, userId: handler.id, kind: 'ticket_teleported', data: {}, ticketId: null }],
    });
    expect(n).toBe(0);
    const [d] = await deliveriesOf(t.db, handler.id);
    expect(d).toMatchObject({ status: 'dead', lastError: 'no e-mail template for kind "ticket_teleported"' });
    expect(await t.db.select().from(outbox).where(eq(outbox.dedupeKey, `email:${d!.id}`))).toHaveLength(0);

    // notify.users with template data that does not fit: the text goes out instead.
    const other = await staff({ email: 'fallback@example.com' });
    await t.db.transaction((tx) => enqueue(tx, {
      kind: 'notify.users',
      payload: { userIds: [other.id], kind: 'sla_warn', title: '工单即将超时', body: '请尽快处理。', email: { template: 'sla_warn', data: { number: 'SH-1' } } },
    }));
    await drain();
    expect(smtp.received.map((m) => m.parsed.subject)).toEqual(['工单即将超时']);
  });

  it('refuses an address with a header in it when enqueueing to a customer, and writes nothing', async () => {
    const before = (await t.db.select().from(emailDeliveries)).length;
    await expect(t.db.transaction((tx) => enqueueEmail({
      tx, to: { address: 'zhao@example.com\r\nBcc: evil@x.com' }, locale: 'zh-CN', kind: 'customer_ticket_update',
      data: { number: 'SH-1', title: 't', customerName: '赵六', message: 'm' }, sourceKey: `test:${newId()}`,
    }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'to.address', message: 'is not an e-mail address' }] });
    expect((await t.db.select().from(emailDeliveries)).length).toBe(before);
  });

  it('e-mails a notify.users notice with its own text', async () => {
    const a = await staff({ email: 'a@example.com' });
    const b = await staff({ email: 'b@example.com' });
    const ticket = await makeTicket(t.db, '空气净化器异味');
    await t.db.transaction((tx) => enqueue(tx, {
      kind: 'notify.users',
      payload: { userIds: [a.id, b.id], kind: 'sla_warn', title: `工单 ${ticket.number} 即将超时`, body: '请在 30 分钟内响应。', ticketId: ticket.id },
    }));
    await drain();
    expect(smtp.received.map((m) => m.rcptTo[0]).sort()).toEqual(['a@example.com', 'b@example.com']);
    for (const m of smtp.received) {
      expect(m.parsed.subject).toBe(`工单 ${ticket.number} 即将超时`);
      expect(m.parsed.text).toContain('请在 30 分钟内响应。');
    }
    const rows = await t.db.select().from(emailDeliveries)
      .where(and(inArray(emailDeliveries.userId, [a.id, b.id]), eq(emailDeliveries.kind, 'sla_warn'), eq(emailDeliveries.template, 'notice')));
    expect(rows).toHaveLength(2);
  });

  // 1,000 on PostgreSQL, where instances really run side by side; fewer on the one-connection PGlite.
  const bulkCount = backend.name === 'postgres' ? 1000 : 150;
  it(`three runner instances send ${bulkCount} escalation e-mails due in the same second exactly once each`, { timeout: 180_000 }, async () => {
    const passwordHash = await testPasswordHash();
    const people = await t.db.insert(users).values(Array.from({ length: bulkCount }, (_, i) => ({
      id: newId(), username: `bulk_${i}_${newId().slice(-6)}`, displayName: `批量${i}`, passwordHash, role: 'handler' as const,
      email: `bulk${i}@example.com`, locale: i % 2 ? 'en-US' as const : 'zh-CN' as const, calendarId: hotline,
    }))).returning();
    const ticket = await makeTicket(t.db, '批量超时');
    const dueAt = '2026-12-02T02:00:00.000Z';
    // As the SLA timers enqueue a breach: a deterministic source key per (clock, cycle, kind),
    // and the e-mail as template data. The fact is enqueued twice (two outbox rows): still once.
    for (let copy = 0; copy < 2; copy++) {
      await t.db.transaction(async (tx) => {
        for (const p of people) {
          await enqueue(tx, {
            kind: 'notify.users',
            payload: {
              userIds: [p.id], kind: 'sla_breach', title: `工单 ${ticket.number} 已超时`, ticketId: ticket.id,
              sourceKey: `sla:clock-1:0:breach`,
              email: { template: 'sla_breach', data: { number: ticket.number, title: ticket.title, metric: 'resolution', dueAt, level: 1 } },
            },
          });
        }
      });
    }
    // Each instance polls until no row is due or held any more, as runners side by side do.
    const poll = async (instanceId: string) => {
      for (let i = 0; i < 2000; i++) {
        if (await runOutboxOnce({ db: t.db, instanceId, mail, batchSize: 20 }) > 0) continue;
        const [open] = await t.db.select({ n: sql<number>`count(*)::int` }).from(outbox)
          .where(sql`${outbox.status} = 'processing' or (${outbox.status} = 'pending' and ${outbox.runAt} <= now())`);
        if (!open!.n) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`${instanceId} did not finish`);
    };
    await Promise.all(['r1', 'r2', 'r3'].map(poll));
    const bulk = smtp.received.filter((m) => m.rcptTo[0]!.startsWith('bulk'));
    expect(bulk).toHaveLength(bulkCount);
    expect(new Set(bulk.map((m) => m.rcptTo[0])).size).toBe(bulkCount);
    expect(new Set(bulk.map((m) => m.parsed.messageId)).size).toBe(bulkCount);
    const sent = await t.db.select({ n: sql<number>`count(*)::int` }).from(emailDeliveries)
      .where(and(sql`${emailDeliveries.sourceKey} like 'sla:clock-1:0:breach:%'`, eq(emailDeliveries.status, 'sent')));
    expect(sent[0]!.n).toBe(bulkCount);
    const zh = bulk.find((m) => m.rcptTo[0] === 'bulk0@example.com')!;
    expect(zh.parsed.subject).toBe(`【SLA 超时】工单 ${ticket.number} 的解决已超时`);
    expect(zh.parsed.text).toContain('工单「批量超时」的解决时限已于 2026-12-02 10:00（北京时间）到期');
    const en = bulk.find((m) => m.rcptTo[0] === 'bulk1@example.com')!;
    expect(en.parsed.subject).toBe(`[SLA breached] Ticket ${ticket.number}: resolution is overdue`);
    expect(await t.db.select().from(notifications).where(eq(notifications.userId, people[0]!.id))).toHaveLength(1);
  });
});
