/**
 * Migration 0008 (approvals) on a database made at 0007 holding a ticket waiting in plan_review
 * (the old "any manager approves" step): after the upgrade the start-up step opens its plan gate
 * — with no flow attached it passes to rectifying, so no plan is left stuck now that approve_plan
 * is the system's. (Plans submitted after the upgrade: test/approvals/approvals.test.ts.)
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import { flowInstances, tickets } from '../src/db/schema.js';
import { newId } from '../src/db/util.js';
import { openPendingPlanGates } from '../src/approvals/open-pending-gates.js';
import { backends } from './backends.js';
import { openAtMigration, type OldDatabase } from './migrations.js';

describe.each(backends)('migration 0008 (approvals) over a 0007 database on $name', (backend) => {
  let database: Database;
  let old: OldDatabase | undefined;
  const refs = { category: newId(), customer: newId(), department: newId(), user: newId(), ticket: newId() };

  beforeAll(async () => {
    old = await openAtMigration(backend, '0007_least_open_picks');
    database = old.database;
    const db = database.db;
    await db.execute(sql`insert into departments (id, name, code) values (${refs.department}, '质量部', 'qa')`);
    await db.execute(sql`insert into users (id, username, display_name, password_hash, role) values (${refs.user}, 'h1', '何俊', 'x', 'handler')`);
    await db.execute(sql`insert into categories (id, code, name, process_template) values (${refs.category}, 'quality', '质量故障', 'full')`);
    await db.execute(sql`insert into customers (id, name) values (${refs.customer}, '王芳')`);
    await db.execute(sql`insert into tickets (id, number, title, description, channel, status, priority, priority_rank,
      urgency, process_template, category_id, customer_id, product, occurred_at, department_id, owner_id, plan)
      values (${refs.ticket}, 'SH-20261130-0001', '电机异响', '电机异响', 'phone', 'plan_review', 'P2', 2, 'medium', 'full',
      ${refs.category}, ${refs.customer}, '{}'::jsonb, now(), ${refs.department}, ${refs.user},
      ${JSON.stringify({ summary: '更换轴承', measures: [{ action: '更换轴承', criterion: '噪音 < 45 dB', done: false, doneAt: null, note: null }] })}::jsonb)`);
    await old.migrateToLatest();
  });
  afterAll(async () => { await old?.close(); });

  it('creates the approval tables and passes the gate of a plan waiting from before', async () => {
    expect(await database.db.select().from(flowInstances)).toEqual([]);
    expect(await openPendingPlanGates({ db: database.db })).toEqual({ opened: 0, passed: 1 });
    const [t] = await database.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, refs.ticket));
    expect(t!.status).toBe('rectifying');
    // A second start finds nothing to do.
    expect(await openPendingPlanGates({ db: database.db })).toEqual({ opened: 0, passed: 0 });
  });
});
