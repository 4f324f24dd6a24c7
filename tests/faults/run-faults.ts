/**
 * Fault test (`npm run test:faults`, run by .ci/run after `npm test`): the real server as a
 * child process under intake load, while things go wrong around it.
 *
 *  kill     kill -9 of the server during intake, 5 trials on PGlite and 5 on PostgreSQL:
 *           every ticket answered 201 is in the database afterwards (reopened, checked by id).
 *  outage   on a PostgreSQL cluster of its own (spare port): `pg_ctl restart -m immediate`, then
 *           a 30 s stop, under load: the process survives, answers 503 + Retry-After within
 *           2 s, /healthz says unreachable, it recovers within 5 s of the database's return,
 *           and no acknowledged ticket is lost.
 *  trickle  a body sent at 1 byte/s, headers at 1 byte/s and an idle keep-alive connection are
 *           cut within the configured timeouts.
 *
 *   npm run test:faults -- [--only kill,outage,trickle] [--trials 5] [--stop-seconds 30]
 *   (FAULTS_DEBUG=1 also lists the slowest failing requests of each outage)
 *
 * Prints one line per check and a closing summary; exits non-zero when a check failed.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createCluster, pgAvailable, type PgCluster } from './lib/pg-cluster.js';
import { startLoad, type Outcome } from './lib/load.js';
import { freePort } from '../../bench/free-port.js';
import { missingTickets, openStore, seed, startServer, type Store } from './lib/server.js';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', default: 'kill,outage,trickle' },
    trials: { type: 'string', default: '5' },
    'stop-seconds': { type: 'string', default: '30' },
    connections: { type: 'string', default: '16' },
  },
});
const only = new Set(args.only.split(','));
const trials = Number(args.trials);
const stopSeconds = Number(args['stop-seconds']);
const connections = Number(args.connections);

/** The limits the issue sets. */
const FAIL_FAST_MS = 2_000;
const RECOVER_MS = 5_000;
/** Timeouts the trickle server runs with, and how late a cut may come (Node checks them on an interval). */
const TRICKLE = { requestMs: 5_000, headersMs: 3_000, keepAliveMs: 3_000, slackMs: 2_000 };

interface Check { name: string; ok: boolean; detail: string }
const checks: Check[] = [];
function check(name: string, ok: boolean, detail: string) {
  checks.push({ name, ok, detail });
  process.stdout.write(`${ok ? '  ok  ' : '  FAIL'} ${name}: ${detail}\n`);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'closeloop-faults-'));

async function createPgDatabase(cluster: PgCluster, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return cluster.url(name);
}

