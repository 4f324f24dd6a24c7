/**
 * What the database can commit for intake's rows with no app in the way (the ceiling the app's
 * tickets/s is compared with), and CPU accounting of processes from /proc.
 * PostgreSQL: pgbench with bench/ceiling.sql at the bench's concurrency. PGlite: the same
 * transaction in a loop in this process (PGlite has one connection and lives in-process).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import type { openDatabase } from '../apps/server/src/db/client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PGBENCH = '/usr/lib/postgresql/15/bin/pgbench';
const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime of the processes, in ms (0 for a process that is gone). */
export function cpuMsOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited
    }
  }
  return ticks * CLOCK_TICK_MS;
}

export async function postgresBackendPids(url: string): Promise<number[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    return rows.map((r) => r.pid);
  } finally {
    await c.end();
  }
}

interface CeilingTarget { env: Record<string, string>; open(): ReturnType<typeof openDatabase> }

const IDS = `select (select id from categories limit 1) as category, (select id from customers limit 1) as customer,
  (select id from departments limit 1) as department, (select id from users where role = 'handler' limit 1) as owner`;

export async function ceilingTps(name: 'pglite' | 'postgres', target: CeilingTarget, connections: number, seconds = 8): Promise<number> {
  const database = await target.open();
  try {
    const [ids] = await database.sql.query<Record<string, string>>(IDS);
    const script = fs.readFileSync(path.join(here, 'ceiling.sql'), 'utf8');
    if (name === 'postgres') {
      if (!fs.existsSync(PGBENCH)) return 0;
      const res = spawnSync(PGBENCH, [
        '-n', '-c', String(connections), '-j', '2', '-T', String(seconds), '-f', path.join(here, 'ceiling.sql'),
        ...Object.entries(ids!).flatMap(([k, v]) => ['-D', `${k}=${v}`]), target.env.DATABASE_URL!,
      ], { encoding: 'utf8' });
      const tps = /tps = ([\d.]+)/.exec(res.stdout)?.[1];
      if (!tps) process.stderr.write(`pgbench failed: ${res.stderr}\n`);
      return Number(tps ?? 0);
    }
    // PGlite: the script's statements with the variables filled in, one transaction at a time.
    const statements = script.split('\n').filter((l) => !l.startsWith('--')).join('\n')
      .replace(/':(\w+)'/g, (_, k: string) => `'${ids![k]}'`)
      .split(';').map((s) => s.trim()).filter((s) => s && !/^(BEGIN|COMMIT)$/i.test(s));
    const client = (database.db as unknown as { $client: PGlite }).$client;
    let n = 0;
    const started = Date.now();
    while (Date.now() - started < seconds * 1000) {
      await client.transaction(async (tx) => {
        for (const s of statements) await tx.query(s);
      });
      n++;
    }
    return n / ((Date.now() - started) / 1000);
  } finally {
    await database.close();
  }
}
