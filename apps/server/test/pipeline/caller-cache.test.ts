/**
 * Callers are cached for under a second (auth/resolve-actor.ts). What people rely on still
 * holds: a token revoked or a user deactivated through one instance is refused by that instance
 * at once and, on PostgreSQL, by a second instance sharing the database within a second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/client.js';
import { apiTokens, users } from '../../src/db/schema.js';
import { newId } from '../../src/db/util.js';
import { randomSecret, sha256, TOKEN_PREFIX } from '../../src/auth/secrets.js';
import { REFERENCE_TTL_MS } from '../../src/cache/ttl-cache.js';
import { backends, hasPostgres, postgresBackend } from '../backends.js';
import { createTestApp, login, makeUser, type TestApp } from '../harness.js';

async function tokenFor(t: TestApp, userId: string) {
  const token = `${TOKEN_PREFIX}${randomSecret()}`;
  const id = newId();
  await t.db.insert(apiTokens).values({
    id, name: 'cache', prefix: token.slice(0, 10), tokenHash: sha256(token), userId, scopes: ['tickets:read'],
  });
  return { id, headers: { authorization: `Bearer ${token}` } };
}

describe.each(backends)('cached callers on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(backend); });
  afterAll(async () => { await t?.close(); });

  const me = (app: TestApp['app'], headers: Record<string, string>) => app.inject({ method: 'GET', url: '/api/v1/me', headers });

  it('refuses a revoked token at once on the instance that revoked it', async () => {
    const admin = await makeUser(t.db, 'admin');
    const session = await login(t.app, admin.username);
    const tok = await tokenFor(t, admin.id);
    expect((await me(t.app, tok.headers)).statusCode).toBe(200);
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${tok.id}`, headers: session });
    expect(revoked.statusCode).toBe(200);
    expect((await me(t.app, tok.headers)).statusCode).toBe(401);
  });

  it('refuses a deactivated user within a second, even when the change bypassed this instance', async () => {
    const handler = await makeUser(t.db, 'handler');
    const tok = await tokenFor(t, handler.id);
    expect((await me(t.app, tok.headers)).statusCode).toBe(200);
    // Written straight to the database, as another instance (or an operator) would.
    await t.db.update(users).set({ active: false }).where(eq(users.id, handler.id));
    await new Promise((r) => setTimeout(r, REFERENCE_TTL_MS + 50));
    expect((await me(t.app, tok.headers)).statusCode).toBe(401);
  });
});

// Two instances need a shared database: PostgreSQL only (skipped, and said so, without it).
describe.skipIf(!hasPostgres)('cached callers across instances on postgres', () => {
  let t: TestApp;
  let second: { app: Awaited<ReturnType<typeof buildApp>>; close(): Promise<void> };
  beforeAll(async () => {
    t = await createTestApp(postgresBackend);
    // Another instance on the same PostgreSQL database, with caches of its own.
    const database = await openDatabase({ databaseUrl: (t.database as { url?: string }).url!, migrate: false });
    const app = await buildApp({ config: t.config, database, logger: false });
    second = { app, async close() { await app.close(); await database.close(); } };
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  const me = (app: TestApp['app'], headers: Record<string, string>) => app.inject({ method: 'GET', url: '/api/v1/me', headers });

  it('refuses a token revoked on one instance within a second on the other', async () => {
    const admin = await makeUser(t.db, 'admin');
    const session = await login(t.app, admin.username);
    const tok = await tokenFor(t, admin.id);
    const other = second.app;
    expect((await me(other, tok.headers)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${tok.id}`, headers: session })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, REFERENCE_TTL_MS + 50));
    expect((await me(other, tok.headers)).statusCode).toBe(401);
  });

});
