import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { TokenScope } from '@closeloop/contract';
import { openDatabase, type Database, type Db } from '../src/db/client.js';
import { apiTokens, outbox } from '../src/db/schema.js';
import { newId, toNumber } from '../src/db/util.js';
import { enqueue } from '../src/jobs/outbox.js';
import { runOutboxOnce, startRunner } from '../src/jobs/runner.js';
import type { OutboxHandlers } from '../src/jobs/handlers.js';
import { randomSecret, sha256, TOKEN_PREFIX } from '../src/auth/secrets.js';
import { backends, createPgDatabase, hasPostgres, POSTGRES_SKIP_REASON } from './backends.js';
import { createTestApp, json, makeUser, type TestApp } from './harness.js';

const quiet = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

async function rowOf(db: Db, id: string) {
  const [row] = await db.select().from(outbox).where(eq(outbox.id, id));
  return row!;
}

async function enqueueEcho(db: Db, payload: Record<string, unknown>, extra: { maxAttempts?: number; dedupeKey?: string } = {}) {
  await db.transaction((tx) => enqueue(tx, { kind: 'test.echo', payload, ...extra }));
  const [row] = await db.select().from(outbox).where(sql`${outbox.payload} = ${JSON.stringify(payload)}::jsonb`);
  return row!;
}

/** Makes a row due now, as if its backoff had passed. */
const makeDue = (db: Db, id: string) =>
  db.update(outbox).set({ runAt: sql`now() - interval '1 second'` }).where(eq(outbox.id, id));

async function tokenFor(db: Db, userId: string, scopes: TokenScope[]) {
  const token = `${TOKEN_PREFIX}${randomSecret()}`;
  await db.insert(apiTokens).values({
    id: newId(), name: 'test', prefix: token.slice(0, 10), tokenHash: sha256(token), userId, scopes,
  });
  return { authorization: `Bearer ${token}` };
}

