/**
 * Migration 0002 on a database that already holds tickets: made at migration 0001, filled the
 * way 0001's code wrote tickets, then migrated — search (stored vector, single characters),
 * number prefix and counts (summary filled by the migration) must work on those rows.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zTicketCountsQuery, zTicketListQuery } from '@closeloop/contract';
import type { Database, Db } from '../src/db/client.js';
import { newId, rowsOf, toNumber } from '../src/db/util.js';
import { searchTextOf } from '../src/search/tokenize.js';
import type { Actor } from '../src/auth/actor.js';
import { countTickets } from '../src/tickets/count-tickets.js';
import { listTickets } from '../src/tickets/list-tickets.js';
import { backends } from './backends.js';
import { openAtMigration, type OldDatabase } from './migrations.js';

const ADMIN: Actor = { kind: 'system', userId: null, role: 'admin', departmentIds: [], customerId: null, scopes: [] };

describe.each(backends)('migration 0002 over existing tickets on $name', (backend) => {
  let database: Database;
  let old: OldDatabase | undefined;

  async function insertOldTicket(db: Db, n: number, title: string, description: string, refs: Record<string, string>, status: string) {
    const id = newId();
    const number = `SH-20250301-${String(n).padStart(4, '0')}`;
    // What 0001's intake wrote: search_text only, no vector column yet.
    await db.execute(sql`insert into tickets (id, number, title, description, channel, status, priority, priority_rank,
      urgency, process_template, category_id, customer_id, product, occurred_at, department_id, search_text)
      values (${id}, ${number}, ${title}, ${description}, 'phone', ${status}, 'P2', 2, 'medium', 'full',
      ${refs.category}, ${refs.customer}, ${JSON.stringify({ model: 'KFR-35GW' })}::jsonb, now(), ${refs.department},
      ${searchTextOf([number, title, description, '王芳', 'KFR-35GW'])})`);
  }

  beforeAll(async () => {
    old = await openAtMigration(backend, '0001_audit_append_only');
    database = old.database;

    const db = database.db;
    const refs = { category: newId(), customer: newId(), department: newId() };
    await db.execute(sql`insert into departments (id, name, code) values (${refs.department}, '售后一部', 'd1')`);
    await db.execute(sql`insert into categories (id, code, name, process_template) values (${refs.category}, 'q', '质量问题', 'full')`);
    await db.execute(sql`insert into customers (id, name) values (${refs.customer}, '王芳')`);
    await insertOldTicket(db, 1, '空调不制冷', '开机后出风不冷', refs, 'registered');
    await insertOldTicket(db, 2, '洗衣机漏水', '底部漏水', refs, 'assigned');
    await insertOldTicket(db, 3, '电饭煲夹生', '米饭夹生', refs, 'closed');

    await old.migrateToLatest();
  });
  afterAll(async () => {
    await old?.close();
  });

  const search = async (q: string) =>
    (await listTickets({ db: database.db, actor: ADMIN, query: zTicketListQuery.parse({ q }), searchWalkRows: 1 })).items.map((i) => i.title);

  it('searches the old rows through the stored vector, single characters included', async () => {
    const [row] = rowsOf<{ n: unknown }>(await database.db.execute(sql`select count(*) as n from tickets where search_vector is not null`));
    expect(toNumber(row?.n)).toBe(3);
    expect(await search('夹生')).toEqual(['电饭煲夹生']);
    expect(await search('煲')).toEqual(['电饭煲夹生']);
    expect((await search('漏')).sort()).toEqual(['洗衣机漏水']);
    expect(await search('SH-20250301-0002')).toEqual(['洗衣机漏水']);
    expect((await search('kfr')).length).toBe(3);
  });

  it('counts the old rows from the summary the migration filled', async () => {
    const [pending] = rowsOf<{ n: unknown }>(await database.db.execute(sql`select count(*) as n from ticket_count_deltas`));
    expect(toNumber(pending?.n)).toBe(0);
    const c = await countTickets({ db: database.db, actor: ADMIN, query: zTicketCountsQuery.parse({}) });
    expect(c.total).toBe(3);
    expect(Object.fromEntries(c.groups.map((g) => [g.key, g.count]))).toEqual({ registered: 1, assigned: 1, closed: 1 });
    expect((await countTickets({ db: database.db, actor: ADMIN, query: zTicketCountsQuery.parse({ open: 'true' }) })).total).toBe(2);
  });
});
