/**
 * Opens the database: embedded PGlite in a data folder, or PostgreSQL from a URL. Both are
 * driven through the same Drizzle API (`Db`); migrations are applied here at start-up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema.js';
import { lockDataDir } from './data-dir-lock.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or a transaction handle: what read helpers accept. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** apps/server/drizzle, found from src/db (dev, tests) and from dist (built). */
export function migrationsFolder(): string {
  for (const candidate of [path.resolve(here, '../../drizzle'), path.resolve(here, '../drizzle')]) {
    if (fs.existsSync(path.join(candidate, 'meta/_journal.json'))) return candidate;
  }
  throw new Error(`migrations folder not found near ${here}`);
}

export interface OpenOptions {
  /** PostgreSQL connection string; without it PGlite is used. */
  databaseUrl?: string;
  /** Folder of the embedded database; undefined with no URL = in memory (tests). */
  dataDir?: string;
  poolSize?: number;
  migrate?: boolean;
  /** PostgreSQL: statement_timeout of every pooled connection (migrations excepted); 0 = none. */
  statementTimeoutMs?: number;
}

const MIGRATION_LOCK = 7261001;

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts);
  return openPglite(opts);
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  let release = () => {};
  let client: PGlite;
  if (opts.dataDir) {
    const dir = path.resolve(opts.dataDir);
    release = lockDataDir(dir);
    try {
      client = await PGlite.create(path.join(dir, 'pglite'));
    } catch (err) {
      release();
      throw err;
    }
  } else {
    client = await PGlite.create();
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  if (opts.migrate !== false) {
    await migratePglite(db as never, { migrationsFolder: migrationsFolder() });
  }
  return {
    db,
    kind: 'pglite',
    async close() {
      await client.close();
      release();
    },
  };
}

async function openPostgres(url: string, opts: OpenOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    // A request waits at most this long for a connection (a new one, or a free one of a full
    // pool), so an unreachable database answers 503 within ~2 s instead of hanging.
    connectionTimeoutMillis: 2_000,
    // Detects a peer that vanished without a FIN/RST (a cut network) on idle connections.
    keepAlive: true,
    ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
  });
  // A broken idle client is dropped by the pool; queries report errors themselves.
  pool.on('error', () => {});
  // pg-pool listens for errors only while a client is idle: a reset on a checked-out client (a
  // database restart under load) would be an unhandled 'error' event that ends the process.
  pool.on('connect', (client) => client.on('error', () => {}));
  // Drizzle's transaction() checks a client out and sends BEGIN before its try/finally, so a
  // client whose connection died just before BEGIN would never be released and the pool would
  // shrink for good. A checked-out client that reports a connection error is therefore released
  // (and, being broken, removed) at once; its holder's own later release becomes a no-op.
  const checkout = pool.connect.bind(pool);
  pool.connect = ((callback?: Parameters<typeof pool.connect>[0]) => {
    if (callback) return checkout(callback); // pool.query's own path releases correctly
    return checkout().then((client) => {
      const release = client.release.bind(client);
      let released = false;
      const onError = (err: Error) => client.release(err);
      client.release = (err?: Error | boolean) => {
        if (released) return;
        released = true;
        client.removeListener('error', onError);
        release(err);
      };
      client.once('error', onError);
      return client;
    });
  }) as typeof pool.connect;
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  if (opts.migrate !== false) {
    // Several instances may start together: one migrates, the others wait on the lock. Neither
    // the wait nor a long migration is subject to the statement timeout; the connection is
    // discarded afterwards so the setting does not leak into the pool.
    const conn = await pool.connect();
    try {
      await conn.query('SET statement_timeout = 0');
      await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await migratePg(drizzlePg(conn, { schema }), { migrationsFolder: migrationsFolder() });
      } finally {
        await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      conn.release(true);
    }
  }
  return { db, kind: 'postgres', close: () => pool.end() };
}
