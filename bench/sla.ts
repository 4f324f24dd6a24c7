/**
 * SLA timer benchmark (`npm run bench:sla`): 100,000 open clocks (1,000,000 with --large) whose
 * breaches fall due within one minute, fired by one and then by three timer-runner instances
 * (each with a connection pool of its own, as separate app instances would have). Reports the
 * firing lag (fired − due) p50 / p99 / max, the throughput, the double fires (a breach acted on
 * twice: must be 0) and the misses (never fired: must be 0).
 *
 * PostgreSQL with DATABASE_URL or --url (a fresh database is created there and dropped after);
 * otherwise an in-memory PGlite (one connection: the three "instances" share it).
 *   npm run bench:sla                     # 100,000 clocks
 *   npm run bench:sla -- --large          # 1,000,000
 *   npm run bench:sla -- --clocks 5000    # a quick check
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { openDatabase, sqlOf, type Database, type Db } from '../apps/server/src/db/client.js';
import { categories, customers, departments, users } from '../apps/server/src/db/schema.js';
import { newId, toNumber } from '../apps/server/src/db/util.js';
import { startTimerRunner } from '../apps/server/src/sla/timer-runner.js';
import { createDueClocks } from '../apps/server/test/sla/due-clocks.js';

const { values: args } = parseArgs({
  options: {
    large: { type: 'boolean', default: false },
    clocks: { type: 'string' },
    url: { type: 'string' },
    instances: { type: 'string', default: '1,3' },
    'spread-s': { type: 'string', default: '60' },
    'batch-size': { type: 'string', default: '500' },
  },
});
const clocks = Number(args.clocks ?? (args.large ? 1_000_000 : 100_000));
const spreadMs = Number(args['spread-s']) * 1000;
const batchSize = Number(args['batch-size']);
const instanceCounts = String(args.instances).split(',').map(Number);
if (![clocks, spreadMs, batchSize].every((n) => Number.isFinite(n) && n > 0) || instanceCounts.some((n) => !(n >= 1))) {
  process.stderr.write('--clocks, --spread-s, --batch-size and --instances (e.g. 1,3) must be positive numbers\n');
  process.exit(2);
}
const pgUrl = args.url ?? process.env.DATABASE_URL ?? undefined;
const quiet = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`${line}\n`);

async function freshPostgres(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cl_bench_sla_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

interface RunResult { instances: number; p50: number; p99: number; max: number; seconds: number; doubles: number; missed: number }

async function run(o: { db: Db; url?: string; instances: number; refs: Refs; round: number }): Promise<RunResult> {
  const { db } = o;
  const sql = sqlOf(db);
  const prefix = `BENCH${o.round}`;
  // Seeded far ahead, then moved to "within the next minute" at once, so seeding time is no lag.
  const seedStart = Date.now();
  await createDueClocks({ db, prefix, count: clocks, from: new Date(Date.now() + 86_400_000), spreadMs, ...o.refs });
  say(`  seeded ${clocks.toLocaleString('en-US')} clocks in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
  await sql.query('analyze timers');
  const handles: Database[] = [];
  const runnerDbs: Db[] = [];
  for (let i = 0; i < o.instances; i++) {
    if (o.url) {
      const d = await openDatabase({ databaseUrl: o.url, poolSize: 3, migrate: false });
      handles.push(d);
      runnerDbs.push(d.db);
    } else {
      runnerDbs.push(db);
    }
  }
  const from = new Date(Date.now() + 3_000);
  const shift = `($1::timestamptz - (select min(due_at) from timers where kind = 'sla.breach' and status = 'pending'))`;
  await sql.query(`with s as (select ${shift} as d),
      c as (update sla_clocks k set due_at = k.due_at + s.d, warn_at = k.warn_at + s.d, started_at = k.started_at + s.d
        from s, tickets t where t.id = k.ticket_id and t.number like $2 returning 1),
      tk as (update tickets t set sla_due_at = t.sla_due_at + s.d from s where t.number like $2 returning 1)
    update timers m set due_at = m.due_at + s.d from s where m.kind = 'sla.breach' and m.status = 'pending'`,
  [from.toISOString(), `${prefix}-%`]);

  const started = Date.now();
  const runners = runnerDbs.map((rdb, i) => startTimerRunner({ db: rdb, log: quiet, instanceId: `bench-${o.round}-${i}`, batchSize, pollMs: 200 }));
  const count = async () => toNumber((await sql.query<{ n: unknown }>(
    `select count(*) as n from timers where kind = 'sla.breach' and status = 'done' and fired_at >= $1::timestamptz`, [from.toISOString()],
  ))[0]?.n);
  const deadline = from.getTime() + spreadMs + 600_000;
  let done = 0;
  let lastReport = 0;
  while ((done = await count()) < clocks && Date.now() < deadline) {
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      say(`    … ${done.toLocaleString('en-US')} fired`);
    }
    await sleep(500);
  }
  for (const r of runners) await r.stop();
  for (const h of handles) await h.close();
  const [lag] = await sql.query<Record<string, unknown>>(`select
      percentile_cont(0.5) within group (order by extract(epoch from fired_at - due_at)) as p50,
      percentile_cont(0.99) within group (order by extract(epoch from fired_at - due_at)) as p99,
      max(extract(epoch from fired_at - due_at)) as max
    from timers m join tickets t on t.id = m.ticket_id where m.kind = 'sla.breach' and t.number like $1 and m.status = 'done'`, [`${prefix}-%`]);
  const [dup] = await sql.query<Record<string, unknown>>(`select
      (select count(*) - count(distinct e.ticket_id) from audit_events e join tickets t on t.id = e.ticket_id
        where e.type = 'sla.breached' and t.number like $1) as doubles,
      (select count(*) from tickets t where t.number like $1
        and not exists (select 1 from audit_events e where e.ticket_id = t.id and e.type = 'sla.breached')) as missed`, [`${prefix}-%`]);
  return {
    instances: o.instances, p50: Number(lag?.p50 ?? NaN), p99: Number(lag?.p99 ?? NaN), max: Number(lag?.max ?? NaN),
    seconds: (Date.now() - started) / 1000, doubles: toNumber(dup?.doubles), missed: toNumber(dup?.missed),
  };
}

interface Refs { categoryId: string; customerId: string; departmentId: string | null; ownerId: string | null }

async function main() {
  const created = pgUrl ? await freshPostgres(pgUrl) : null;
  const database = await openDatabase(created ? { databaseUrl: created.url, poolSize: 4 } : {});
  try {
    say(`bench:sla on ${database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite (in memory; the instances share its one connection)'}: ${clocks.toLocaleString('en-US')} breaches due within ${spreadMs / 1000} s, batch ${batchSize}`);
    const db = database.db;
    const deptId = newId();
    await db.insert(departments).values({ id: deptId, name: '压测部', code: `bench${deptId.slice(-6)}` });
    const ownerId = newId();
    await db.insert(users).values({ id: ownerId, username: `bench_${ownerId.slice(-8)}`, displayName: '压测工程师', passwordHash: 'x', role: 'handler' });
    const categoryId = newId();
    await db.insert(categories).values({ id: categoryId, code: `b${categoryId.slice(-8)}`, name: '压测', processTemplate: 'full' });
    const customerId = newId();
    await db.insert(customers).values({ id: customerId, name: '压测客户' });
    const refs: Refs = { categoryId, customerId, departmentId: deptId, ownerId };
    const results: RunResult[] = [];
    let round = 0;
    for (const instances of instanceCounts) {
      say(`- ${instances} instance${instances > 1 ? 's' : ''}`);
      results.push(await run({ db, url: created?.url, instances, refs, round: ++round }));
    }
    say('');
    say('| instances | clocks | lag p50 | lag p99 | lag max | fired in | double fires | missed |');
    say('|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      say(`| ${r.instances} | ${clocks.toLocaleString('en-US')} | ${r.p50.toFixed(3)} s | ${r.p99.toFixed(3)} s | ${r.max.toFixed(3)} s | ${r.seconds.toFixed(1)} s | ${r.doubles} | ${r.missed} |`);
    }
    if (results.some((r) => r.doubles || r.missed)) process.exitCode = 1;
  } finally {
    await database.close();
    await created?.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench:sla failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
