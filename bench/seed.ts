/**
 * Fills a database with realistic tickets for the read benchmark (bench:read): two years of
 * after-sales work — departments, staff, categories, customers with their identities, tickets in
 * every status with plans, measures and feedback, and each ticket's hash-chained audit events —
 * through the app's own schema (migrations applied by openDatabase) and search tokenizer.
 *
 *   npm run bench:seed -- [--tickets 200000] [--url postgres://…/closeloop_bench_1m | --data-dir dir]
 *                        [--customers n] [--workers n] [--chunk 2000] [--keep-indexes]
 *
 * PostgreSQL when --url or DATABASE_URL is set (the database is created when missing), else a
 * PGlite folder (default bench/data/pglite-<tickets>). The database must have no tickets yet.
 * Rows are made in worker threads and written set-based, a chunk of tickets and their events per
 * statement; secondary indexes of tickets and audit_events are dropped during the load and built
 * again afterwards (--keep-indexes keeps them). Prints progress and rows/s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { DEMO_CATEGORIES } from '../apps/server/src/demo/categories.js';
import { openDatabase, type Db } from '../apps/server/src/db/client.js';
import { apiTokens, categories, departments, formVersions, ticketCounters, userDepartments, users } from '../apps/server/src/db/schema.js';
import { fromLegacyFields } from '../apps/server/src/forms/legacy-fields.js';
import { newId, rowsOf, toNumber } from '../apps/server/src/db/util.js';
import { randomSecret, sha256, TOKEN_PREFIX } from '../apps/server/src/auth/secrets.js';
import { formatTicketNumber, shanghaiDay } from '../apps/server/src/tickets/ticket-number.js';
import {
  BENCH_CATEGORIES, BENCH_DEPARTMENTS, BENCH_LOGINS, BENCH_STAFF, COMMON_WORDS, KNOWN_CUSTOMER_TICKETS,
  ONE_CHARACTER, RARE_SERIAL, RARE_WORDS, TWO_WORDS,
} from './seed-catalog.js';
import { saveManifest, type BenchRole, type SeedManifest } from './seed-manifest.js';
import { customerOf, MAX_TICKETS, type ChunkResult, type SeedContext } from './seed-tickets.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DAY = 24 * 3600_000;
const SPAN_DAYS = 730;

const { values: args } = parseArgs({
  options: {
    tickets: { type: 'string', default: '200000' },
    customers: { type: 'string' },
    url: { type: 'string' },
    'data-dir': { type: 'string' },
    workers: { type: 'string', default: String(Math.max(1, os.availableParallelism())) },
    chunk: { type: 'string', default: '2000' },
    'keep-indexes': { type: 'boolean', default: false },
  },
});
const ticketCount = Number(args.tickets);
const customerCount = Number(args.customers ?? Math.max(100, Math.round(ticketCount / 5)));
const workerCount = Number(args.workers);
const chunkSize = Number(args.chunk);
if (!(ticketCount >= 100 && ticketCount <= MAX_TICKETS) || !(customerCount >= 2) || !(workerCount >= 1) || !(chunkSize >= 100)) {
  console.error(`--tickets must be 100…${MAX_TICKETS}, --customers ≥ 2, --workers ≥ 1, --chunk ≥ 100`);
  process.exit(2);
}
const url = args.url ?? (process.env.DATABASE_URL || undefined);
const dataDir = url ? undefined : path.resolve(args['data-dir'] ?? path.join(root, 'bench/data', `pglite-${ticketCount}`));

const started = Date.now();
const secs = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
const log = (msg: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${msg}`);

/** Creates the PostgreSQL database of the URL when it does not exist yet. */
async function ensureDatabase(target: string): Promise<void> {
  const u = new URL(target);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name ${name} must be lower-case letters, digits and _`);
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!found.rowCount) {
      await admin.query(`create database ${name}`);
      log(`created database ${name}`);
    }
  } finally {
    await admin.end();
  }
}

/** `insert … select … from json_populate_recordset`: one statement for a whole batch of rows. */
async function insertJson(db: Db, table: string, columns: string[], json: string): Promise<void> {
  const cols = sql.raw(columns.join(', '));
  await db.execute(sql`insert into ${sql.raw(table)} (${cols})
    select ${cols} from json_populate_recordset(null::${sql.raw(table)}, ${json}::json)`);
}

const TICKET_COLUMNS = [
  'id', 'number', 'title', 'description', 'scene', 'phenomenon', 'tried_measures', 'read_back_confirmed', 'channel',
  'status', 'priority', 'priority_rank', 'urgency', 'process_template', 'category_id', 'customer_id', 'product',
  'occurred_at', 'expected_by', 'order_no', 'custom_fields', 'form_version_id', 'department_id', 'owner_id', 'created_by_id',
  'waiting_on_customer', 'escalated', 'rework_count', 'reopen_count', 'analysis', 'plan', 'resolution', 'acceptance',
  'feedback', 'cancel_reason', 'search_text', 'first_responded_at', 'resolved_at', 'closed_at', 'created_at',
  'updated_at', 'version', 'measure_owner_ids',
];
const EVENT_COLUMNS = ['id', 'chain', 'seq', 'ticket_id', 'type', 'actor_id', 'actor_kind', 'at', 'before', 'after', 'data', 'prev_hash', 'hash'];

async function assertEmpty(db: Db): Promise<void> {
  const [row] = rowsOf<{ n: unknown }>(await db.execute(sql`select count(*) as n from tickets`));
  const n = toNumber(row?.n);
  if (n > 0) throw new Error(`the database already has ${n} tickets: seed a fresh one (another --url or --data-dir)`);
  const [u] = rowsOf<{ n: unknown }>(await db.execute(sql`select count(*) as n from users where username like 'bench\\_%'`));
  if (toNumber(u?.n) > 0) throw new Error('the database already has bench users from an interrupted seed: seed a fresh one');
}

interface Reference {
  ctx: SeedContext;
  tokens: Record<BenchRole, string>;
}

async function seedReference(db: Db, now: number, windowStart: number): Promise<Reference> {
  const locked = '!bench-user-without-password';
  const departmentIds: Record<string, string> = {};
  for (const d of BENCH_DEPARTMENTS) departmentIds[d.code] = newId(windowStart - DAY);
  await db.insert(departments).values(BENCH_DEPARTMENTS.map((d) => ({ id: departmentIds[d.code]!, name: d.name, code: d.code })));

  const staff = BENCH_STAFF.map((s) => ({ ...s, id: newId(windowStart - DAY) }));
  await db.insert(users).values(staff.map((s) => ({
    id: s.id, username: s.username, displayName: s.displayName, role: s.role, passwordHash: locked,
    email: `${s.username}@bench.closeloop.cn`, phone: null,
  })));
  await db.insert(userDepartments).values(staff.flatMap((s) => s.departments.map((code) => ({
    userId: s.id, departmentId: departmentIds[code]!, isHead: s.head,
  }))));
  for (const s of staff.filter((x) => x.head)) {
    await db.execute(sql`update departments set head_user_id = ${s.id} where id = ${departmentIds[s.departments[0]!]!}`);
  }

  const categoryIds: Record<string, string> = {};
  await db.insert(categories).values(BENCH_CATEGORIES.map((c) => {
    categoryIds[c.code] = newId(windowStart - DAY);
    return {
      id: categoryIds[c.code]!, code: c.code, name: c.name, nameEn: c.nameEn, processTemplate: c.processTemplate,
      defaultDepartmentId: c.defaultDepartment ? departmentIds[c.defaultDepartment]! : null,
      defaultPriority: c.defaultPriority, sort: c.sort,
      customFields: DEMO_CATEGORIES.find((d) => d.code === c.code)?.customFields ?? [],
    };
  }));
  // Form engine: each category's fields as its form version 1.
  const formVersionIds: Record<string, string> = {};
  await db.insert(formVersions).values(BENCH_CATEGORIES.map((c) => ({
    id: (formVersionIds[c.code] = newId(windowStart - DAY)), categoryId: categoryIds[c.code]!, version: 1,
    fields: fromLegacyFields(DEMO_CATEGORIES.find((d) => d.code === c.code)?.customFields ?? []),
  })));

  // Customers and their identities: set-based, like the tickets.
  const customerIds: string[] = [];
  const batch = 10_000;
  for (let k0 = 0; k0 < customerCount; k0 += batch) {
    const rows: unknown[] = [];
    const identities: unknown[] = [];
    for (let k = k0; k < Math.min(customerCount, k0 + batch); k++) {
      // Customers came in over the years before the tickets; ids stay time-ordered.
      const at = windowStart - 2 * DAY + Math.floor((k / customerCount) * DAY);
      const id = newId(at);
      customerIds.push(id);
      const c = customerOf(k);
      const created = new Date(at).toISOString();
      rows.push({ id, name: c.name, phone: c.phone, email: c.email, tier: c.tier, created_at: created, updated_at: created });
      identities.push({ kind: 'phone', value: c.phone, customer_id: id, created_at: created });
      if (c.email) identities.push({ kind: 'email', value: c.email, customer_id: id, created_at: created });
    }
    await insertJson(db, 'customers', ['id', 'name', 'phone', 'email', 'tier', 'created_at', 'updated_at'], JSON.stringify(rows));
    await insertJson(db, 'customer_identities', ['kind', 'value', 'customer_id', 'created_at'], JSON.stringify(identities));
  }
  log(`${BENCH_DEPARTMENTS.length} departments, ${staff.length} staff, ${BENCH_CATEGORIES.length} categories, ${customerCount} customers`);

  const known = customerOf(0);
  const customerUserId = newId(windowStart);
  await db.insert(users).values({
    id: customerUserId, username: BENCH_LOGINS.customer, displayName: known.name, role: 'customer', passwordHash: locked,
    phone: known.phone, customerId: customerIds[0]!,
  });

  const tokens = {} as Record<BenchRole, string>;
  const userIdOf = (username: string) => (username === BENCH_LOGINS.customer ? customerUserId : staff.find((s) => s.username === username)!.id);
  for (const role of ['admin', 'manager', 'handler', 'customer'] as const) {
    const token = `${TOKEN_PREFIX}${randomSecret(32)}`;
    tokens[role] = token;
    await db.insert(apiTokens).values({
      id: newId(now), name: `read benchmark (${role})`, prefix: token.slice(0, 8), tokenHash: sha256(token),
      userId: userIdOf(BENCH_LOGINS[role]),
      scopes: role === 'admin' ? ['tickets:read', 'tickets:write', 'customers:read', 'admin']
        : role === 'customer' ? ['tickets:read', 'tickets:write'] : ['tickets:read', 'tickets:write', 'customers:read'],
    });
  }

  return {
    tokens,
    ctx: {
      now, tickets: ticketCount, customers: customerCount, eventBaseSec: Math.floor(windowStart / 1000) - 7 * 24 * 3600,
      departmentIds, categoryIds, formVersionIds, customerIds, knownCustomerUserId: customerUserId,
      staff: staff.map((s) => ({ username: s.username, id: s.id, role: s.role, departments: s.departments, head: s.head })),
    },
  };
}

/** Intake times: more tickets lately (three times as many now as two years ago), office hours busiest. */
function intakeTimes(now: number, windowStart: number): Float64Array {
  const hourWeights = [1, 1, 1, 1, 1, 1, 2, 4, 8, 9, 9, 8, 5, 6, 9, 9, 8, 7, 6, 5, 5, 4, 3, 2];
  const hourTotal = hourWeights.reduce((a, b) => a + b, 0);
  // Asia/Shanghai midnight at or before the window start.
  const firstMidnight = Math.floor((windowStart + 8 * 3600_000) / DAY) * DAY - 8 * 3600_000;
  const times = new Float64Array(ticketCount);
  let seed = 0x9e3779b9;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = 0; i < ticketCount; i++) {
    let t: number;
    do {
      const x = (-1 + Math.sqrt(1 + 8 * rand())) / 2; // inverse CDF of a density rising 1 → 3
      const day = Math.floor(x * SPAN_DAYS);
      let r = rand() * hourTotal;
      let hour = 0;
      while (r >= hourWeights[hour]!) r -= hourWeights[hour++]!;
      t = firstMidnight + day * DAY + hour * 3600_000 + Math.floor(rand() * 3600_000);
    } while (t > now - 120_000 || t < windowStart);
    times[i] = t;
  }
  return times.sort();
}

/** Index definitions dropped for the load and built again after it (not those behind constraints). */
async function secondaryIndexes(db: Db): Promise<Array<{ name: string; def: string }>> {
  return rowsOf<{ name: string; def: string }>(await db.execute(sql`
    select c.relname as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
    where t.relname in ('tickets', 'audit_events') and t.relnamespace = 'public'::regnamespace
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
    order by c.relname`));
}

async function triggersOnLoadedTables(db: Db): Promise<string[]> {
  const rows = rowsOf<{ t: string }>(await db.execute(sql`
    select tg.tgname || ' on ' || c.relname as t from pg_trigger tg join pg_class c on c.oid = tg.tgrelid
    where not tg.tgisinternal and c.relname in ('tickets', 'audit_events', 'customers', 'customer_identities')`));
  return rows.map((r) => r.t);
}

async function main(): Promise<void> {
  if (url) await ensureDatabase(url);
  log(`opening ${url ? `PostgreSQL ${new URL(url).pathname.slice(1)}` : `PGlite ${dataDir}`} (migrations)…`);
  const database = await openDatabase(url ? { databaseUrl: url, poolSize: 2 } : { dataDir });
  const { db } = database;
  try {
    await assertEmpty(db);
    const now = Math.floor(Date.now() / 1000) * 1000;
    const windowStart = now - SPAN_DAYS * DAY;
    const ref = await seedReference(db, now, windowStart);

    const times = intakeTimes(now, windowStart);
    const numbers: string[] = [];
    const perDay = new Map<string, number>();
    for (let i = 0; i < ticketCount; i++) {
      const day = shanghaiDay(new Date(times[i]!));
      const n = (perDay.get(day) ?? 0) + 1;
      perDay.set(day, n);
      numbers.push(formatTicketNumber(day, n));
    }
    // The counters continue where the seeded numbers end, so intake after the seed never collides.
    const counterRows = [...perDay].map(([day, last]) => ({ day, last }));
    for (let k = 0; k < counterRows.length; k += 1000) await db.insert(ticketCounters).values(counterRows.slice(k, k + 1000));

    const triggers = await triggersOnLoadedTables(db);
    if (triggers.length) log(`triggers that fire during the load: ${triggers.join(', ')}`);
    const deferred = args['keep-indexes'] ? [] : await secondaryIndexes(db);
    for (const ix of deferred) await db.execute(sql.raw(`drop index ${ix.name}`));
    if (deferred.length) log(`dropped ${deferred.length} secondary indexes for the load: ${deferred.map((i) => i.name).join(', ')}`);

    const totals = await loadTickets(db, ref.ctx, times, numbers, url ? 2 : 1);

    if (deferred.length) {
      const t0 = Date.now();
      for (const ix of deferred) {
        const t1 = Date.now();
        // In a transaction, so the setting applies on the pooled connection that builds the index.
        await db.transaction(async (tx) => {
          await tx.execute(sql.raw(`set local maintenance_work_mem = '${url ? '1GB' : '256MB'}'`));
          await tx.execute(sql.raw(ix.def));
        });
        log(`  index ${ix.name} built in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
      }
      log(`rebuilt ${deferred.length} indexes in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    // Event ids were given explicitly: the sequence continues after the largest one.
    await db.execute(sql`select setval(pg_get_serial_sequence('audit_events', 'id'), (select max(id) from audit_events))`);
    const tv = Date.now();
    await db.execute(sql`vacuum analyze`);
    log(`vacuum analyze in ${((Date.now() - tv) / 1000).toFixed(1)} s`);

    const lastDay = [...perDay.keys()].sort().at(-2) ?? [...perDay.keys()][0]!;
    const userOf = (username: string) => ref.ctx.staff.find((s) => s.username === username);
    const logins = {} as SeedManifest['logins'];
    for (const role of ['admin', 'manager', 'handler', 'customer'] as const) {
      const u = userOf(BENCH_LOGINS[role]);
      logins[role] = {
        token: ref.tokens[role], username: BENCH_LOGINS[role], userId: u?.id ?? ref.ctx.knownCustomerUserId,
        departmentIds: (u?.departments ?? []).map((c) => ref.ctx.departmentIds[c]!),
      };
    }
    const manifest: SeedManifest = {
      version: 1,
      database: url ? 'postgres' : 'pglite',
      seededAt: new Date().toISOString(),
      now: new Date(now).toISOString(),
      tickets: ticketCount,
      openTickets: totals.open,
      customers: customerCount,
      events: totals.events,
      logins,
      departments: ref.ctx.departmentIds,
      commonWords: COMMON_WORDS.map((word) => ({ word, tickets: totals.hits[word] ?? 0 })),
      twoWords: { words: TWO_WORDS, tickets: totals.hits[TWO_WORDS] ?? 0 },
      oneCharacter: ONE_CHARACTER,
      rareWords: RARE_WORDS.map((word) => ({ word, tickets: totals.hits[word] ?? 0 })),
      rareSerial: { serial: RARE_SERIAL, tickets: totals.hits[RARE_SERIAL] ?? 0 },
      knownPhone: customerOf(0).phone,
      knownCustomerTickets: totals.known,
      numberPrefixes: { year: `SH-${lastDay.slice(0, 4)}`, day: `SH-${lastDay}`, number: `SH-${lastDay}-00` },
      seedSeconds: Math.round((Date.now() - started) / 1000),
    };
    await saveManifest(db, manifest);
    const file = url
      ? path.join(root, 'bench/data', `postgres-${new URL(url).pathname.slice(1)}.json`)
      : path.join(dataDir!, 'bench-seed.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);

    const pct = (n: number) => `${((100 * n) / ticketCount).toFixed(2)} %`;
    log(`done: ${ticketCount} tickets (${pct(totals.open)} open), ${totals.events} audit events, ${customerCount} customers`
      + ` in ${manifest.seedSeconds} s`);
    for (const w of manifest.commonWords) log(`  common word ${w.word}: ${w.tickets} tickets (${pct(w.tickets)})`);
    log(`  two words "${TWO_WORDS}": ${manifest.twoWords.tickets} tickets; rare words: ${manifest.rareWords.map((w) => `${w.word} ${w.tickets}`).join(', ')};`
      + ` serial ${RARE_SERIAL}: ${manifest.rareSerial.tickets}`);
    log(`  known customer ${manifest.knownPhone}: ${totals.known} tickets (expected about ${KNOWN_CUSTOMER_TICKETS}); manifest in table bench_seed and ${path.relative(process.cwd(), file)}`);
  } finally {
    await database.close();
  }
}

/** Workers make chunks; the main thread writes them in order (the heap stays in time order). */
async function loadTickets(db: Db, ctx: SeedContext, times: Float64Array, numbers: string[], lanes: number) {
  // `--import tsx` does not reach worker threads on Node 20: each worker registers tsx itself.
  const entry = pathToFileURL(path.join(root, 'bench/seed-worker.ts')).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  const workers = Array.from({ length: workerCount }, () => new Worker(boot, {
    eval: true,
    workerData: ctx,
    execArgv: ['--conditions=source'],
  }));
  const chunks: number[] = [];
  for (let s = 0; s < ticketCount; s += chunkSize) chunks.push(s);
  // Bounded read-ahead: made but unwritten chunks hold memory (several MB of JSON each).
  const aheadLimit = workerCount * 3;
  const results = new Map<number, ChunkResult>();
  const waiters = new Map<number, (r: ChunkResult | null) => void>();
  let failure: Error | null = null;
  const resultOf = (start: number) => new Promise<ChunkResult>((resolve) => {
    const r = results.get(start);
    if (r) {
      results.delete(start);
      resolve(r);
    } else {
      waiters.set(start, resolve as (r: ChunkResult | null) => void);
    }
  });
  let dispatched = 0;
  let writtenChunks = 0;
  const idle: Worker[] = [];
  const canDispatch = () => dispatched < chunks.length && dispatched - writtenChunks < aheadLimit;
  const dispatch = (w: Worker) => {
    if (!canDispatch()) {
      idle.push(w);
      return;
    }
    const start = chunks[dispatched++]!;
    const end = Math.min(ticketCount, start + chunkSize);
    // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker thread, not a window
    w.postMessage({ start, createdAt: Array.from(times.subarray(start, end)), numbers: numbers.slice(start, end) });
  };
  for (const w of workers) {
    w.on('message', (r: ChunkResult) => {
      const waiter = waiters.get(r.start);
      if (waiter) {
        waiters.delete(r.start);
        waiter(r);
      } else {
        results.set(r.start, r);
      }
      dispatch(w);
    });
    w.on('error', (err) => {
      failure = err;
      for (const waiter of waiters.values()) waiter(null);
    });
  }
  // Two chunks queued per worker, so none waits for the next one.
  for (let k = 0; k < 2; k++) for (const w of workers) dispatch(w);

  const totals = { events: 0, open: 0, known: 0, hits: {} as Record<string, number> };
  let written = 0;
  // Where the writer's time goes: waiting for workers, or in the database.
  const spent = { wait: 0, tickets: 0, events: 0 };
  let lastLog = Date.now();
  const t0 = Date.now();
  try {
    // PostgreSQL writes on two connections (two backends, both cores); PGlite has one.
    let next = 0;
    const lane = async () => {
      for (;;) {
        if (next >= chunks.length || failure) return;
        const start = chunks[next++]!;
        const tw = Date.now();
        const r = await resultOf(start);
        if (failure) throw failure;
        const ti = Date.now();
        await insertJson(db, 'tickets', TICKET_COLUMNS, r.tickets);
        const te = Date.now();
        await insertJson(db, 'audit_events', EVENT_COLUMNS, r.events);
        spent.wait += ti - tw;
        spent.tickets += te - ti;
        spent.events += Date.now() - te;
        writtenChunks++;
        written += r.count;
        totals.events += r.eventCount;
        totals.open += r.open;
        for (const [w, n] of Object.entries(r.hits)) totals.hits[w] = (totals.hits[w] ?? 0) + n;
        while (idle.length && canDispatch()) dispatch(idle.shift()!);
        if (Date.now() - lastLog > 5000 || written === ticketCount) {
          lastLog = Date.now();
          const sec = (Date.now() - t0) / 1000;
          const eta = written < ticketCount ? `, ~${Math.round(((ticketCount - written) * sec) / written)} s left` : '';
          log(`${written.toLocaleString('en-US')} / ${ticketCount.toLocaleString('en-US')} tickets, ${totals.events.toLocaleString('en-US')} events:`
            + ` ${Math.round(written / sec)} tickets/s, ${Math.round((written + totals.events) / sec)} rows/s${eta}`
            + ` (writers: ${secs(spent.tickets)} tickets, ${secs(spent.events)} events, ${secs(spent.wait)} waiting for workers)`);
        }
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const [k] = rowsOf<{ n: unknown }>(await db.execute(sql`select count(*) as n from tickets where customer_id = ${ctx.customerIds[0]!}`));
  totals.known = toNumber(k?.n);
  return totals;
}

await main();
