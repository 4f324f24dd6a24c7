/**
 * When PostgreSQL cannot answer, requests fail fast with 503 DATABASE_UNAVAILABLE + Retry-After
 * (not 500, not a hang), /healthz says so, a statement over the statement timeout is stopped
 * and answered 503, and the pool neither crashes the process nor loses connections for good when
 * connections die under it. (The restart and stop of a real cluster under load are in
 * `npm run test:faults`.)
 */
import { freePort } from '../../../../bench/free-port.js';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES } from '@closeloop/contract';
import { buildApp } from '../../src/app.js';
import { randomSecret, sha256 } from '../../src/auth/secrets.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { databaseFailure } from '../../src/db/database-failure.js';
import { apiTokens } from '../../src/db/schema.js';
import { newId } from '../../src/db/util.js';
import { createPgDatabase, hasPostgres, POSTGRES_SKIP_REASON } from '../backends.js';
import { createTestApp, makeUser, type TestApp } from '../harness.js';


describe('with nothing listening at DATABASE_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/closeloop`;
    t = await createTestApp({ name: 'postgres', open: () => openDatabase({ databaseUrl: url, migrate: false }) });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers an API request 503 DATABASE_UNAVAILABLE with Retry-After, within 2 s', async () => {
    const started = performance.now();
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/tickets', headers: { authorization: 'Bearer clt_whatever' }, payload: { title: 'x' },
    });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'DATABASE_UNAVAILABLE' } });
  });

  it('answers /healthz 503 {ok:false, database:"unreachable"}', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ ok: false, database: 'unreachable' });
    expect(res.headers['retry-after']).toBeDefined();
  });
});

describe.skipIf(!hasPostgres)(`PostgreSQL pool under failures${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`, () => {
  let created: Awaited<ReturnType<typeof createPgDatabase>>;
  let admin: pg.Client;
  beforeAll(async () => {
    created = await createPgDatabase();
    admin = new pg.Client({ connectionString: created.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await created?.drop();
  });

  async function withDatabase(opts: Parameters<typeof openDatabase>[0], use: (d: Database) => Promise<void>) {
    const database = await openDatabase({ databaseUrl: created.url, ...opts });
    try {
      await use(database);
    } finally {
      await database.close();
    }
  }

  it('stops a statement over the statement timeout, and the route answers 503 naming it', async () => {
    await withDatabase({ statementTimeoutMs: 200 }, async (database) => {
      const config = loadConfig({ CLOSELOOP_DATA_DIR: '/tmp/closeloop-test-unused', CLOSELOOP_LOG_LEVEL: 'silent' });
      const app = await buildApp({
        config, database, logger: false,
        extraRoutes: [async (api, ctx) => {
          api.get('/test/slow', async () => {
            await ctx.db.execute(sql`select pg_sleep(3)`);
            return { ok: true };
          });
        }],
      });
      try {
        const user = await makeUser(database.db, 'admin');
        const token = `clt_${randomSecret()}`;
        await database.db.insert(apiTokens).values({
          id: newId(), name: 't', prefix: token.slice(0, 8), tokenHash: sha256(token), userId: user.id, scopes: [...TOKEN_SCOPES],
        });
        const started = performance.now();
        const res = await app.inject({ method: 'GET', url: '/api/v1/test/slow', headers: { authorization: `Bearer ${token}` } });
        expect(performance.now() - started).toBeLessThan(2_000);
        expect(res.statusCode).toBe(503);
        expect(JSON.parse(res.body).error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', message: expect.stringMatching(/statement timeout/) });
      } finally {
        await app.close();
      }
    });
  });

  it('does not apply the statement timeout to migrations (waiting for another instance\'s lock)', async () => {
    await admin.query('SELECT pg_advisory_lock(7261001)');
    const releaseLater = new Promise((r) => setTimeout(r, 700)).then(() => admin.query('SELECT pg_advisory_unlock(7261001)'));
    const started = performance.now();
    await withDatabase({ statementTimeoutMs: 100 }, async (database) => {
      expect(performance.now() - started).toBeGreaterThan(600);
      // …while the app's own statements do have it.
      const err = await database.db.execute(sql`select pg_sleep(1)`).then(() => null, (e: unknown) => e);
      expect(databaseFailure(err)).toBe('timeout');
    });
    await releaseLater;
  });

  it('survives a connection killed while checked out, and keeps its full pool', async () => {
    await withDatabase({ poolSize: 1, migrate: false }, async (database) => {
      for (let i = 0; i < 3; i++) {
        // Without an error listener on checked-out clients this is an unhandled 'error' event.
        const err = await database.db.transaction(async (tx) => {
          await tx.execute(sql`select pg_terminate_backend(pg_backend_pid())`);
        }).then(() => null, (e: unknown) => e);
        expect(databaseFailure(err)).toBe('unavailable');
      }
      await expect(database.db.execute(sql`select 1`)).resolves.toBeDefined();
    });
  });

  it('does not lose a pooled connection killed while idle and checked out before the pool noticed', async () => {
    await withDatabase({ poolSize: 1, migrate: false }, async (database) => {
      for (let i = 0; i < 5; i++) {
        const result = await database.db.execute(sql`select pg_backend_pid() as pid`);
        const { rows } = result as unknown as { rows: { pid: number }[] };
        // Kill the one idle connection and start a transaction at once: BEGIN goes to a dying
        // connection. A client lost there would leave a pool of one with no connection at all.
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        const err = await database.db.transaction(async (tx) => { await tx.execute(sql`select 1`); })
          .then(() => null, (e: unknown) => e);
        expect(err === null || databaseFailure(err) === 'unavailable').toBe(true);
      }
      const started = performance.now();
      await expect(database.db.execute(sql`select 1`)).resolves.toBeDefined();
      expect(performance.now() - started).toBeLessThan(1_000);
    });
  });
});
