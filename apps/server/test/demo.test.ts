/**
 * First start: the admin login and the demo data, on one database seeded once for the whole file
 * (seeding plays ~200 tickets through the real use cases, which takes a while).
 */
import { and, asc, count, eq } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TICKET_STATUSES } from '@closeloop/contract';
import { bootstrap } from '../src/bootstrap.js';
import { verifyAuditChain } from '../src/audit/verify-chain.js';
import { openDatabase, type Database, type Db } from '../src/db/client.js';
import {
  auditEvents, categories, customers, departments, rectAnalyses, rectMeasures, rectPlans, tickets, userDepartments, users,
} from '../src/db/schema.js';
import { toNumber } from '../src/db/util.js';
import { DEMO_CATEGORIES } from '../src/demo/categories.js';
import { backends } from './backends.js';
import { createTestApp, json, login, makeDepartment, type TestApp } from './harness.js';

const SEED_TIMEOUT = 240_000;

async function counts(db: Db) {
  const n = async (table: PgTable) => toNumber((await db.select({ n: count() }).from(table))[0]?.n);
  return {
    users: await n(users), departments: await n(departments), memberships: await n(userDepartments),
    categories: await n(categories), customers: await n(customers), tickets: await n(tickets),
    events: await n(auditEvents),
  };
}

function valueAfter(lines: string[], pattern: RegExp): string {
  for (const l of lines) {
    const m = pattern.exec(l);
    if (m) return m[1]!;
  }
  throw new Error(`no line matches ${pattern}:\n${lines.join('\n')}`);
}

