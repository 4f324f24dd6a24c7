/**
 * Read benchmark: the ticket list, filters, a deep cursor page, text search (common word, rare
 * word, two words, one character, number prefix, phone), the workbench's counts and activity
 * feed, and the whole workbench page, against a database filled by bench:seed. Starts the real
 * server as its own process on 127.0.0.1, runs each case at a fixed concurrency for a fixed time
 * with the API tokens the seed created, and prints req/s and exact p50/p95/p99 per case.
 *
 *   npm run bench:read -- [--url postgres://…/closeloop_bench_1m | --data-dir bench/data/pglite-200000]
 *                        [--duration 10] [--concurrency 10] [--timeout 10] [--roles admin,manager,handler,customer]
 *                        [--cases regexp] [--start-timeout 900] [--explain]
 *
 * Any non-2xx answer or a request slower than --timeout seconds is an error (the run goes on);
 * the exit code is 1 when there was any. Between cases it waits until the database is idle again
 * (PostgreSQL: no active statement of the server left, cancelling those still running after 15 s),
 * so a slow case does not slow the next one down.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { freePort } from './free-port.js';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase } from '../apps/server/src/db/client.js';
import { rowsOf, toNumber } from '../apps/server/src/db/util.js';
import { randomSecret } from '../apps/server/src/auth/secrets.js';
import { Client, percentile, runLoad } from './load.js';
import { loadManifest, type BenchRole, type SeedManifest } from './seed-manifest.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    'data-dir': { type: 'string' },
    duration: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '10' },
    timeout: { type: 'string', default: '10' },
    roles: { type: 'string', default: 'admin,manager,handler,customer' },
    cases: { type: 'string' },
    'start-timeout': { type: 'string', default: '900' },
    explain: { type: 'boolean', default: false },
  },
});

if (args.explain) {
  console.log(`Where the SQL of each case comes from (the server builds it; nothing is printed here):
  list, filters, cursor page, search  GET /api/v1/tickets           apps/server/src/tickets/list-tickets.ts
                                                                     (WHERE from tickets/ticket-filters.ts, visibility from tickets/access.ts)
  counts                              GET /api/v1/tickets/counts    apps/server/src/tickets/count-tickets.ts (same filters)
  activity                            GET /api/v1/tickets/activity  apps/server/src/tickets/list-activity.ts
To see the plans on PostgreSQL, run the case's query under EXPLAIN (ANALYZE, BUFFERS) in psql against the
seeded database, or log them for one run: ALTER DATABASE <db> SET log_min_duration_statement = 200, then
read the server log (and RESET it afterwards). The API tokens and probe words are in table bench_seed.`);
  process.exit(0);
}

const duration = Number(args.duration);
const concurrency = Number(args.concurrency);
const timeoutSec = Number(args.timeout);
const startTimeout = Number(args['start-timeout']);
const roles = args.roles.split(',').map((r) => r.trim()).filter(Boolean) as BenchRole[];
const caseFilter = args.cases ? new RegExp(args.cases, 'i') : null;
if (!(duration > 0) || !(concurrency > 0) || !(timeoutSec > 0) || !(startTimeout > 0)) {
  console.error('--duration, --concurrency, --timeout and --start-timeout must be positive numbers');
  process.exit(2);
}
for (const r of roles) {
  if (!['admin', 'manager', 'handler', 'customer'].includes(r)) {
    console.error(`--roles: unknown role ${r} (admin, manager, handler, customer)`);
    process.exit(2);
  }
}
const url = args.url ?? (process.env.DATABASE_URL || undefined);
const dataDir = url ? undefined : path.resolve(args['data-dir'] ?? path.join(root, 'bench/data/pglite-200000'));
const dbLabel = url ? `PostgreSQL ${new URL(url).pathname.slice(1)}` : `PGlite ${path.relative(process.cwd(), dataDir!) || dataDir}`;

// ---- the server ----------------------------------------------------------------------------

async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url ?? '',
      CLOSELOOP_DATA_DIR: dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'closeloop-read-')),
      HOST: '127.0.0.1',
      PORT: String(port),
      CLOSELOOP_BASE_URL: `http://127.0.0.1:${port}`,
      CLOSELOOP_DEMO_DATA: 'false',
      CLOSELOOP_LOG_LEVEL: 'warn',
      CLOSELOOP_ADMIN_PASSWORD: randomSecret(12),
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const started = Date.now();
  let told = started;
  // Start-up applies pending migrations, which can take minutes on a big database.
  while (Date.now() - started < startTimeout * 1000) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() - told > 30_000) {
      told = Date.now();
      console.log(`  … server not up after ${Math.round((told - started) / 1000)} s (migrating?)`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not answer /healthz within ${startTimeout} s:\n${stderr}`);
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

// ---- the cases -----------------------------------------------------------------------------
interface Case {
  name: string;
  role: BenchRole;
  /** One path = one GET; several = fetched together, as a page does, timed until the last answers. */
  paths: string[];
}

