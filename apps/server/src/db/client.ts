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

/**
 * Plain SQL for the hot paths, where building queries with the ORM costs more than the database
 * does: `name` makes it a prepared statement on PostgreSQL (parsed and planned once per
 * connection). Rows come back with the driver's type parsing (timestamptz → Date, jsonb → object).
 */
export interface SqlRunner {
  query<T = Record<string, unknown>>(text: string, params?: unknown[], name?: string): Promise<T[]>;
}

const runners = new WeakMap<object, SqlRunner>();

/** Statements prepared in a PGlite session; null for a transaction handle (it inlines instead). */
const preparedNames = new WeakMap<object, Set<string>>();
function preparedOf(client: object): Set<string> | null {
  if (!(client instanceof PGlite)) return null;
  let set = preparedNames.get(client);
  if (!set) {
    set = new Set();
    preparedNames.set(client, set);
  }
  return set;
}

function isPgliteTransaction(c: unknown): c is Pick<PGlite, 'exec' | 'query'> {
  return typeof c === 'object' && c !== null && typeof (c as PGlite).exec === 'function' && 'rollback' in c;
}

/**
 * The plain-SQL runner on the same connection(s) as a Drizzle handle (its `$client`): the pg
 * Pool (prepared statements by name) or the PGlite instance. Not for use inside a transaction.
 */
export function sqlOf(db: DbOrTx): SqlRunner {
  // A transaction handle has no $client: its statements go to the transaction's own connection.
  const client = (db as unknown as { $client?: unknown }).$client
    ?? (db as unknown as { session?: { client?: unknown } }).session?.client;
  let runner = runners.get(client as object);
  if (runner) return runner;
  if (client instanceof pg.Pool || client instanceof pg.Client) {
    runner = {
      async query<T>(text: string, params?: unknown[], name?: string) {
        const res = await client.query(name ? { name, text, values: params } : { text, values: params });
        return res.rows as T[];
      },
    };
  } else if (client instanceof PGlite || isPgliteTransaction(client)) {
    // PGlite's extended protocol costs five calls into WASM per statement, the simple protocol
    // two: parameters are written in as literals. A named statement is PREPAREd once in the
    // (single) session and then EXECUTEd, so PostgreSQL plans it once, as on a server.
    const prepared = preparedOf(client);
    runner = {
      async query<T>(text: string, params?: unknown[], name?: string) {
        let sqlText: string;
        if (name && prepared) {
          if (!prepared.has(name)) {
            try {
              await client.exec(`PREPARE "${name}" AS ${text}`);
            } catch (err) {
              if ((err as { code?: string }).code !== '42P05') throw err; // already prepared
            }
            prepared.add(name);
          }
          sqlText = `EXECUTE "${name}"${params?.length ? `(${params.map(sqlLiteral).join(', ')})` : ''}`;
        } else {
          sqlText = params?.length ? inlineParams(text, params) : text;
        }
        const [result] = await client.exec(sqlText);
        return (result?.rows ?? []) as T[];
      },
    };
  } else {
    throw new Error('sqlOf: not a database handle opened by openDatabase');
  }
  runners.set(client as object, runner);
  return runner;
}

/**
 * A parameter as an SQL literal (standard_conforming_strings is on: inside '…' only the quote
 * needs doubling). NUL cannot be stored in PostgreSQL text and would cut the statement short,
 * so it is refused. Arrays become array literals for the statement's own `::type[]` cast.
 */
export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('sqlLiteral: not a finite number');
    return String(v);
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return quote(v.toISOString());
  if (Array.isArray(v)) {
    return quote(`{${v.map((e) => (e === null || e === undefined ? 'NULL' : `"${String(e).replace(/[\\"]/g, (c) => `\\${c}`)}"`)).join(',')}}`);
  }
  if (typeof v === 'object') return quote(JSON.stringify(v));
  return quote(String(v));
}

function quote(text: string): string {
  // PostgreSQL refuses NUL in text parameters with SQLSTATE 22021; say the same, so the error
  // handler answers both databases alike (400) without this layer knowing about HTTP.
  if (text.includes('\0')) throw Object.assign(new Error('text must not contain the NUL character'), { code: '22021' });
  return `'${text.replaceAll("'", "''")}'`;
}

/** Replaces $1…$n outside quotes, identifiers and comments by the parameters' literals. */
export function inlineParams(text: string, params: readonly unknown[]): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      const stop = end < 0 ? text.length : end + 1;
      out += text.slice(i, stop);
      i = stop;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop;
    } else if (c === '$' && /[0-9]/.test(text[i + 1] ?? '')) {
      let j = i + 1;
      while (j < text.length && /[0-9]/.test(text[j]!)) j++;
      const n = Number(text.slice(i + 1, j));
      if (n < 1 || n > params.length) throw new Error(`inlineParams: no parameter $${n}`);
      out += sqlLiteral(params[n - 1]);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Statements sent to the database by this handle (tests assert the budgets of commands). */
export interface DbStats {
  statements: number;
  /** Set to an array to collect the statements' text too (tests looking at a budget). */
  trace?: string[];
}

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  sql: SqlRunner;
  stats: DbStats;
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
  const stats: DbStats = { statements: 0 };
  countPgliteStatements(client, stats);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  if (opts.migrate !== false) {
    await migratePglite(db as never, { migrationsFolder: migrationsFolder() });
  }
  return {
    db,
    kind: 'pglite',
    sql: sqlOf(db),
    stats,
    async close() {
      await client.close();
      release();
    },
  };
}

async function openPostgres(url: string, opts: OpenOptions): Promise<Database> {
  const stats: DbStats = { statements: 0 };
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
  pool.on('connect', (client) => {
    client.on('error', () => {});
    countPgStatements(client, stats);
  });
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
  return { db, kind: 'postgres', sql: sqlOf(db), stats, close: () => pool.end() };
}

/** Counts every statement a pooled connection sends (drizzle's, plain SQL, BEGIN/COMMIT). */
function countPgStatements(client: pg.PoolClient, stats: DbStats): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    stats.statements++;
    stats.trace?.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text).slice(0, 80));
    return query(...args);
  };
}

/** The same for PGlite: its query/exec, and BEGIN + COMMIT of each transaction. */
function countPgliteStatements(client: PGlite, stats: DbStats): void {
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = ((...args: Parameters<PGlite['query']>) => {
    stats.statements++;
    stats.trace?.push(args[0].slice(0, 80));
    return query(...args);
  }) as PGlite['query'];
  client.exec = ((...args: Parameters<PGlite['exec']>) => {
    stats.statements++;
    stats.trace?.push(args[0].slice(0, 80));
    return exec(...args);
  }) as PGlite['exec'];
  client.transaction = (async (fn: Parameters<PGlite['transaction']>[0]) => {
    stats.statements += 2;
    return transaction(async (tx) => {
      const txQuery = tx.query.bind(tx);
      const txExec = tx.exec.bind(tx);
      tx.query = ((...args: Parameters<typeof tx.query>) => {
        stats.statements++;
        return txQuery(...args);
      }) as typeof tx.query;
      tx.exec = ((...args: Parameters<typeof tx.exec>) => {
        stats.statements++;
        return txExec(...args);
      }) as typeof tx.exec;
      return fn(tx);
    });
  }) as PGlite['transaction'];
}