async function seedStore(store: Store) {
  const database = await openStore(store);
  try {
    return await seed(database.db);
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------
async function killTrials(label: string, store: Store) {
  const seeded = await seedStore(store);
  const allAcked: string[] = [];
  const perTrial: string[] = [];
  let lost: string[] = [];
  for (let trial = 1; trial <= trials; trial++) {
    const server = await startServer(store);
    const load = startLoad({ base: server.base, ...seeded, connections });
    // Kill at a random moment once the server is busy and has acknowledged some tickets.
    const busyBy = Date.now() + 15_000;
    while (load.acked().length < 30 && Date.now() < busyBy) await sleep(50);
    await sleep(200 + Math.random() * 1_300);
    await server.kill9();
    await load.stop();
    const acked = load.acked();
    const unanswered = load.outcomes.filter((o) => o.status === 0).length;
    allAcked.push(...acked);
    // Reopen the database (PGlite: crash recovery of the folder the dead process left) and
    // look for every ticket acknowledged so far, this trial's and the earlier ones'.
    const database = await openStore(store);
    try {
      lost = await missingTickets(database.db, allAcked);
    } finally {
      await database.close();
    }
    perTrial.push(`${acked.length} acked/${unanswered} unanswered`);
    if (acked.length === 0 || lost.length > 0) break;
  }
  check(`kill -9 under intake on ${label}`, allAcked.length > 0 && lost.length === 0 && perTrial.length === trials,
    `${perTrial.length} trials (${perTrial.join(', ')}); ${allAcked.length} tickets answered 201, ${lost.length} missing`
    + (lost.length ? ` e.g. ${lost.slice(0, 3).join(', ')}` : ''));
}

// ---------------------------------------------------------------------------------------------
interface Window { label: string; down: number; up: number; end: number }

/** Judges the answers during one outage window and the recovery after it. */
function judgeOutage(w: Window, outcomes: Outcome[]) {
  const inWindow = outcomes.filter((o) => o.end >= w.down && o.end < w.end);
  const failed = inWindow.filter((o) => o.status !== 201);
  const wrong = failed.filter((o) => o.status !== 503 || o.code !== 'DATABASE_UNAVAILABLE' || !o.retryAfter);
  // A request already in flight when the fault began is judged from that moment: it may have
  // been slow for ordinary reasons (a loaded machine) before the database went away.
  const wait = (o: Outcome) => o.end - Math.max(o.start, w.down);
  const slowest = failed.reduce((m, o) => Math.max(m, wait(o)), 0);
  const statuses = new Map<string, number>();
  for (const o of failed) {
    const k = o.status === 0 ? `no answer (${o.error})` : `${o.status}${o.code ? ` ${o.code}` : ''}${o.status === 503 && !o.retryAfter ? ' without Retry-After' : ''}`;
    statuses.set(k, (statuses.get(k) ?? 0) + 1);
  }
  const shown = [...statuses].map(([k, n]) => `${k} ×${n}`).join(', ') || 'none';
  check(`${w.label}: failing requests answer 503 + Retry-After within ${FAIL_FAST_MS / 1000} s of the fault or of being sent`,
    wrong.length === 0 && slowest <= FAIL_FAST_MS,
    `${inWindow.length} requests, failures: ${shown}; slowest failure ${Math.round(slowest)} ms`
    + (wrong[0] ? ` (e.g. ${wrong[0].status} ${wrong[0].code ?? wrong[0].error}: ${wrong[0].message ?? ''})` : '')
    + (process.env.FAULTS_DEBUG ? `\n      slowest: ${[...failed].sort((a, b) => wait(b) - wait(a)).slice(0, 5)
      .map((o) => `+${Math.round(o.start - w.down)}..+${Math.round(o.end - w.down)} ${o.status} ${o.message ?? o.error ?? ''}`).join('\n               ')}` : ''));

  const firstOk = outcomes.find((o) => o.status === 201 && o.start >= w.up);
  const recoveredIn = firstOk ? firstOk.end - w.up : Infinity;
  // Requests still in flight when the next fault began are judged with that one.
  const late = outcomes.filter((o) => o.start >= w.up + RECOVER_MS && o.end < w.end && o.status !== 201);
  const lateFailures = late.length;
  check(`${w.label}: recovers within ${RECOVER_MS / 1000} s of the database's return`,
    recoveredIn <= RECOVER_MS && lateFailures === 0,
    `first 201 ${Number.isFinite(recoveredIn) ? `${Math.round(recoveredIn)} ms` : 'never'} after the database was back;`
    + ` ${lateFailures} failures later than ${RECOVER_MS / 1000} s after it`
    + (late[0] ? ` (e.g. at +${Math.round(late[0].start - w.up)} ms: ${late[0].status} ${late[0].code ?? late[0].error} ${late[0].message ?? ''})` : ''));
}

async function outage(cluster: PgCluster) {
  const store: Store = { dataDir: tempDir(), databaseUrl: await createPgDatabase(cluster, 'closeloop_faults_outage') };
  const seeded = await seedStore(store);
  const server = await startServer(store);
  const load = startLoad({ base: server.base, ...seeded, connections });
  const windows: Window[] = [];
  const health: { at: number; ms: number; status: number; body: string }[] = [];
  try {
    await sleep(3_000);
    const restartAt = load.now();
    await cluster.restartImmediate();
    const restartUp = load.now();
    await sleep(8_000);
    windows.push({ label: 'pg_ctl restart -m immediate', down: restartAt, up: restartUp, end: load.now() });

    const stopAt = load.now();
    await cluster.stop();
    const probeUntil = Date.now() + stopSeconds * 1_000;
    while (Date.now() < probeUntil) {
      const t = performance.now();
      try {
        const res = await fetch(`${server.base}/healthz`, { signal: AbortSignal.timeout(5_000) });
        health.push({ at: load.now(), ms: performance.now() - t, status: res.status, body: await res.text() });
      } catch (err) {
        health.push({ at: load.now(), ms: performance.now() - t, status: 0, body: (err as Error).message });
      }
      await sleep(1_000);
    }
    await cluster.start();
    const startUp = load.now();
    await sleep(8_000);
    windows.push({ label: `stopped for ${stopSeconds} s`, down: stopAt, up: startUp, end: load.now() });
  } finally {
    await load.stop();
  }
  const alive = server.alive();
  let finalHealth = 0;
  try {
    finalHealth = (await fetch(`${server.base}/healthz`, { signal: AbortSignal.timeout(5_000) })).status;
  } catch {
    finalHealth = 0;
  }
  await server.stop();
  check('server process survives the restart and the stop', alive && finalHealth === 200,
    alive ? `still running, /healthz ${finalHealth} at the end` : `exited (${server.child.exitCode ?? server.child.signalCode}):\n${server.output()}`);
  for (const w of windows) judgeOutage(w, load.outcomes);

  const badHealth = health.filter((h) => h.status !== 503 || h.ms > FAIL_FAST_MS || !/"ok":false/.test(h.body) || !/unreachable/.test(h.body));
  check('/healthz while the database is stopped', health.length > 0 && badHealth.length === 0,
    `${health.length} probes, ${badHealth.length} not 503 {ok:false, database:'unreachable'} within ${FAIL_FAST_MS / 1000} s;`
    + ` slowest ${Math.round(Math.max(0, ...health.map((h) => h.ms)))} ms`
    + (badHealth[0] ? `; e.g. ${badHealth[0].status} ${badHealth[0].body.slice(0, 80)}` : ''));

  const acked = load.acked();
  const database = await openStore(store);
  let lost: string[];
  try {
    lost = await missingTickets(database.db, acked);
  } finally {
    await database.close();
  }
  check('no acknowledged ticket lost across the restart and the stop', acked.length > 0 && lost.length === 0,
    `${acked.length} tickets answered 201, ${lost.length} missing`);
  fs.rmSync(store.dataDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
/** Opens a raw connection, sends `head`, then one byte of `drip` per second; resolves when the server closes it. */
function trickle(port: number, head: string, drip: string): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    let i = 0;
    const timer = setInterval(() => { socket.write(drip[i++ % drip.length]!); }, 1_000);
    const give = setTimeout(() => socket.destroy(), 60_000);
    socket.on('data', (d) => { answer += d.toString(); });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(give);
      resolve({ ms: performance.now() - t0, answer: answer.split('\r\n')[0] ?? '' });
    });
    socket.write(head);
  });
}

