/**
 * Timers shared by several runner instances: 1,000 tickets (on PostgreSQL; 200 on PGlite) whose
 * breaches fall due within the same second, three runners on their own connection pools, one
 * stopped midway and one "crashed" instance holding a lease on part of the batch. Every breach
 * fires exactly once: one firing, one `sla.breached` audit event and one escalation notification
 * per recipient — and none is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { openDatabase, sqlOf, type Database, type Db } from '../../src/db/client.js';
import { departments, userDepartments } from '../../src/db/schema.js';
import { rowsOf, toNumber } from '../../src/db/util.js';
import { runOutboxOnce } from '../../src/jobs/runner.js';
import { startTimerRunner, type TimerRunner } from '../../src/sla/timer-runner.js';
import { backends } from '../backends.js';
import { makeCategory, makeCustomer, makeDepartment, makeUser } from '../harness.js';
import { createDueClocks } from './due-clocks.js';

const quiet = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const CRASH_CLAIM = `update timers set status = 'running', locked_by = 'crashed-instance', attempts = attempts + 1,
    locked_until = now() + interval '1500 milliseconds'
  where id in (select id from timers where status = 'pending' and due_at <= now() order by due_at limit 50 for update skip locked)
  returning id`;

describe.each(backends)('SLA timers with three runner instances on $name', (backend) => {
  const N = backend.name === 'postgres' ? 1000 : 200;
  let database: Database & { url?: string };
  let db: Db;
  const instances: Database[] = [];

  beforeAll(async () => { database = await backend.open(); db = database.db; });
  afterAll(async () => {
    for (const d of instances) await d.close();
    await database?.close();
  });

  it(`fires each of ${N} breaches due in the same second exactly once, losing none when runners stop or crash`, { timeout: 180_000 }, async () => {
    const dept = await makeDepartment(db);
    const manager = await makeUser(db, 'manager', { departmentIds: [dept.id], email: 'manager@example.com' });
    await db.update(departments).set({ headUserId: manager.id }).where(eq(departments.id, dept.id));
    await db.update(userDepartments).set({ isHead: true }).where(eq(userDepartments.userId, manager.id));
    const owner = await makeUser(db, 'handler', { departmentIds: [dept.id], email: 'owner@example.com' });
    const category = await makeCategory(db);
    const customer = await makeCustomer(db);
    // Due in the next whole second but one, all within that second.
    const dueAt = new Date(Math.ceil((Date.now() + 2_000) / 1000) * 1000);
    await createDueClocks({
      db, prefix: `MULTI${backend.name}`, count: N, from: dueAt, spreadMs: 999, categoryId: category.id,
      customerId: customer.id, departmentId: dept.id, ownerId: owner.id,
    });

    // Each runner is its own "instance": a pool of its own on PostgreSQL (PGlite has one connection).
    const handleOf = async () => {
      if (!database.url) return db;
      const d = await openDatabase({ databaseUrl: database.url, poolSize: 3, migrate: false });
      instances.push(d);
      return d.db;
    };
    const handles = [await handleOf(), await handleOf(), await handleOf()];

    while (Date.now() < dueAt.getTime() + 1_000) await sleep(20);
    // An instance that claimed part of the batch and died: its lease runs out, others take over.
    const crashed = await sqlOf(db).query<{ id: string }>(CRASH_CLAIM);
    expect(crashed.length).toBe(50);

    let firedByA = 0;
    const runners: TimerRunner[] = [];
    let stoppingA: Promise<void> | null = null;
    runners.push(startTimerRunner({
      db: handles[0]!, log: quiet, instanceId: 'runner-a', pollMs: 50, batchSize: 100,
      onPass: (r) => {
        firedByA += r.fired;
        // Stopped midway, as an instance is during a rolling deploy.
        if (firedByA >= N / 5 && !stoppingA) stoppingA = runners[0]!.stop();
      },
    }));
    runners.push(startTimerRunner({ db: handles[1]!, log: quiet, instanceId: 'runner-b', pollMs: 50, batchSize: 100 }));
    runners.push(startTimerRunner({ db: handles[2]!, log: quiet, instanceId: 'runner-c', pollMs: 50, batchSize: 100 }));

    const breaches = async () => toNumber(rowsOf<{ n: unknown }>(await db.execute(sql`select count(*) as n from sla_firings where kind = 'breach'`))[0]?.n);
    const deadline = Date.now() + 120_000;
    while (await breaches() < N && Date.now() < deadline) await sleep(200);
    await stoppingA;
    for (const r of runners) await r.stop();
    expect(firedByA).toBeGreaterThan(0);
    expect(await breaches()).toBe(N);

    for (let i = 0; i < 200 && await runOutboxOnce({ db, instanceId: 'outbox-test', batchSize: 500 }) > 0; i++) { /* drain */ }

    const [counts] = rowsOf<Record<string, unknown>>(await db.execute(sql`select
      (select count(*) from sla_firings where kind = 'breach') as firings,
      (select count(distinct clock_id) from sla_firings where kind = 'breach') as clocks,
      (select count(*) from audit_events where type = 'sla.breached') as events,
      (select count(distinct ticket_id) from audit_events where type = 'sla.breached') as event_tickets,
      (select count(*) from notifications where kind = 'sla_breach') as notes,
      (select count(distinct (ticket_id, user_id)) from notifications where kind = 'sla_breach') as note_pairs,
      (select count(*) from email_deliveries where kind = 'sla_breach') as mails,
      (select count(distinct (ticket_id, user_id)) from email_deliveries where kind = 'sla_breach' and template = 'sla_breach') as mail_pairs,
      (select count(*) from timers where kind = 'sla.breach' and status = 'done') as timers_done,
      (select count(*) from timers where kind = 'sla.breach' and status <> 'done') as timers_left,
      (select count(*) from tickets where sla_state = 'breached') as flagged,
      (select count(*) from timers where kind = 'sla.level2' and status = 'pending') as level2_armed,
      (select count(distinct fired_by) from sla_firings where kind = 'breach') as instances`));
    const n = Object.fromEntries(Object.entries(counts!).map(([k, v]) => [k, toNumber(v)]));
    expect(n).toEqual({
      firings: N, clocks: N, events: N, event_tickets: N,
      // The owner and the group manager, once each per ticket.
      notes: 2 * N, note_pairs: 2 * N,
      // …and one escalation e-mail each (recorded once, rendered from the sla_breach template).
      mails: 2 * N, mail_pairs: 2 * N,
      timers_done: N, timers_left: 0, flagged: N, level2_armed: N,
      instances: n.instances,
    });
    // The work was shared (on PGlite the one connection serialises, yet the runners still interleave).
    expect(n.instances).toBeGreaterThanOrEqual(2);
  });
});
