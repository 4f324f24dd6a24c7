/**
 * The databases integration tests run against: embedded PGlite always, PostgreSQL when
 * TEST_DATABASE_URL is set. Each PostgreSQL test file gets a fresh database of its own.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/client.js';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** Opens a fresh, migrated database; close() also drops it. */
  open(): Promise<Database & { url?: string }>;
}

const pgUrl = process.env.TEST_DATABASE_URL || undefined;

export const POSTGRES_SKIP_REASON = 'PostgreSQL tests skipped: TEST_DATABASE_URL is not set';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!pgUrl) throw new Error(POSTGRES_SKIP_REASON);
  const name = `cl_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabase(pgUrl, name),
    async drop() {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const pgliteBackend: Backend = {
  name: 'pglite',
  open: () => openDatabase({}),
};

export const postgresBackend: Backend = {
  name: 'postgres',
  async open() {
    const created = await createPgDatabase();
    const database = await openDatabase({ databaseUrl: created.url, poolSize: 20 });
    return {
      ...database,
      url: created.url,
      async close() {
        await database.close();
        await created.drop();
      },
    };
  },
};

/** Backends for `describe.each`; PostgreSQL only when configured. */
export const backends: Backend[] = pgUrl ? [pgliteBackend, postgresBackend] : [pgliteBackend];
export const hasPostgres = !!pgUrl;
if (!pgUrl && !process.env.CLOSELOOP_QUIET_SKIPS) {
  // Printed once per test file so nobody mistakes a PGlite-only run for a full one.
  process.stdout.write(`[closeloop] ${POSTGRES_SKIP_REASON}\n`);
}