/** One complete request on a keep-alive connection, then silence: when does the server close it? */
function idleAfterRequest(port: number): Promise<{ ms: number; answered: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answered = false;
    let idleSince = performance.now();
    socket.on('data', () => {
      answered = true;
      idleSince = performance.now();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve({ ms: performance.now() - idleSince, answered }));
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    setTimeout(() => socket.destroy(), 60_000);
  });
}

async function slowClients() {
  const store: Store = { dataDir: tempDir() };
  const seeded = await seedStore(store);
  const server = await startServer(store, {
    CLOSELOOP_REQUEST_TIMEOUT_MS: String(TRICKLE.requestMs),
    CLOSELOOP_HEADERS_TIMEOUT_MS: String(TRICKLE.headersMs),
    CLOSELOOP_KEEP_ALIVE_TIMEOUT_MS: String(TRICKLE.keepAliveMs),
  });
  try {
    const [body, headers, idle] = await Promise.all([
      trickle(server.port,
        `POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${seeded.token}\r\n`
        + 'Content-Type: application/json\r\nContent-Length: 2000\r\n\r\n{',
        '"title":"空调异响"'),
      trickle(server.port, 'POST /api/v1/tickets HTTP/1.1\r\n', 'X-Slow: yes\r\n'),
      idleAfterRequest(server.port),
    ]);
    const within = (ms: number, limit: number) => ms <= limit + TRICKLE.slackMs;
    check(`a body trickled at 1 byte/s is cut (request timeout ${TRICKLE.requestMs / 1000} s)`, within(body.ms, TRICKLE.requestMs),
      `closed after ${(body.ms / 1000).toFixed(1)} s, answer ${JSON.stringify(body.answer)}`);
    check(`headers trickled at 1 byte/s are cut (headers timeout ${TRICKLE.headersMs / 1000} s)`, within(headers.ms, TRICKLE.headersMs),
      `closed after ${(headers.ms / 1000).toFixed(1)} s, answer ${JSON.stringify(headers.answer)}`);
    check(`an idle keep-alive connection is closed (keep-alive timeout ${TRICKLE.keepAliveMs / 1000} s)`,
      idle.answered && within(idle.ms, TRICKLE.keepAliveMs), `closed ${(idle.ms / 1000).toFixed(1)} s after the answer`);
    const after = await fetch(`${server.base}/healthz`).then((r) => r.status, () => 0);
    check('the server still answers after the slow clients', after === 200 && server.alive(), `/healthz ${after}`);
  } finally {
    await server.stop();
    fs.rmSync(store.dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
const started = Date.now();
process.stdout.write(`fault tests (${[...only].join(', ')}), ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}\n`);
let cluster: PgCluster | null = null;
try {
  const needsPg = only.has('kill') || only.has('outage');
  const pgMissing = needsPg ? pgAvailable() : null;
  if (needsPg && pgMissing) check('PostgreSQL cluster for the fault test', false, pgMissing);
  else if (needsPg) cluster = await createCluster(await freePort());

  if (only.has('trickle')) await slowClients();
  if (only.has('kill')) {
    const pgliteDir = tempDir();
    try {
      await killTrials('PGlite', { dataDir: pgliteDir });
    } finally {
      fs.rmSync(pgliteDir, { recursive: true, force: true });
    }
    if (cluster) {
      const dir = tempDir();
      await killTrials('PostgreSQL', { dataDir: dir, databaseUrl: await createPgDatabase(cluster, 'closeloop_faults_kill') });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only.has('outage') && cluster) await outage(cluster);
} catch (err) {
  check('fault test ran to the end', false, (err as Error).stack ?? String(err));
} finally {
  await cluster?.destroy();
}

const failed = checks.filter((c) => !c.ok);
process.stdout.write(`\nfault tests: ${failed.length === 0 ? 'all' : `${checks.length - failed.length} of`} ${checks.length} checks ok`
  + `${failed.length ? `, ${failed.length} FAILED (${failed.map((c) => c.name).join('; ')})` : ''}`
  + ` in ${Math.round((Date.now() - started) / 1000)} s, load average ${os.loadavg()[0]!.toFixed(1)}\n`);
process.exit(failed.length ? 1 : 0);