describe.each(backends)('first start with demo data on $name', (backend) => {
  let t: TestApp;
  let other: Database | null = null;
  /** Lines printed by the instance(s) at first start. */
  let firstLines: string[][] = [];

  const start = (db: Db) => bootstrap({ db, config: t.config, log: t.app.log });

  beforeAll(async () => {
    t = await createTestApp(backend);
    if (backend.name === 'postgres') {
      // Two instances starting at the same moment on one database: one seeds, the other waits.
      other = await openDatabase({ databaseUrl: (t.database as Database & { url: string }).url, migrate: false });
      firstLines = (await Promise.all([start(t.db), start(other.db)])).map((r) => r.loginLines);
    } else {
      firstLines = [(await start(t.db)).loginLines];
    }
  }, SEED_TIMEOUT);
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  it('prints a generated admin password once, and it signs in', async () => {
    const all = firstLines.flat();
    const withPassword = all.filter((l) => /^Login: admin \/ \S+ {2}\(shown once; set CLOSELOOP_ADMIN_PASSWORD/.test(l));
    expect(withPassword).toHaveLength(1);
    const password = valueAfter(all, /^Login: admin \/ (\S+) {2}\(shown once/);
    const session = await login(t.app, 'admin', password);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: session });
    expect(json(me)).toMatchObject({ username: 'admin', role: 'admin' });
  });

  it('seeds exactly once (on PostgreSQL with two instances starting together)', () => {
    expect(firstLines).toHaveLength(backend.name === 'postgres' ? 2 : 1);
    const seeded = firstLines.filter((lines) => lines.some((l) => l.startsWith('Demo staff:')));
    expect(seeded).toHaveLength(1);
  });

  it('prints one demo password that signs in staff of every role and a customer', async () => {
    const all = firstLines.flat();
    const password = valueAfter(all, /^Demo staff: .* password (\S+)$/);
    expect(valueAfter(all, /^Demo customer: customer01 \/ (\S+)/)).toBe(password);
    const expected = { agent01: 'agent', handler01: 'handler', qa01: 'verifier', manager01: 'manager', customer01: 'customer' };
    const seen: Record<string, string> = {};
    for (const username of Object.keys(expected)) {
      const session = await login(t.app, username, password);
      seen[username] = json(await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: session })).role;
    }
    expect(seen).toEqual(expected);

    // The portal shows the customer their own tickets, and only those.
    const session = await login(t.app, 'customer01', password);
    const me = json(await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: session }));
    const list = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets?limit=200', headers: session }));
    expect(list.items.length).toBeGreaterThanOrEqual(3);
    expect(new Set(list.items.map((i: { customer: { id: string } }) => i.customer.id))).toEqual(new Set([me.customerId]));
    // No plaintext anywhere: stored hashes are argon2.
    const stored = await t.db.select({ hash: users.passwordHash }).from(users);
    for (const s of stored) {
      expect(s.hash).toMatch(/^\$argon2/);
      expect(s.hash).not.toContain(password);
    }
  });

  it('loads about 200 tickets over the last 60 days, in every status and every category', async () => {
    const rows = await t.db.select({
      status: tickets.status, categoryId: tickets.categoryId, channel: tickets.channel, priority: tickets.priority,
      createdAt: tickets.createdAt, reworkCount: tickets.reworkCount, reopenCount: tickets.reopenCount,
    }).from(tickets);
    expect(rows.length).toBe(200);
    const byStatus = new Map<string, number>();
    for (const r of rows) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    expect(TICKET_STATUSES.filter((s) => !byStatus.has(s))).toEqual([]);
    expect(Math.max(...byStatus.values())).toBe(byStatus.get('closed'));

    const cats = await t.db.select().from(categories);
    expect(cats.map((c) => c.code).sort()).toEqual(DEMO_CATEGORIES.map((c) => c.code).sort());
    expect(cats.filter((c) => !rows.some((r) => r.categoryId === c.id)).map((c) => c.code)).toEqual([]);
    expect(new Set(rows.map((r) => r.priority))).toEqual(new Set(['P1', 'P2', 'P3']));
    expect(new Set(rows.map((r) => r.channel)).size).toBe(7);
    expect(rows.some((r) => r.reworkCount > 0)).toBe(true);
    expect(rows.some((r) => r.reopenCount > 0)).toBe(true);

    const now = Date.now();
    const ages = rows.map((r) => (now - r.createdAt.getTime()) / 86_400_000);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(61);
    expect(Math.max(...ages) - Math.min(...ages)).toBeGreaterThan(30);
  });

  it('gives tickets a genuine timeline: created, each step by a person, ending when the ticket last changed', async () => {
    const closed = await t.db.select().from(tickets).where(eq(tickets.status, 'closed')).orderBy(asc(tickets.createdAt));
    const reworked = closed.find((r) => r.reworkCount > 0 || r.reopenCount > 0);
    expect(reworked).toBeDefined();
    const events = await t.db.select().from(auditEvents)
      .where(eq(auditEvents.ticketId, reworked!.id)).orderBy(asc(auditEvents.seq));
    expect(events[0]!.type).toBe('ticket.created');
    expect(events.at(-1)!.type).toBe('ticket.confirm');
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining([
      'ticket.accept', 'ticket.submit_plan', 'ticket.approve_plan', 'rectification.measure_completed',
      'ticket.start_acceptance', 'acceptance.item_recorded', 'ticket.pass_acceptance',
    ]));
    for (let i = 1; i < events.length; i++) expect(events[i]!.at.getTime()).toBeGreaterThanOrEqual(events[i - 1]!.at.getTime());
    expect(events[0]!.at.getTime()).toBe(reworked!.createdAt.getTime());
    expect(events.at(-1)!.at.getTime()).toBe(reworked!.updatedAt.getTime());
    expect(events.filter((e) => e.type !== 'ticket.assigned').every((e) => e.actorKind !== 'system' || e.type === 'ticket.created')).toBe(true);
    const [analysis] = await t.db.select().from(rectAnalyses).where(eq(rectAnalyses.ticketId, reworked!.id));
    expect(analysis!.content.fiveWhys.length).toBeGreaterThanOrEqual(3);
    const [approved] = await t.db.select().from(rectPlans)
      .where(and(eq(rectPlans.ticketId, reworked!.id), eq(rectPlans.status, 'approved')));
    const measures = await t.db.select().from(rectMeasures).where(eq(rectMeasures.planId, approved!.id));
    expect(measures.filter((m) => m.status !== 'done' || !m.ownerId || !m.dueDate)).toEqual([]);
    // quantified, e.g. "噪音 < 45 dB"
    expect(measures.some((m) => m.criterion.kind === 'check' && /\d/.test(m.criterion.text))).toBe(true);

  });

  it('keeps the audit chain intact', async () => {
    const result = await verifyAuditChain({ db: t.db });
    expect(result.breaks).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.events).toBeGreaterThan(1000);
  });

  it('adds nothing on a later start, and says where the passwords are', async () => {
    const before = await counts(t.db);
    const { loginLines } = await start(t.db);
    expect(await counts(t.db)).toEqual(before);
    expect(loginLines).toContain('Login: admin / the password printed on first start (reset with: npm run cli -- reset-password --username admin)');
    expect(loginLines.some((l) => l.startsWith('Demo users ('))).toBe(true);
    expect(loginLines.join('\n')).not.toMatch(/Demo staff:|shown once/);
  }, SEED_TIMEOUT);
});

describe.each(backends)('first start without demo data on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend, { CLOSELOOP_ADMIN_PASSWORD: 'chosen-admin-pass', CLOSELOOP_DEMO_DATA: 'false' });
  });
  afterAll(async () => { await t?.close(); });

  it('creates admin with the configured password, prints no secret and loads no demo data', async () => {
    const { loginLines } = await bootstrap({ db: t.db, config: t.config, log: t.app.log });
    expect(loginLines).toEqual(['Login: admin / (the password in CLOSELOOP_ADMIN_PASSWORD)']);
    await login(t.app, 'admin', 'chosen-admin-pass');
    const c = await counts(t.db);
    expect(c).toMatchObject({ users: 1, tickets: 0, departments: 0, categories: 0 });
  });

  it('leaves a database someone already set up alone when demo data is switched on later', async () => {
    await makeDepartment(t.db, { code: 'cs', name: '客服部' });
    const before = await counts(t.db);
    const { loginLines } = await bootstrap({ db: t.db, config: { ...t.config, demoData: true }, log: t.app.log });
    expect(await counts(t.db)).toEqual(before);
    expect(loginLines.join('\n')).not.toContain('Demo');
  });
});