describe.each(backends)('outbox runner on $name', (backend) => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await backend.open();
    db = database.db;
  });
  afterAll(async () => { await database?.close(); });
  beforeEach(async () => { await db.delete(outbox); });

  it('retries a failing handler with growing delays and leaves it dead after maxAttempts', async () => {
    const row = await enqueueEcho(db, { to: 'retry' }, { maxAttempts: 3 });
    let calls = 0;
    const handlers: OutboxHandlers = {
      'test.echo': async () => {
        calls++;
        throw new Error('smtp server unreachable');
      },
    };
    const run = () => runOutboxOnce({ db, handlers, instanceId: 'runner-a' });

    expect(await run()).toBe(1);
    let r = await rowOf(db, row.id);
    expect(r).toMatchObject({ status: 'pending', attempts: 1, lockedBy: null, lastError: 'Error: smtp server unreachable' });
    // First backoff: 1–2 s from now; until then the row is not picked up again.
    const [{ waitMs }] = (await db.select({ waitMs: sql<number>`extract(epoch from (${outbox.runAt} - now())) * 1000` })
      .from(outbox).where(eq(outbox.id, row.id))) as [{ waitMs: number }];
    expect(Number(waitMs)).toBeGreaterThan(500);
    expect(Number(waitMs)).toBeLessThanOrEqual(2_100);
    expect(await run()).toBe(0);
    expect(calls).toBe(1);

    await makeDue(db, row.id);
    expect(await run()).toBe(1);
    r = await rowOf(db, row.id);
    expect(r).toMatchObject({ status: 'pending', attempts: 2 });

    await makeDue(db, row.id);
    expect(await run()).toBe(1);
    r = await rowOf(db, row.id);
    expect(r).toMatchObject({ status: 'dead', attempts: 3, lastError: 'Error: smtp server unreachable' });
    expect(r.processedAt).toBeInstanceOf(Date);
    expect(calls).toBe(3);

    await makeDue(db, row.id);
    expect(await run()).toBe(0);
    expect(calls).toBe(3);
  });

  it('waits longer after each failure when the backoff says so', async () => {
    const row = await enqueueEcho(db, { to: 'backoff' }, { maxAttempts: 5 });
    const delays: number[] = [];
    const handlers: OutboxHandlers = { 'test.echo': async () => { throw new Error('down'); } };
    for (let i = 0; i < 3; i++) {
      await runOutboxOnce({ db, handlers, instanceId: 'runner-a', backoff: (n) => n * 60_000 });
      const [{ waitS }] = (await db.select({ waitS: sql<number>`extract(epoch from (${outbox.runAt} - now()))` })
        .from(outbox).where(eq(outbox.id, row.id))) as [{ waitS: number }];
      delays.push(Math.round(Number(waitS) / 60));
      await makeDue(db, row.id);
    }
    expect(delays).toEqual([1, 2, 3]);
  });

  it('picks up a processing row again once the lease of its crashed instance has expired', async () => {
    const row = await enqueueEcho(db, { to: 'lease' });
    await db.update(outbox)
      .set({ status: 'processing', lockedBy: 'crashed-instance', lockedUntil: sql`now() + interval '1 minute'` })
      .where(eq(outbox.id, row.id));
    const seen: string[] = [];
    const handlers: OutboxHandlers = { 'test.echo': async (_ctx, _payload, r) => { seen.push(r.id); } };

    // The lease still holds: the other instance may be working on it.
    expect(await runOutboxOnce({ db, handlers, instanceId: 'runner-b' })).toBe(0);

    await db.update(outbox).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(outbox.id, row.id));
    expect(await runOutboxOnce({ db, handlers, instanceId: 'runner-b' })).toBe(1);
    expect(seen).toEqual([row.id]);
    const r = await rowOf(db, row.id);
    expect(r).toMatchObject({ status: 'done', lockedBy: null, attempts: 1 });
    expect(r.lastError).toMatch(/lease of crashed-instance expired/);
  });

  it('a row that keeps crashing its instance ends dead instead of looping', async () => {
    const row = await enqueueEcho(db, { to: 'poison' }, { maxAttempts: 2 });
    await db.update(outbox)
      .set({ status: 'processing', attempts: 1, lockedBy: 'crashed-instance', lockedUntil: sql`now() - interval '1 second'` })
      .where(eq(outbox.id, row.id));
    let calls = 0;
    expect(await runOutboxOnce({ db, handlers: { 'test.echo': async () => { calls++; } }, instanceId: 'runner-b' })).toBe(1);
    expect(calls).toBe(0);
    expect(await rowOf(db, row.id)).toMatchObject({ status: 'dead', attempts: 2 });
  });

  it('marks a row of an unknown kind dead at once with a clear error', async () => {
    const id = newId();
    await db.insert(outbox).values({ id, kind: 'mail.send_fax', payload: {} });
    expect(await runOutboxOnce({ db, handlers: {}, instanceId: 'runner-a' })).toBe(1);
    const r = await rowOf(db, id);
    expect(r).toMatchObject({ status: 'dead', attempts: 1, lastError: 'no handler for outbox kind "mail.send_fax"' });
  });

  it('enqueues once for the same dedupe key', async () => {
    await enqueueEcho(db, { to: 'first' }, { dedupeKey: 'ticket:42:assigned' });
    await db.transaction((tx) => enqueue(tx, { kind: 'test.echo', payload: { to: 'second' }, dedupeKey: 'ticket:42:assigned' }));
    const rows = await db.select().from(outbox).where(eq(outbox.dedupeKey, 'ticket:42:assigned'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toEqual({ to: 'first' });
  });

  it('keeps handling the rest of a batch when one row fails, in bounded batches', async () => {
    for (let i = 0; i < 5; i++) await enqueueEcho(db, { i });
    const handlers: OutboxHandlers = {
      'test.echo': async (_ctx, payload) => { if (payload.i === 2) throw new Error('bad row'); },
    };
    expect(await runOutboxOnce({ db, handlers, instanceId: 'runner-a', batchSize: 3 })).toBe(3);
    expect(await runOutboxOnce({ db, handlers, instanceId: 'runner-a', batchSize: 3 })).toBe(2);
    const byStatus = await db.select({ status: outbox.status, n: sql<number>`count(*)` }).from(outbox).groupBy(outbox.status);
    expect(Object.fromEntries(byStatus.map((s) => [s.status, toNumber(s.n)]))).toEqual({ done: 4, pending: 1 });
  });

  it('the poll loop handles new work as soon as it is woken, and stop() waits for it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const handled: unknown[] = [];
    const runner = startRunner({
      db, log: quiet, instanceId: 'loop', pollMs: 60_000,
      handlers: { 'test.echo': async (_ctx, payload) => { await gate; handled.push(payload); } },
    });
    const row = await enqueueEcho(db, { to: 'loop' });
    runner.wake();
    await expect.poll(async () => (await rowOf(db, row.id)).status, { timeout: 5_000 }).toBe('processing');
    const stopped = runner.stop();
    let stopDone = false;
    void stopped.then(() => { stopDone = true; });
    await new Promise((r) => setTimeout(r, 50));
    expect(stopDone).toBe(false); // still waiting for the handler in flight
    release();
    await stopped;
    expect(handled).toEqual([{ to: 'loop' }]);
    expect((await rowOf(db, row.id)).status).toBe('done');
  });
});

