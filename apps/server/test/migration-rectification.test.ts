/**
 * Migration 0008 (rectification) on a database made at 0007 holding tickets with the JSON
 * analysis / plan / acceptance the previous release wrote: the analysis becomes a row (causes as
 * hypotheses, 5-Why strings as answers), the plan version 1 with new measure ids (done measures
 * done on an approved plan, a rejected plan keeps its opinion from the audit trail), the
 * acceptance verdict one round; and measure owners keep seeing their tickets.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/auth/actor.js';
import type { Database, Db } from '../src/db/client.js';
import { acceptanceRounds, rectAnalyses, rectMeasures, rectPlans, tickets } from '../src/db/schema.js';
import { newId } from '../src/db/util.js';
import { visibleTicketsWhere } from '../src/tickets/access.js';
import { backends } from './backends.js';
import { openAtMigration, type OldDatabase } from './migrations.js';

describe.each(backends)('migration 0008 over a 0007 database on $name', (backend) => {
  let database: Database;
  let old: OldDatabase | undefined;
  const refs = { category: newId(), customer: newId(), department: newId(), handler: newId(), other: newId(), verifier: newId() };
  const ids = { approved: newId(), rejected: newId(), review: newId(), plain: newId() };

  const analysis = {
    directCause: '压缩机减震垫老化', rootCause: '供应商减震垫材料硬度超差', rootCauseClass: 'supplier',
    fiveWhys: ['为什么异响？压缩机振动传到外壳。', '为什么振动？减震垫失效。'], responsibleDepartmentId: '',
  };
  const plan = (done: boolean[]) => ({
    summary: '更换减震垫并加严来料检验',
    measures: done.map((d, i) => ({
      action: `措施 ${i + 1}`, criterion: i === 0 ? '噪音 < 45 dB 连续 24 h' : '连续 3 批合格',
      ...(i === 0 ? { ownerId: refs.other, dueDate: '2026-11-30' } : {}),
      done: d, doneAt: d ? '2026-11-25T02:00:00.000Z' : null, note: d ? '已完成' : null,
    })),
  });

  async function insertOldTicket(db: Db, id: string, n: number, status: string, json: { analysis?: unknown; plan?: unknown; acceptance?: unknown }) {
    // What 0007's lifecycle wrote: the stage documents as JSON on the row.
    await db.execute(sql`insert into tickets (id, number, title, description, channel, status, priority, priority_rank,
      urgency, process_template, category_id, customer_id, product, occurred_at, department_id, owner_id, analysis, plan, acceptance)
      values (${id}, ${`SH-20261101-${String(n).padStart(4, '0')}`}, '空调异响', '空调异响', 'phone', ${status}, 'P2', 2, 'medium', 'full',
      ${refs.category}, ${refs.customer}, ${JSON.stringify({ model: 'KFR-35GW' })}::jsonb, now(), ${refs.department}, ${refs.handler},
      ${json.analysis ? JSON.stringify(json.analysis) : null}::jsonb, ${json.plan ? JSON.stringify(json.plan) : null}::jsonb,
      ${json.acceptance ? JSON.stringify(json.acceptance) : null}::jsonb)`);
  }
  async function audit(db: Db, ticketId: string, seq: number, type: string, data: Record<string, unknown>) {
    await db.execute(sql`insert into audit_events (chain, seq, ticket_id, type, actor_id, actor_kind, at, data, prev_hash, hash)
      values (${`ticket:${ticketId}`}, ${seq}, ${ticketId}, ${type}, ${refs.handler}, 'user', now(), ${JSON.stringify(data)}::jsonb, 'x', ${`h${seq}`})`);
  }

  beforeAll(async () => {
    old = await openAtMigration(backend, '0007_least_open_picks');
    database = old.database;
    const db = database.db;
    analysis.responsibleDepartmentId = refs.department;
    await db.execute(sql`insert into departments (id, name, code) values (${refs.department}, '品质部', 'qa')`);
    for (const [id, name, role] of [[refs.handler, 'h1', 'handler'], [refs.other, 'h2', 'handler'], [refs.verifier, 'v1', 'verifier']] as const) {
      await db.execute(sql`insert into users (id, username, display_name, password_hash, role) values (${id}, ${name}, ${name}, 'x', ${role})`);
    }
    await db.execute(sql`insert into categories (id, code, name, process_template) values (${refs.category}, 'q', '质量问题', 'full')`);
    await db.execute(sql`insert into customers (id, name) values (${refs.customer}, '王芳')`);

    await insertOldTicket(db, ids.approved, 1, 'follow_up', {
      analysis, plan: plan([true, true]),
      acceptance: { result: 'passed', note: '实测 42 dB', verifierId: refs.verifier, at: '2026-11-26T03:00:00.000Z' },
    });
    await audit(db, ids.approved, 1, 'ticket.submit_plan', {});
    await audit(db, ids.approved, 2, 'ticket.approve_plan', { opinion: '同意' });
    await insertOldTicket(db, ids.rejected, 2, 'analyzing', { analysis, plan: plan([false, false]) });
    await audit(db, ids.rejected, 1, 'ticket.submit_plan', {});
    await audit(db, ids.rejected, 2, 'ticket.reject_plan', { opinion: '根因未验证' });
    await insertOldTicket(db, ids.review, 3, 'rectifying', { analysis, plan: plan([true, false]) });
    await insertOldTicket(db, ids.plain, 4, 'assigned', {});

    await old.migrateToLatest();
  });
  afterAll(async () => { await old?.close(); });

  it('moves the analysis into rows and denormalises class and department onto the ticket', async () => {
    const db = database.db;
    const [a] = await db.select().from(rectAnalyses).where(eq(rectAnalyses.ticketId, ids.approved));
    expect(a!.content).toEqual({
      directCause: { text: '压缩机减震垫老化', certainty: 'hypothesis', evidenceAttachmentIds: [] },
      rootCause: { text: '供应商减震垫材料硬度超差', certainty: 'hypothesis', evidenceAttachmentIds: [] },
      rootCauseClass: 'supplier', responsibleDepartmentId: refs.department,
      fiveWhys: [{ why: '为什么（1）', answer: '为什么异响？压缩机振动传到外壳。' }, { why: '为什么（2）', answer: '为什么振动？减震垫失效。' }],
      fishbone: [], evidenceAttachmentIds: [],
    });
    const [t] = await db.select().from(tickets).where(eq(tickets.id, ids.approved));
    expect(t).toMatchObject({ rootCauseClass: 'supplier', responsibleDepartmentId: refs.department, measuresTotal: 2, measuresDone: 2 });
    expect((await db.select().from(rectAnalyses).where(eq(rectAnalyses.ticketId, ids.plain)))).toEqual([]);
  });

  it('makes the plan version 1, its status from the audit trail, with measures as tasks on an approved plan', async () => {
    const db = database.db;
    const plans = await db.select().from(rectPlans);
    const byTicket = new Map(plans.map((p) => [p.ticketId, p]));
    expect(byTicket.get(ids.approved)).toMatchObject({ version: 1, status: 'approved', opinion: '同意', summary: '更换减震垫并加严来料检验' });
    expect(byTicket.get(ids.rejected)).toMatchObject({ version: 1, status: 'rejected', opinion: '根因未验证' });
    // No decision in the trail: a rectifying ticket's plan was approved.
    expect(byTicket.get(ids.review)).toMatchObject({ version: 1, status: 'approved' });
    expect(byTicket.has(ids.plain)).toBe(false);

    const ms = await db.select().from(rectMeasures).where(eq(rectMeasures.ticketId, ids.review)).orderBy(rectMeasures.seq);
    expect(ms.map((m) => [m.seq, m.status, m.ownerId, m.dueDate, m.note])).toEqual([
      [0, 'done', refs.other, '2026-11-30', '已完成'], [1, 'todo', null, null, null],
    ]);
    expect(ms[0]!.criterion).toEqual({ kind: 'check', text: '噪音 < 45 dB 连续 24 h' });
    expect(ms[0]!.completedAt?.toISOString()).toBe('2026-11-25T02:00:00.000Z');
    expect(new Set(ms.map((m) => m.id)).size).toBe(2);
    const rejected = await db.select().from(rectMeasures).where(eq(rectMeasures.ticketId, ids.rejected));
    expect(rejected.map((m) => m.status)).toEqual([null, null]);
    const [t] = await db.select().from(tickets).where(eq(tickets.id, ids.review));
    expect(t).toMatchObject({ measuresTotal: 2, measuresDone: 1, measureOwnerIds: [refs.other] });
  });

  it('makes the acceptance verdict round 1', async () => {
    const rounds = await database.db.select().from(acceptanceRounds);
    expect(rounds).toHaveLength(1);
    expect(rounds[0]).toMatchObject({ ticketId: ids.approved, round: 1, status: 'passed', result: '实测 42 dB', completedBy: refs.verifier });
    expect(rounds[0]!.completedAt?.toISOString()).toBe('2026-11-26T03:00:00.000Z');
  });

  it('a measure owner of another department still sees the ticket (through the new index path)', async () => {
    const actor: Actor = { kind: 'user', userId: refs.other, role: 'handler', departmentIds: [], customerId: null, scopes: [] };
    const seen = await database.db.select({ id: tickets.id }).from(tickets).where(visibleTicketsWhere(actor));
    expect(seen.map((r) => r.id).sort()).toEqual([ids.approved, ids.rejected, ids.review].sort());
  });
});
