/**
 * Follow-up (回访) through the customer's link and by phone, silence auto-close, effectiveness
 * checks, repeat complaints: the API on PGlite and PostgreSQL.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEvents, effectivenessChecks, emailDeliveries, followUpLinks, followUpTimers, ticketLinks, tickets,
} from '../../src/db/schema.js';
import { followupEmailLink } from '../../src/followup/followup-email-link.js';
import { followupSecret, signFollowupToken } from '../../src/followup/link-token.js';
import { runFollowUpTimersOnce } from '../../src/followup/run-follow-up-timers.js';
import { suggestRepeats } from '../../src/followup/repeat-complaints.js';
import { newId } from '../../src/db/util.js';
import { runOutboxOnce } from '../../src/jobs/runner.js';
import { backends } from '../backends.js';
import { createTestApp, json, makeCategory, makeCustomer, makeDepartment, ORIGIN, type TestApp } from '../harness.js';
import { createTicketRequest, nextPhone, person, ticketBody, type Person } from '../ticket-fixtures.js';

describe.each(backends)('follow-up on $name', (backend) => {
  let t: TestApp;
  let dept: { id: string };
  let washer: { id: string };
  let quality: { id: string };
  let admin: Person;
  let agent: Person;
  let handler: Person;
  let mailSeq = 0;

  beforeAll(async () => {
    t = await createTestApp(backend);
    dept = await makeDepartment(t.db);
    washer = await makeCategory(t.db, { processTemplate: 'quick', defaultDepartmentId: dept.id, name: '洗衣机' });
    quality = await makeCategory(t.db, { processTemplate: 'quick', defaultDepartmentId: dept.id, name: '质量问题' });
    admin = await person(t, 'admin');
    agent = await person(t, 'agent');
    handler = await person(t, 'handler', [dept.id]);
    const res = await t.app.inject({
      method: 'PUT', url: `/api/v1/categories/${washer.id}/follow-up-settings`, headers: admin.headers,
      payload: { warrantyNotice: '3个月内如有问题免费上门', warrantyNoticeEn: 'Free home visits for 3 months', autoCloseDays: 5 },
    });
    if (res.statusCode !== 200) throw new Error(res.body);
    const q = await t.app.inject({
      method: 'PUT', url: `/api/v1/categories/${quality.id}/follow-up-settings`, headers: admin.headers,
      payload: { effectivenessDays: 30 },
    });
    if (q.statusCode !== 200) throw new Error(q.body);
  });
  afterAll(async () => { await t?.close(); });

  const drain = async () => { for (let i = 0; i < 10 && await runOutboxOnce({ db: t.db, instanceId: 'test' }); i++) { /* until empty */ } };
  const send = (id: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/transitions`, headers: handler.headers, payload });
  const pub = (token: string, payload?: object) => t.app.inject(payload
    ? { method: 'POST', url: `/api/v1/public/follow-up/${token}`, payload }
    : { method: 'GET', url: `/api/v1/public/follow-up/${token}` });
  const reread = async (id: string) => (await t.db.select().from(tickets).where(eq(tickets.id, id)))[0]!;

  /** A washing-machine ticket handled to follow_up, with the customer's e-mail; returns its link token. */
  async function inFollowUp(over: { category?: string; customer?: object; model?: string } = {}) {
    mailSeq += 1;
    const created = await createTicketRequest(t, agent.headers, ticketBody(over.category ?? washer.id, {
      title: '洗衣机脱水异响', description: '洗衣机使用一周后脱水时有明显异响',
      customer: over.customer as never ?? { name: '李雷', phone: nextPhone(), email: `li${mailSeq}@example.com` },
      product: { model: over.model ?? 'XQG100-B' },
    }));
    expect(created.statusCode, created.body).toBe(201);
    const id = json(created).id as string;
    const accepted = await send(id, { command: 'accept' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const resolved = await send(id, { command: 'resolve', resolution: '更换减震器并调平机身' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    await drain();
    const [link] = await t.db.select().from(followUpLinks).where(eq(followUpLinks.ticketId, id));
    expect(link).toBeDefined();
    const token = signFollowupToken(await followupSecret(t.db), { linkId: link!.id, ticketId: id, expiresAt: link!.expiresAt });
    return { id, token, link: link! };
  }

  it('e-mails the link with the warranty notice; the link works once', async () => {
    const { id, token, link } = await inFollowUp();
    const [mail] = await t.db.select().from(emailDeliveries).where(and(eq(emailDeliveries.ticketId, id), eq(emailDeliveries.kind, 'followup_request')));
    expect(mail?.address).toBe(link.sentTo);
    expect(mail?.data).toMatchObject({ warrantyNotice: '3个月内如有问题免费上门', linkId: link.id });
    expect(JSON.stringify(mail?.data)).not.toContain(token); // the token is stored nowhere
    expect(await followupEmailLink(t.db, mail!.data, ORIGIN)).toBe(`${ORIGIN}/f/${token}`);
    expect(link.tokenHash).not.toContain(token.slice(0, 10));

    const seen = await pub(token);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(json(seen)).toMatchObject({ title: '洗衣机脱水异响', whatWasDone: '更换减震器并调平机身', warrantyNotice: '3个月内如有问题免费上门' });

    const ok = await pub(token, { solved: true, rating: 5, comment: '师傅很专业' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok)).toMatchObject({ solved: true, status: 'closed' });
    const row = await reread(id);
    expect(row.status).toBe('closed');
    expect(row.feedback).toMatchObject({ rating: 5, comment: '师傅很专业' });

    const again = await pub(token, { solved: false, comment: '又坏了' });
    expect(again.statusCode).toBe(410);
    expect(json(again).error.code).toBe('GONE');
    expect((await pub(token)).statusCode).toBe(410);
    expect((await reread(id)).status).toBe('closed');
    expect((await reread(id)).reopenCount).toBe(0);
  });

  it('refuses an expired link and changes nothing', async () => {
    const { id, token, link } = await inFollowUp();
    await t.db.update(followUpLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(followUpLinks.id, link.id));
    // The stored expiry is what counts; the token's own (signed) expiry cannot be stretched either.
    const res = await pub(token, { solved: true, rating: 4 });
    expect(res.statusCode).toBe(410);
    expect(json(res).error.message).toMatch(/expired/);
    expect((await reread(id)).status).toBe('follow_up');
  });

  it('a token does not work for another ticket, nor a forged one', async () => {
    const a = await inFollowUp();
    const b = await inFollowUp();
    const [la, ta, exp, sig] = a.token.split('.');
    const bShort = Buffer.from(b.id.replace(/-/g, ''), 'hex').toString('base64url');
    const forged = [la, bShort, exp, sig].join('.');
    expect(ta).toBe(Buffer.from(a.id.replace(/-/g, ''), 'hex').toString('base64url'));
    const res = await pub(forged, { solved: false, comment: '没修好' });
    expect(res.statusCode).toBe(404);
    // Signed for B with A's link: the stored link is bound to A.
    const secret = await followupSecret(t.db);
    const crossed = signFollowupToken(secret, { linkId: a.link.id, ticketId: b.id, expiresAt: a.link.expiresAt });
    expect((await pub(crossed, { solved: false, comment: '没修好' })).statusCode).toBe(404);
    expect((await pub('not-a-token')).statusCode).toBe(404);
    expect((await reread(a.id)).status).toBe('follow_up');
    expect((await reread(b.id)).status).toBe('follow_up');
    expect((await reread(b.id)).reopenCount).toBe(0);
  });

  it('washing machine: the customer answers 脱水时晃动 → reopened at analysis with the words', async () => {
    const { id, token } = await inFollowUp();
    const res = await pub(token, { solved: false, comment: '脱水时晃动' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ solved: false, status: 'analyzing' });
    const row = await reread(id);
    expect(row.status).toBe('analyzing');
    expect(row.reopenCount).toBe(1);
    const timeline = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/events`, headers: handler.headers });
    const events = json(timeline).items as { type: string; data: Record<string, unknown> | null; actorKind: string }[];
    expect(events.find((e) => e.type === 'ticket.reopen')?.data).toMatchObject({ reason: '脱水时晃动' });
    expect(events.find((e) => e.type === 'followup.answered')).toMatchObject({
      actorKind: 'token', data: { channel: 'link', solved: false, customerWords: '脱水时晃动' },
    });
    expect(row.reworkCount).toBe(0);
    expect(events.map((e) => e.type)).toEqual([
      'ticket.created', 'ticket.assigned', 'ticket.accept', 'ticket.resolve', 'followup.link_sent', 'ticket.reopen', 'followup.answered',
    ]);
    // Stage durations (business minutes per status) follow the status changes, the reopen included.
    const stages = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/stage-durations`, headers: handler.headers }));
    const entered = Object.fromEntries((stages.items as { status: string; entered: number }[]).map((x) => [x.status, x.entered]));
    expect(entered).toEqual({ registered: 1, assigned: 1, analyzing: 2, follow_up: 1 });
    // The silence timer is over: nothing will auto-close the reopened ticket.
    const [timer] = await t.db.select().from(followUpTimers).where(eq(followUpTimers.ticketId, id));
    expect(timer?.status).toBe('cancelled');
  });

  it('auto-closes a ticket silent in follow-up for the category\'s days, with the reason', async () => {
    const { id, token, link } = await inFollowUp();
    const [timer] = await t.db.select().from(followUpTimers).where(eq(followUpTimers.ticketId, id));
    expect(timer?.status).toBe('pending');
    expect(timer!.dueAt.getTime() - link.createdAt.getTime()).toBe(5 * 86_400_000);
    expect(await runFollowUpTimersOnce({ db: t.db })).toBe(0); // not due yet
    expect((await reread(id)).status).toBe('follow_up');
    await t.db.update(followUpTimers).set({ dueAt: new Date(Date.now() - 1000) }).where(eq(followUpTimers.id, timer!.id));
    expect(await runFollowUpTimersOnce({ db: t.db })).toBe(1);
    const row = await reread(id);
    expect(row.status).toBe('closed');
    const types = (await t.db.select().from(auditEvents).where(eq(auditEvents.ticketId, id))).map((e) => [e.type, e.data]);
    expect(types).toContainEqual(['ticket.auto_close', { reason: 'no answer to the follow-up for 5 days' }]);
    expect(types).toContainEqual(['ticket.auto_closed', { reason: 'follow_up_silence', silentDays: 5 }]);
    expect(await runFollowUpTimersOnce({ db: t.db })).toBe(0);
    await drain();
    expect((await pub(token)).statusCode).toBe(410);
  });

  it('phone follow-up by an agent: not solved reopens, solved confirms', async () => {
    const { id } = await inFollowUp();
    const url = `/api/v1/tickets/${id}/follow-ups`;
    const bad = await t.app.inject({ method: 'POST', url, headers: agent.headers, payload: { channel: 'phone', solved: false } });
    expect(bad.statusCode).toBe(400);
    const byHandler = await t.app.inject({ method: 'POST', url, headers: handler.headers, payload: { channel: 'phone', solved: true, customerWords: '好了' } });
    expect(byHandler.statusCode).toBe(403);
    const res = await t.app.inject({ method: 'POST', url, headers: agent.headers, payload: { channel: 'phone', solved: false, customerWords: '脱水时还是晃' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: 'analyzing', reopenCount: 1 });
    const summary = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/follow-up`, headers: agent.headers }));
    expect(summary.followUps).toMatchObject([{ channel: 'phone', solved: false, customerWords: '脱水时还是晃', by: { id: agent.id } }]);
    expect(summary.link.status).toBe('superseded');

    const second = await inFollowUp();
    const solved = await t.app.inject({
      method: 'POST', url: `/api/v1/tickets/${second.id}/follow-ups`, headers: agent.headers,
      payload: { channel: 'phone', solved: true, rating: 4, customerWords: '已经不响了' },
    });
    expect(solved.statusCode, solved.body).toBe(200);
    expect(json(solved)).toMatchObject({ status: 'closed', reopenCount: 0 });
    expect((await reread(second.id)).feedback).toMatchObject({ rating: 4, comment: '已经不响了' });
    expect((await pub(second.token)).statusCode).toBe(410); // the link is no longer needed
  });

  it('effectiveness check: scheduled at closure, a task of the owner, ineffective reopens', async () => {
    const { id, token } = await inFollowUp({ category: quality.id });
    expect((await pub(token, { solved: true, rating: 4 })).statusCode).toBe(200);
    await drain();
    const [check] = await t.db.select().from(effectivenessChecks).where(eq(effectivenessChecks.ticketId, id));
    expect(check).toMatchObject({ status: 'pending', ownerId: handler.id });
    const closedAt = (await reread(id)).closedAt!;
    expect(check!.dueAt.getTime() - closedAt.getTime()).toBe(30 * 86_400_000);
    const mine = () => t.app.inject({ method: 'GET', url: '/api/v1/me/effectiveness-checks', headers: handler.headers });
    expect(json(await mine()).items.filter((c: { ticketId: string }) => c.ticketId === id)).toHaveLength(0); // not due yet
    const url = `/api/v1/tickets/${id}/effectiveness-checks/${check!.id}`;
    expect((await t.app.inject({ method: 'POST', url, headers: handler.headers, payload: { outcome: 'ineffective', note: '复查' } })).statusCode).toBe(409);

    await t.db.update(effectivenessChecks).set({ dueAt: new Date(Date.now() - 1000) }).where(eq(effectivenessChecks.id, check!.id));
    expect(json(await mine()).items.map((c: { id: string }) => c.id)).toContain(check!.id);
    const other = await person(t, 'handler', [dept.id]);
    expect((await t.app.inject({ method: 'POST', url, headers: other.headers, payload: { outcome: 'effective', note: '好' } })).statusCode).toBe(403);
    const res = await t.app.inject({ method: 'POST', url, headers: handler.headers, payload: { outcome: 'ineffective', note: '30天后复查仍有异响' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: 'done', outcome: 'ineffective', reopened: true });
    const row = await reread(id);
    expect(row.status).toBe('analyzing');
    expect(row.reopenCount).toBe(1);
    const again = await t.app.inject({ method: 'POST', url, headers: handler.headers, payload: { outcome: 'effective', note: 'x' } });
    expect(again.statusCode).toBe(409);
  });

  it('links a ticket of the same model and root-cause class once its analysis names the class', async () => {
    const insert = async (over: Partial<typeof tickets.$inferInsert>) => {
      const id = newId();
      const customer = await makeCustomer(t.db);
      await t.db.insert(tickets).values({
        id, number: `T-${id.slice(-12)}`, title: '滚筒电机异响', description: '电机异响', channel: 'phone', status: 'closed',
        priority: 'P2', priorityRank: 2, urgency: 'medium', processTemplate: 'full', categoryId: washer.id, customerId: customer.id,
        product: { model: 'MOTOR-9' }, occurredAt: new Date(), ...over,
      });
      return id;
    };
    // The class the analysis named, kept on the ticket by rectification/ (tickets.root_cause_class).
    const analysis = { rootCauseClass: 'supplier' as const };
    const day = 86_400_000;
    const earlier = await insert({ ...analysis, closedAt: new Date(Date.now() - 10 * day), createdAt: new Date(Date.now() - 20 * day) });
    const tooOld = await insert({ ...analysis, closedAt: new Date(Date.now() - 200 * day), createdAt: new Date(Date.now() - 210 * day) });
    const otherClass = await insert({ rootCauseClass: 'usage', closedAt: new Date(Date.now() - 5 * day), createdAt: new Date(Date.now() - 6 * day) });
    const later = await insert({ ...analysis, status: 'plan_review' });
    expect(await suggestRepeats({ db: t.db, ticketId: later, reason: 'same_customer_model' })).toEqual([]); // other customers
    expect(await suggestRepeats({ db: t.db, ticketId: later, reason: 'same_model_root_cause' })).toHaveLength(1);
    const links = await t.db.select().from(ticketLinks).where(eq(ticketLinks.ticketId, later));
    expect(links.map((l) => l.earlierTicketId)).toEqual([earlier]);
    expect(links.map((l) => l.earlierTicketId)).not.toContain(tooOld);
    expect(links.map((l) => l.earlierTicketId)).not.toContain(otherClass);
    // Idempotent: a repeated delivery links nothing new.
    expect(await suggestRepeats({ db: t.db, ticketId: later, reason: 'same_model_root_cause' })).toEqual([]);
  });

  it('links a new ticket of the same customer and model as a possible repeat; confirmed repeats count', async () => {
    const phone = nextPhone();
    const from = new Date(Date.now() - 60_000).toISOString();
    const first = await inFollowUp({ customer: { name: '韩梅梅', phone }, model: 'XQG80-R' });
    expect((await pub(first.token, { solved: true, rating: 5 })).statusCode).toBe(200);
    const second = await createTicketRequest(t, agent.headers, ticketBody(washer.id, {
      title: '洗衣机又有异响', customer: { name: '韩梅梅', phone }, product: { model: 'XQG80-R' },
    }));
    const secondId = json(second).id as string;
    const unrelated = await createTicketRequest(t, agent.headers, ticketBody(washer.id, {
      title: '洗衣机异响', customer: { name: '韩梅梅', phone }, product: { model: 'OTHER-1' },
    }));
    await drain();
    const links = await t.db.select().from(ticketLinks).where(eq(ticketLinks.ticketId, secondId));
    expect(links).toMatchObject([{ earlierTicketId: first.id, status: 'suggested', reason: 'same_customer_model' }]);
    expect(await t.db.select().from(ticketLinks).where(eq(ticketLinks.ticketId, json(unrelated).id))).toHaveLength(0);

    const listed = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${first.id}/links`, headers: agent.headers }));
    expect(listed.items).toMatchObject([{ direction: 'later', other: { id: secondId }, status: 'suggested' }]);
    const to = new Date(Date.now() + 60_000).toISOString();
    const ratesUrl = `/api/v1/insights/repeat-rate?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const before = json(await t.app.inject({ method: 'GET', url: ratesUrl, headers: agent.headers }));
    const decided = await t.app.inject({
      method: 'POST', url: `/api/v1/tickets/${secondId}/links/${links[0]!.id}`, headers: agent.headers, payload: { status: 'confirmed' },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(json(decided).items[0]).toMatchObject({ status: 'confirmed', decidedBy: { id: agent.id }, direction: 'earlier' });
    const types = (await t.db.select().from(auditEvents).where(eq(auditEvents.ticketId, secondId))).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['ticket.repeat_suggested', 'ticket.repeat_confirmed']));

    const rates = json(await t.app.inject({ method: 'GET', url: ratesUrl, headers: agent.headers }));
    expect(rates.created).toBe(before.created);
    expect(rates.created).toBeGreaterThanOrEqual(3);
    expect(rates.repeats).toBe(before.repeats + 1);
    expect(rates.repeatRate).toBeCloseTo(rates.repeats / rates.created);
    const handlerRates = await t.app.inject({ method: 'GET', url: ratesUrl, headers: handler.headers });
    expect(handlerRates.statusCode).toBe(403);
  });
});