/** Query strings in the order the web client builds them (viewToQuery, then limit/cursor). */
function qs(params: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) p.set(k, v);
  return p.toString();
}
const listPath = (params: Record<string, string | undefined>) =>
  `/api/v1/tickets?${qs({ ...params, sort: 'createdAt', order: 'desc', limit: '20' })}`;

/** What the workbench page (apps/web/src/pages/workbench/workbench-page.tsx) requests for a role. */
function workbenchPaths(role: BenchRole): string[] {
  const canApprove = role === 'admin' || role === 'manager';
  const canVerify = canApprove;
  const canFollowUp = canApprove;
  return [
    `/api/v1/tickets?${qs({ owner: 'me', open: 'true', limit: '100', sort: 'updatedAt' })}`,
    `/api/v1/tickets?${qs({ owner: 'me', status: 'assigned', limit: '50' })}`,
    ...(canApprove ? [`/api/v1/tickets?${qs({ status: 'plan_review', limit: '50' })}`] : []),
    ...(canVerify ? [`/api/v1/tickets?${qs({ status: 'accepting', limit: '50' })}`] : []),
    ...(canFollowUp ? [`/api/v1/tickets?${qs({ status: 'follow_up', limit: '50' })}`] : []),
    `/api/v1/tickets/counts?${qs({ owner: 'me', open: 'true' })}`,
    `/api/v1/tickets/counts?${qs({ open: 'true' })}`,
    `/api/v1/tickets/activity?${qs({ limit: '10' })}`,
  ];
}

function searchCases(role: BenchRole, m: SeedManifest): Case[] {
  const s = (name: string, q: string): Case => ({ name: `search: ${name}`, role, paths: [listPath({ q })] });
  return [
    s(`common word ${m.commonWords[0]!.word}`, m.commonWords[0]!.word),
    s(`rare word ${m.rareWords[0]!.word}`, m.rareWords[0]!.word),
    s(`two words ${m.twoWords.words}`, m.twoWords.words),
    s(`one character ${m.oneCharacter}`, m.oneCharacter),
    s(`number prefix ${m.numberPrefixes.day}`, m.numberPrefixes.day),
    s(`phone ${m.knownPhone}`, m.knownPhone),
  ];
}

function casesFor(role: BenchRole, m: SeedManifest, deepCursor: string | null): Case[] {
  const one = (name: string, p: string): Case => ({ name, role, paths: [p] });
  const [mineCounts, openCounts] = workbenchPaths(role).filter((p) => p.includes('/counts'));
  const out: Case[] = [one('list: first page', listPath({}))];
  if (role === 'admin') {
    out.push(
      one('list: status=analyzing', listPath({ status: 'analyzing' })),
      one('list: priority=P1', listPath({ priority: 'P1' })),
      one('list: department (质量部)', listPath({ department: m.departments.qa })),
      one('list: open=true', listPath({ open: 'true' })),
    );
    if (deepCursor) out.push(one('list: page 26 (cursor)', `${listPath({})}&cursor=${encodeURIComponent(deepCursor)}`));
  }
  out.push(...searchCases(role, m));
  if (role !== 'customer') out.push(one('counts: mine (workbench)', mineCounts!));
  out.push(one('counts: open (workbench)', openCounts!));
  if (role === 'admin') out.push(one('activity (workbench)', '/api/v1/tickets/activity?limit=10'));
  if (role !== 'customer') out.push({ name: `workbench: all ${workbenchPaths(role).length} requests`, role, paths: workbenchPaths(role) });
  return out.filter((c) => !caseFilter || caseFilter.test(`${c.role} ${c.name}`));
}