describe('two runner instances on PostgreSQL', () => {
  let created: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: Database;
  let b: Database;
  beforeAll(async () => {
    if (!hasPostgres) return;
    created = await createPgDatabase();
    a = await openDatabase({ databaseUrl: created.url, poolSize: 6 });
    b = await openDatabase({ databaseUrl: created.url, poolSize: 6 });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await created?.drop();
  });

  it('share 1,000 rows with every row handled exactly once', async ({ skip }) => {
    skip(!hasPostgres, POSTGRES_SKIP_REASON);
    const total = 1_000;
    const values = Array.from({ length: total }, (_, i) => ({ id: newId(), kind: 'test.echo', payload: { i } }));
    for (let i = 0; i < total; i += 250) await a.db.insert(outbox).values(values.slice(i, i + 250));

    const timesHandled = new Map<string, number>();
    const perInstance: Record<string, number> = { one: 0, two: 0 };
    const handlersOf = (name: string): OutboxHandlers => ({
      'test.echo': async (_ctx, _payload, row) => {
        timesHandled.set(row.id, (timesHandled.get(row.id) ?? 0) + 1);
        perInstance[name]!++;
        // A little I/O-like latency so both instances interleave as real handlers would.
        await new Promise((r) => setTimeout(r, 1));
      },
    });
    const one = startRunner({ db: a.db, log: quiet, instanceId: 'one', batchSize: 25, pollMs: 50, handlers: handlersOf('one') });
    const two = startRunner({ db: b.db, log: quiet, instanceId: 'two', batchSize: 25, pollMs: 50, handlers: handlersOf('two') });
    try {
      await expect.poll(async () => {
        const [r] = await a.db.select({ n: sql<number>`count(*)` }).from(outbox).where(eq(outbox.status, 'done'));
        return toNumber(r?.n);
      }, { timeout: 60_000, interval: 200 }).toBe(total);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }

    expect(timesHandled.size).toBe(total);
    expect([...timesHandled.values()].every((n) => n === 1)).toBe(true);
    expect(perInstance.one! + perInstance.two!).toBe(total);
    expect(perInstance.one).toBeGreaterThan(0);
    expect(perInstance.two).toBeGreaterThan(0);
    const notDone = await a.db.select({ n: sql<number>`count(*)` }).from(outbox).where(sql`${outbox.status} <> 'done'`);
    expect(toNumber(notDone[0]?.n)).toBe(0);
  }, 90_000);
});

describe.each(backends)('admin outbox endpoints on $name', (backend) => {
  let t: TestApp;
  let admin: { authorization: string };
  let agent: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp(backend);
    admin = await tokenFor(t.db, (await makeUser(t.db, 'admin')).id, ['tickets:read', 'tickets:write', 'customers:read', 'admin']);
    agent = await tokenFor(t.db, (await makeUser(t.db, 'agent')).id, ['tickets:read', 'tickets:write', 'customers:read']);
  });
  afterAll(async () => { await t?.close(); });

  it('lists dead rows with their error and sends one back to pending', async () => {
    const row = await enqueueEcho(t.db, { to: 'admin' }, { maxAttempts: 1 });
    await runOutboxOnce({ db: t.db, instanceId: 'x', handlers: { 'test.echo': async () => { throw new Error('webhook 500'); } } });

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/outbox?status=dead', headers: admin });
    expect(list.statusCode).toBe(200);
    const body = json(list);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ id: row.id, status: 'dead', attempts: 1, lastError: 'Error: webhook 500' });
    expect(body.counts.dead).toBe(1);

    const retried = await t.app.inject({ method: 'POST', url: `/api/v1/outbox/${row.id}/retry`, headers: admin });
    expect(retried.statusCode).toBe(200);
    expect(json(retried)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await runOutboxOnce({ db: t.db, instanceId: 'x' })).toBe(1);
    expect((await rowOf(t.db, row.id)).status).toBe('done');

    const again = await t.app.inject({ method: 'POST', url: `/api/v1/outbox/${row.id}/retry`, headers: admin });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe('CONFLICT');
  });

  it('is for admins only', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: agent });
    expect(res.statusCode).toBe(403);
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/outbox' });
    expect(anon.statusCode).toBe(401);
    const retry = await t.app.inject({ method: 'POST', url: `/api/v1/outbox/${newId()}/retry`, headers: agent });
    expect(retry.statusCode).toBe(403);
  });

  it('answers 404 for an unknown row and 400 for a bad status filter', async () => {
    const missing = await t.app.inject({ method: 'POST', url: `/api/v1/outbox/${newId()}/retry`, headers: admin });
    expect(missing.statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/outbox?status=exploded', headers: admin });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.fields[0].path).toBe('query.status');
  });
});
