/**
 * bench:export — a 100,000-row ticket export on PostgreSQL, as a background job.
 * Seeds the rows with set-based SQL into its own fresh database (BENCH_DATABASE_URL names the
 * server; a database cl_bench_export_<random> is created and dropped), builds the app in this
 * process, signs in an admin, POSTs /exports {list: tickets, async: true}, polls the job until
 * done and reports the time and the growth of this process' RSS (the server's) over the run,
 * sampled every 50 ms, and the CPU seconds the app process spent (wall time on a shared, loaded machine
 * says more about the neighbours than about the export). Run twice (BENCH_RUNS) to see the spread. Prints /proc/loadavg.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { hash } from '@node-rs/argon2';
import pg from 'pg';
import ExcelJS from 'exceljs';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { openDatabase } from '../apps/server/src/db/client.js';

const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ORIGIN = 'http://127.0.0.1:3000';

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(sql);
  await c.end();
}

async function main(): Promise<void> {
  const name = `cl_bench_export_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), migrate: true });
  try {
    const pw = await hash('bench-password-1');
    const t0 = Date.now();
    const seed = new pg.Client({ connectionString: url.toString() });
    await seed.connect();
    await seed.query(`
      insert into departments (id, name, code) values ('00000000-0000-7000-8000-000000000001', '售后部', 'after');
      insert into categories (id, code, name, process_template) values ('00000000-0000-7000-8000-000000000002', 'q', '质量问题', 'full');
      insert into users (id, username, display_name, password_hash, role) values ('00000000-0000-7000-8000-000000000003', 'bench_admin', '管理员', $1, 'admin');
    `.replace('$1', `'${pw}'`));
    await seed.query(`
      insert into customers (id, name, phone)
      select ('00000000-0000-7000-9000-' || lpad(to_hex(g), 12, '0'))::uuid, '客户' || g, '139' || lpad(g::text, 8, '0')
      from generate_series(1, 5000) g;
      insert into tickets (id, number, title, description, channel, status, priority, priority_rank, urgency, process_template,
        category_id, customer_id, product, occurred_at, department_id, created_at, updated_at)
      select ('00000000-0000-7000-a000-' || lpad(to_hex(g), 12, '0'))::uuid, 'SH-2026-' || lpad(g::text, 7, '0'),
        case when g % 1000 = 0 then '=HYPERLINK("x")' else '空调制冷效果差 第' || g || '单' end, '客户反映空调制冷效果差',
        (array['phone','web','email','store'])[1 + g % 4], (array['registered','assigned','analyzing','closed'])[1 + g % 4],
        (array['P1','P2','P3'])[1 + g % 3], 1 + g % 3, 'medium', 'full',
        '00000000-0000-7000-8000-000000000002', ('00000000-0000-7000-9000-' || lpad(to_hex(1 + g % 5000), 12, '0'))::uuid,
        '{"model":"KFR-35GW"}'::jsonb, now() - make_interval(mins => g), '00000000-0000-7000-8000-000000000001',
        now() - make_interval(mins => g), now() - make_interval(mins => g)
      from generate_series(1, ${ROWS}) g;
      analyze tickets;
    `);
    await seed.end();
    console.log(`seeded ${ROWS} tickets in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const config = loadConfig({
      CLOSELOOP_DATA_DIR: `/tmp/closeloop-bench-export-${process.pid}`, CLOSELOOP_LOG_LEVEL: 'silent', CLOSELOOP_BASE_URL: ORIGIN,
    });
    const app = await buildApp({ config, database, logger: false });
    await app.ready();
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN }, payload: { username: 'bench_admin', password: 'bench-password-1' } });
    const cookie = login.cookies.find((c) => c.name === 'cl_session');
    if (!cookie) throw new Error(`login failed: ${login.body}`);
    const headers = { cookie: `cl_session=${cookie.value}`, origin: ORIGIN };

    for (let run = 1; run <= RUNS; run += 1) {
      global.gc?.();
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
      const start = Date.now();
      const cpu0 = process.cpuUsage();
      const res = await app.inject({ method: 'POST', url: '/api/v1/exports', headers, payload: { list: 'tickets', query: { sort: 'createdAt', order: 'desc' }, async: true } });
      if (res.statusCode !== 202) throw new Error(`export: ${res.statusCode} ${res.body}`);
      const id = JSON.parse(res.body).id as string;
      let job: { status: string; rowsDone: number; rowsTotal: number | null } = JSON.parse(res.body);
      while (job.status === 'running') {
        await new Promise((r) => setTimeout(r, 200));
        job = JSON.parse((await app.inject({ method: 'GET', url: `/api/v1/exports/${id}`, headers })).body);
      }
      const secs = (Date.now() - start) / 1000;
      const cpu = process.cpuUsage(cpu0);
      clearInterval(sampler);
      if (job.status !== 'done') throw new Error(`export ${job.status}`);
      const file = await app.inject({ method: 'GET', url: `/api/v1/exports/${id}/file`, headers });
      // Count the rows of the file with the streaming reader (not part of the timing).
      let rows = 0;
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file.rawPayload]), {});
      for await (const ws of reader) for await (const row of ws) if (row) rows += 1;
      console.log(`run ${run}: ${job.rowsDone} rows (file ${rows - 1} data rows, ${(file.rawPayload.length / 1e6).toFixed(1)} MB) in ${secs.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU of the app process; `
        + `RSS ${(rss0 / 1e6).toFixed(0)} MB → peak ${(peak / 1e6).toFixed(0)} MB (growth ${((peak - rss0) / 1e6).toFixed(0)} MB)`);
    }
    console.log(`loadavg: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
    await app.close();
  } finally {
    await database.close();
    await admin(`drop database if exists ${name} with (force)`);
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