/** Follows nextCursor from the first page: the cursor of page `pages + 1`, or null if the list is shorter. */
async function deepCursorOf(client: Client, token: string, pages: number): Promise<string | null> {
  let cursor: string | null = null;
  for (let i = 0; i < pages; i++) {
    const next = `${listPath({})}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = JSON.parse((await client.ok(next, token)).body) as { nextCursor: string | null };
    cursor = page.nextCursor;
    if (!cursor) return null;
  }
  return cursor;
}

/** Rows a case's first answer holds (page items, or the counts' total): a sanity check for the table. */
function rowsOfAnswer(body: string): string {
  try {
    const j = JSON.parse(body) as { items?: unknown[]; total?: number };
    if (Array.isArray(j.items)) return String(j.items.length);
    if (typeof j.total === 'number') return `total ${j.total}`;
  } catch {
    // not JSON
  }
  return '?';
}

// ---- waiting for the database to be idle again -------------------------------------------------
async function settle(pgClient: pg.Client | null, client: Client, token: string): Promise<number> {
  if (!pgClient) {
    // PGlite: one connection inside the server, and a statement cannot be cancelled: wait until
    // /healthz answers quickly again (a timed-out search may leave minutes of queued work).
    const until = Date.now() + 600_000;
    while (Date.now() < until) {
      const t0 = Date.now();
      try {
        await client.ok('/healthz', token);
        if (Date.now() - t0 < 500) return 0;
      } catch {
        // still busy
      }
    }
    return 0;
  }
  const active = async () => toNumber((await pgClient.query(`select count(*) as n from pg_stat_activity
    where datname = current_database() and state = 'active' and pid <> pg_backend_pid()
      and now() - query_start > interval '200 milliseconds'`)).rows[0]?.n);
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if ((await active()) === 0) return 0;
    await new Promise((r) => setTimeout(r, 250));
  }
  const cancelled = await pgClient.query(`select pg_cancel_backend(pid) from pg_stat_activity
    where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`);
  await new Promise((r) => setTimeout(r, 1000));
  return cancelled.rowCount ?? 0;
}

// ---- main ------------------------------------------------------------------------------------
interface Row {
  c: Case;
  reqPerSec: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  errors: number;
  requests: number;
  rows: string;
  firstError: string | null;
  cancelled: number;
}

const ms = (v: number | null) => (v === null ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1));

function table(rows: Row[]): string {
  const head = ['case', 'role', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'rows'];
  const body = rows.map((r) => [
    r.c.name, r.c.role, r.reqPerSec.toFixed(1), ms(r.p50), ms(r.p95), ms(r.p99), `${r.errors}/${r.requests}`, r.rows,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => `${'-'.repeat(w + 1)}${i < 2 ? '-' : ':'}`).join('|')}|`, ...body.map(line)].join('\n');
}

