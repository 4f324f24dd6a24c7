/**
 * Webhooks end to end against a receiver on 127.0.0.1 (allow-listed): signed per Standard
 * Webhooks (verified with the `standardwebhooks` package), retried through the receiver being
 * down, slow and failing until every event arrives, in order per ticket, deduplicable by
 * webhook-id; dead letters and replay; SSRF refusals on save and on send; DingTalk and WeCom.
 */
import { createHmac } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webhookDeliveries } from '../../src/db/schema.js';
import { runOutboxOnce } from '../../src/jobs/runner.js';
import { runDeliveriesOnce, type RunDeliveriesOnceOptions } from '../../src/webhooks/run-deliveries-once.js';
import { createWebhookSubscription } from '../../src/webhooks/subscriptions.js';
import { backends } from '../backends.js';
import { createTestApp, json, login, makeCategory, makeDepartment, makeUser, type TestApp } from '../harness.js';
import { createTicketRequest, person, ticketBody, type Headers, type Person } from '../ticket-fixtures.js';
import { startReceiver, type Receiver } from './receiver.js';

// Generous: a loaded CI machine must not turn a healthy answer into a timeout.
const TIMEOUT_MS = 1_500;

describe.each(backends)('webhooks on $name', (backend) => {
  let t: TestApp;
  let admin: Headers & { id: string };
  let agent: Person;
  let handler: Person;
  let categoryId: string;
  let rx: Receiver;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const dept = await makeDepartment(t.db);
    const a = await makeUser(t.db, 'admin');
    admin = { ...(await login(t.app, a.username)), id: a.id };
    agent = await person(t, 'agent');
    handler = await person(t, 'handler', [dept.id]);
    categoryId = (await makeCategory(t.db, { defaultDepartmentId: dept.id, defaultOwnerId: handler.id })).id;
    rx = await startReceiver(TIMEOUT_MS * 4);
  }, 180_000);
  // Each test removes what it subscribed, also when it failed, so the next one hears only its own.
  afterEach(async () => {
    const list = json(await api('GET', '/webhooks')).items as Array<{ id: string }>;
    for (const s of list) await api('DELETE', `/webhooks/${s.id}`);
    rx.mode = 'ok';
  });
  afterAll(async () => {
    await rx?.close();
    await t?.close();
  });

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: admin, ...(payload ? { payload } : {}) });
  const allow = async (hosts: string[]) => expect((await api('PUT', '/webhook-settings', { allowHosts: hosts })).statusCode).toBe(200);
  const subscribe = async (over: Record<string, unknown> = {}) => {
    const res = await api('POST', '/webhooks', {
      name: '测试接收端', url: rx.url(), eventTypes: ['ticket.created', 'ticket.assigned', 'ticket.status_changed'], ...over,
    });
    expect(res.statusCode, res.body).toBe(201);
    return json(res) as { id: string; secret?: string };
  };
  const newTicket = async () => {
    const res = await createTicketRequest(t, agent.headers, ticketBody(categoryId));
    expect(res.statusCode).toBe(201);
    return json(res).id as string;
  };
  const accept = async (id: string) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/transitions`, headers: handler.headers, payload: { command: 'accept' } });
    expect(res.statusCode, res.body).toBe(200);
  };
  /** Runs the outbox until empty: events become delivery rows. */
  const enqueue = async () => {
    for (let i = 0; i < 20; i++) if (await runOutboxOnce({ db: t.db, instanceId: 'hooks-outbox', backoff: () => 0 }) === 0) return;
  };
  const opts = (over: Partial<RunDeliveriesOnceOptions> = {}): RunDeliveriesOnceOptions => ({
    db: t.db, instanceId: 'hooks-test', timeoutMs: TIMEOUT_MS, retryScheduleMs: [10, 10, 10, 10, 10, 10], ...over,
  });
  /** One pass with every waiting row due now (no sleeping out the schedule in tests). */
  const pass = async (over: Partial<RunDeliveriesOnceOptions> = {}) => {
    await t.db.update(webhookDeliveries).set({ nextAttemptAt: new Date(0) }).where(eq(webhookDeliveries.status, 'pending'));
    return runDeliveriesOnce(opts(over));
  };
  const rowsOf = (subscriptionId: string) =>
    t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, subscriptionId)).orderBy(webhookDeliveries.seq);
  const remove = async (id: string) => expect((await api('DELETE', `/webhooks/${id}`)).statusCode).toBe(200);

  describe('SSRF on save (no allow-list)', () => {
    it.each([
      'http://127.0.0.1:9/hook', 'http://2130706433/', 'http://0x7f.1/', 'http://017700000001/', 'http://0.0.0.0/',
      'http://10.0.0.8/', 'http://172.16.5.4/', 'http://192.168.0.1/', 'http://100.64.1.1/', 'http://169.254.169.254/',
      'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[fd00::1]/', 'http://[fe80::1]/', 'http://localhost:3000/',
      'ftp://example.com/', 'file:///etc/passwd',
    ])('refuses %s with 400 naming url', async (url) => {
      await allow([]);
      const res = await api('POST', '/webhooks', { name: 'x', url, eventTypes: ['ticket.created'] });
      expect(res.statusCode).toBe(400);
      const body = json(res);
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.fields[0].path).toBe('url');
    });

    it('refuses a private URL on edit too, and nothing is written', async () => {
      await allow(['127.0.0.1']);
      const sub = await subscribe();
      await allow([]);
      const res = await api('PATCH', `/webhooks/${sub.id}`, { url: 'http://192.168.1.1/hook' });
      expect(res.statusCode).toBe(400);
      expect(json(res).error.fields[0].path).toBe('url');
      const list = json(await api('GET', '/webhooks')).items as Array<{ id: string; url: string }>;
      expect(list.find((s) => s.id === sub.id)!.url).toBe(rx.url());
      await remove(sub.id);
    });
  });

  it('delivers every event through down, slow and 500, in order per ticket, signed, same webhook-id on retries', async () => {
    await allow(['127.0.0.1']);
    const sub = await subscribe();
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    // The secret is shown once: the list has only a hint.
    const listed = (json(await api('GET', '/webhooks')).items as Array<Record<string, unknown>>).find((s) => s.id === sub.id)!;
    expect(listed.secret).toBeUndefined();
    expect(listed.secretHint).toBe(`…${sub.secret!.slice(-4)}`);

    const a = await newTicket();
    const b = await newTicket();
    await accept(a);
    await enqueue();
    const rows = await rowsOf(sub.id);
    // created + assigned for both, status_changed for a.
    expect(rows.map((r) => [r.ticketId, r.eventType])).toEqual(expect.arrayContaining([
      [a, 'ticket.created'], [a, 'ticket.assigned'], [a, 'ticket.status_changed'], [b, 'ticket.created'], [b, 'ticket.assigned'],
    ]));
    expect(rows).toHaveLength(5);

    rx.received = [];
    await rx.down();
    const down = await pass();
    expect(down).toMatchObject({ claimed: 2, delivered: 0, failed: 2 });
    await rx.up();
    rx.mode = 'slow';
    expect(await pass()).toMatchObject({ claimed: 2, failed: 2 });
    rx.mode = 'fail';
    expect(await pass()).toMatchObject({ claimed: 2, failed: 2 });
    const failing = await rowsOf(sub.id);
    const heads = failing.filter((r) => r.attempts > 0);
    expect(heads.map((r) => r.eventType)).toEqual(['ticket.created', 'ticket.created']);
    expect(heads.every((r) => r.attempts === 3 && r.status === 'pending' && r.lastStatusCode === 500)).toBe(true);
    expect(heads[0]!.lastError).toBe('HTTP 500 Internal Server Error');
    // The later events of the same tickets waited.
    expect(failing.filter((r) => r.attempts === 0)).toHaveLength(3);

    // The log says what happened on each attempt, never the target's body.
    const log = await api('GET', `/webhook-deliveries?subscriptionId=${sub.id}`);
    expect(log.statusCode).toBe(200);
    expect(log.body).not.toContain('TARGET-SECRET-BODY');

    rx.mode = 'ok';
    for (let i = 0; i < 10; i++) if ((await pass()).claimed === 0) break;
    const done = await rowsOf(sub.id);
    expect(done.every((r) => r.status === 'delivered')).toBe(true);

    // Every event arrived; duplicates (the slow attempt did reach the receiver) share the id.
    const eventsById = new Map<string, Set<string>>();
    for (const r of rx.received) {
      const id = r.headers['webhook-id'] as string;
      eventsById.set(id, (eventsById.get(id) ?? new Set()).add(JSON.parse(r.body).id));
    }
    expect(new Set(eventsById.keys())).toEqual(new Set(done.map((r) => r.id)));
    expect([...eventsById.values()].every((events) => events.size === 1)).toBe(true);
    expect(rx.received.length).toBeGreaterThan(done.length);
    // In order per ticket: what the receiver saw of one ticket never goes back in sequence.
    const seqOf = new Map(done.map((r) => [r.id, r.seq]));
    for (const ticket of [a, b]) {
      const seen = rx.received.filter((r) => JSON.parse(r.body).data.ticketId === ticket).map((r) => seqOf.get(r.headers['webhook-id'] as string)!);
      expect(seen).toEqual([...seen].sort((x, y) => x - y));
      const ok = rx.received.filter((r) => r.answered === 200 && JSON.parse(r.body).data.ticketId === ticket);
      expect(ok.map((r) => JSON.parse(r.body).type)).toEqual(done.filter((r) => r.ticketId === ticket).map((r) => r.eventType));
    }
    // The Standard Webhooks reference check accepts every request.
    const wh = new Webhook(sub.secret!);
    for (const r of rx.received) {
      const verified = wh.verify(r.body, {
        'webhook-id': r.headers['webhook-id'] as string,
        'webhook-timestamp': r.headers['webhook-timestamp'] as string,
        'webhook-signature': r.headers['webhook-signature'] as string,
      }) as { type: string; data: { ticketId: string } };
      expect(verified.data.ticketId).toMatch(/[0-9a-f-]{36}/);
    }
    // …and refuses a tampered body or another secret.
    const first = rx.received[0]!;
    const hdrs = { 'webhook-id': first.headers['webhook-id'] as string, 'webhook-timestamp': first.headers['webhook-timestamp'] as string, 'webhook-signature': first.headers['webhook-signature'] as string };
    expect(() => wh.verify(first.body.replace('ticket', 'tickeT'), hdrs)).toThrow(/signature/i);
    expect(() => new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').verify(first.body, hdrs)).toThrow(/signature/i);
    const heads2 = done.filter((r) => r.eventType === 'ticket.created');
    expect(heads2.every((r) => r.attempts === 4 && r.lastStatusCode === 200 && r.lastLatencyMs !== null && r.deliveredAt)).toBe(true);
    await remove(sub.id);
  });

  it('goes dead after the last attempt, later events of the ticket go on, and a replay delivers', async () => {
    const sub = await subscribe({ eventTypes: ['ticket.created', 'ticket.status_changed'] });
    const id = await newTicket();
    await accept(id);
    await enqueue();
    rx.mode = 'fail';
    const schedule = [10, 10];
    for (let i = 0; i < 3; i++) await pass({ retryScheduleMs: schedule });
    let rows = await rowsOf(sub.id);
    expect(rows[0]).toMatchObject({ eventType: 'ticket.created', status: 'dead', attempts: 3, lastStatusCode: 500 });
    // Dead does not block the ticket's next event.
    expect(rows[1]).toMatchObject({ eventType: 'ticket.status_changed', status: 'pending', attempts: 0 });
    for (let i = 0; i < 3; i++) await pass({ retryScheduleMs: schedule });
    rows = await rowsOf(sub.id);
    expect(rows.map((r) => r.status)).toEqual(['dead', 'dead']);
    const dead = json(await api('GET', `/webhook-deliveries?subscriptionId=${sub.id}&status=dead`));
    expect(dead.items).toHaveLength(2);
    expect(dead.items[0].nextAttemptAt).toBeNull();

    rx.mode = 'ok';
    rx.received = [];
    // One by id…
    const one = await api('POST', `/webhooks/${sub.id}/deliveries/${rows[0]!.id}/replay`);
    expect(json(one)).toEqual({ replayed: 1 });
    await pass({ retryScheduleMs: schedule });
    expect((await rowsOf(sub.id)).map((r) => r.status)).toEqual(['delivered', 'dead']);
    // …then all the dead ones.
    expect(json(await api('POST', `/webhooks/${sub.id}/replay`))).toEqual({ replayed: 1 });
    await pass({ retryScheduleMs: schedule });
    expect((await rowsOf(sub.id)).map((r) => r.status)).toEqual(['delivered', 'delivered']);
    expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual(rows.map((r) => r.id));
    expect((await api('POST', `/webhooks/${sub.id}/deliveries/${rows[0]!.id}/replay`)).statusCode).toBe(404);
    await remove(sub.id);
  });

  it('two runner instances at once deliver each event once', async () => {
    await allow(['127.0.0.1']);
    const sub = await subscribe({ eventTypes: ['ticket.created'] });
    for (let i = 0; i < 6; i++) await newTicket();
    await enqueue();
    rx.mode = 'ok';
    rx.received = [];
    await Promise.all([pass({ instanceId: 'one' }), runDeliveriesOnce(opts({ instanceId: 'two' }))]);
    await pass();
    const ids = rx.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    await remove(sub.id);
  });

  it('refuses on send when the allow-list or DNS changed, and never follows a redirect', async () => {
    const sub = await subscribe({ eventTypes: ['ticket.created'] });
    await newTicket();
    await enqueue();
    rx.received = [];
    await allow([]);
    await pass();
    let [row] = await rowsOf(sub.id);
    expect(row!.lastError).toMatch(/url points to 127\.0\.0\.1 \(loopback\)/);
    expect(rx.received).toHaveLength(0);
    // From here the first subscription's target answers with a redirect.
    rx.mode = 'redirect';
    await allow(['127.0.0.1']);

    // A name that resolved to a public address on save, and to loopback at send time.
    let answer = ['93.184.216.34'];
    const resolve = async () => answer;
    const named = await createWebhookSubscription({
      db: t.db, actor: { kind: 'user', userId: admin.id } as never, resolve,
      input: { name: '换了解析', url: `http://hooks.example.test:${rx.port}/named`, eventTypes: ['ticket.created'] },
    });
    await newTicket();
    await enqueue();
    answer = ['127.0.0.1'];
    await pass({ resolve });
    [row] = await rowsOf(named.id);
    expect(row!.lastError).toBe('host hooks.example.test resolves to 127.0.0.1 (loopback)');
    // Every address is checked, not only the first.
    answer = ['93.184.216.34', '::ffff:10.0.0.1'];
    await pass({ resolve });
    [row] = await rowsOf(named.id);
    expect(row!.lastError).toMatch(/resolves to ::ffff:10\.0\.0\.1 \(private, as IPv6/);
    expect(rx.received.filter((r) => r.path === '/named')).toHaveLength(0);
    await remove(named.id);

    // Redirects are a failed attempt, never followed.
    const rows = await rowsOf(sub.id);
    expect(rows[0]).toMatchObject({ status: 'pending', lastStatusCode: 302 });
    expect(rows[0]!.lastError).toMatch(/redirects are not followed/);
    expect(rx.received.every((r) => r.path === '/hook')).toBe(true);
    rx.mode = 'ok';
    await remove(sub.id);
  });

  it('send test reports status and latency, never the response body', async () => {
    const sub = await subscribe();
    rx.mode = 'fail';
    const failed = await api('POST', `/webhooks/${sub.id}/test`);
    expect(failed.statusCode).toBe(200);
    expect(json(failed)).toMatchObject({ ok: false, statusCode: 500, error: 'HTTP 500 Internal Server Error' });
    expect(failed.body).not.toContain('TARGET-SECRET-BODY');
    rx.mode = 'ok';
    rx.received = [];
    const ok = json(await api('POST', `/webhooks/${sub.id}/test`));
    expect(ok).toMatchObject({ ok: true, statusCode: 200, error: null });
    expect(typeof ok.latencyMs).toBe('number');
    const ping = rx.received[0]!;
    expect(JSON.parse(ping.body).type).toBe('webhook.ping');
    expect(() => new Webhook(sub.secret!).verify(ping.body, ping.headers as Record<string, string>)).not.toThrow();
    await remove(sub.id);
  });

  it('DingTalk: markdown in Chinese with a signed URL; WeCom: markdown; errcode ≠ 0 is a failure', async () => {
    const secret = 'SECb3c1d2e4f5a6978877665544332211';
    const ding = await subscribe({ flavour: 'dingtalk', url: rx.url('/robot/send?access_token=tok'), secret, eventTypes: ['ticket.created'] });
    expect(ding.secret).toBe(secret);
    const wecom = await subscribe({ flavour: 'wecom', url: rx.url('/cgi-bin/webhook/send?key=k1'), eventTypes: ['ticket.created'] });
    rx.mode = { json: { errcode: 0, errmsg: 'ok' } };
    rx.received = [];
    await newTicket();
    await enqueue();
    await pass();
    const dr = rx.received.find((r) => r.path.startsWith('/robot/'))!;
    const q = new URL(dr.path, 'http://x').searchParams;
    expect(q.get('access_token')).toBe('tok');
    const ts = q.get('timestamp')!;
    expect(Math.abs(Number(ts) - Date.now())).toBeLessThan(60_000);
    expect(q.get('sign')).toBe(createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64'));
    const dBody = JSON.parse(dr.body);
    expect(dBody.msgtype).toBe('markdown');
    expect(dBody.markdown.title).toMatch(/^新建工单 /);
    expect(dBody.markdown.text).toContain('空调制冷效果差');
    const wr = rx.received.find((r) => r.path.startsWith('/cgi-bin/'))!;
    const wBody = JSON.parse(wr.body);
    expect(wBody.msgtype).toBe('markdown');
    expect(wBody.markdown.content).toContain('### 新建工单');
    expect((await rowsOf(ding.id))[0]!.status).toBe('delivered');

    rx.mode = { json: { errcode: 310000, errmsg: 'sign not match' } };
    await newTicket();
    await enqueue();
    await pass();
    const rows = await t.db.select().from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.subscriptionId, ding.id), inArray(webhookDeliveries.status, ['pending'])));
    expect(rows[0]!.lastError).toBe('robot answered errcode 310000');
    rx.mode = 'ok';
    await remove(ding.id);
    await remove(wecom.id);
  });
});