async function main(): Promise<number> {
  const prep = await openDatabase(url ? { databaseUrl: url, migrate: false, poolSize: 1 } : { dataDir, migrate: false });
  let manifest: SeedManifest | null;
  let tickets: number;
  try {
    manifest = await loadManifest(prep.db);
    const [row] = rowsOf<{ n: unknown }>(await prep.db.execute(sql`select count(*) as n from tickets`));
    tickets = toNumber(row?.n);
  } finally {
    await prep.close();
  }
  if (!manifest) throw new Error(`${dbLabel} has no bench_seed manifest: fill it with npm run bench:seed first`);

  const loadBefore = os.loadavg();
  console.log(`${dbLabel}: ${tickets.toLocaleString('en-US')} tickets (seeded ${manifest.seededAt}), `
    + `c=${concurrency}, ${duration} s per case, timeout ${timeoutSec} s; starting the server…`);
  const port = await freePort();
  const server = await startServer(port);
  // Interrupted: the server goes too (it may be busy in PGlite and deaf to SIGTERM).
  const onSignal = () => {
    server.kill('SIGKILL');
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const client = new Client(new URL(`http://127.0.0.1:${port}`), concurrency * 8, timeoutSec * 1000);
  const pgClient = url ? new pg.Client({ connectionString: url }) : null;
  await pgClient?.connect();
  const rows: Row[] = [];
  try {
    const token = (r: BenchRole) => manifest.logins[r].token;
    // Warm-up (not measured): the JIT, the pools, the database cache of the list's first pages.
    await runLoad({ concurrency, durationMs: 2000, op: () => client.ok(listPath({}), token('admin')) });
    const deep = roles.includes('admin') ? await deepCursorOf(client, token('admin'), 25) : null;

    // The searches that may leave work queued (on PGlite nothing can cancel it) run last, so
    // they cannot slow the other cases down.
    const lateness = (c: Case) => (c.name.startsWith('search: phone') ? 2 : c.name.startsWith('search: two words') ? 1 : 0);
    const cases = roles.flatMap((r) => casesFor(r, manifest, deep)).sort((a, b) => lateness(a) - lateness(b));
    for (const c of cases) {
      const t = token(c.role);
      // The first answer of the run tells what the case returns (no separate probe: on a slow
      // case that would cost one more timeout).
      let rowsText: string | null = null;
      const cancelled0 = await settle(pgClient, client, t);
      const r = await runLoad({
        concurrency, durationMs: duration * 1000,
        op: async () => {
          if (c.paths.length > 1) {
            await Promise.all(c.paths.map((p) => client.ok(p, t)));
            rowsText ??= `${c.paths.length} answers`;
          } else {
            const a = await client.ok(c.paths[0]!, t);
            rowsText ??= rowsOfAnswer(a.body);
          }
        },
      });
      let cancelled = cancelled0;
      cancelled += await settle(pgClient, client, t);
      const row: Row = {
        c, reqPerSec: r.latencies.length / r.seconds, p50: percentile(r.latencies, 50), p95: percentile(r.latencies, 95),
        p99: percentile(r.latencies, 99), errors: r.errors, requests: r.requests, rows: rowsText ?? '—', firstError: r.firstError, cancelled,
      };
      rows.push(row);
      console.log(`  ${c.role.padEnd(8)} ${c.name.padEnd(36)} ${row.reqPerSec.toFixed(1).padStart(7)} req/s  p50 ${ms(row.p50).padStart(6)}`
        + `  p95 ${ms(row.p95).padStart(6)}  p99 ${ms(row.p99).padStart(6)} ms  errors ${r.errors}/${r.requests}`
        + `${cancelled ? `  (${cancelled} statements still running were cancelled)` : ''}`);
    }
  } finally {
    client.close();
    await pgClient?.end();
    await stopServer(server);
  }

  const loadAfter = os.loadavg();
  console.log(`\n${dbLabel}, ${tickets.toLocaleString('en-US')} tickets — c=${concurrency}, ${duration} s per case, timeout ${timeoutSec} s,`
    + ` ${os.cpus().length} CPUs, Node ${process.version}, load average ${loadBefore[0]!.toFixed(1)} before / ${loadAfter[0]!.toFixed(1)} after`
    + ` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)\n`);
  console.log(table(rows));
  const failed = rows.filter((r) => r.errors > 0);
  if (failed.length) {
    console.log(`\nFAILED: ${failed.length} case(s) had errors (non-2xx or slower than ${timeoutSec} s):`);
    for (const r of failed) console.log(`  ${r.c.role} ${r.c.name}: ${r.firstError}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
