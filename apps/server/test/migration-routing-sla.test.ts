/**
 * Migrations 0003–0006 (calendars, SLA, routing, e-mail) on a database made at 0002 that already
 * holds tickets and users: the old rows carry no clock, tag or calendar and still list, sort by
 * due time and count; the start-up configuration (calendars, SLA defaults) is created on it;
 * and the first new intake gets routed, clocked and its notification recorded for e-mail.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zTicketCountsQuery, zTicketListQuery } from '@closeloop/contract';
import type { Actor } from '../src/auth/actor.js';
import { ensureCalendars } from '../src/calendars/ensure-calendars.js';
import type { Database, Db } from '../src/db/client.js';
import { newId, rowsOf, toNumber } from '../src/db/util.js';
import { runOutboxOnce } from '../src/jobs/runner.js';
import { searchTextOf } from '../src/search/tokenize.js';
import { ensureSlaDefaults } from '../src/sla/ensure-sla-defaults.js';
import { countTickets } from '../src/tickets/count-tickets.js';
import { createTicket } from '../src/tickets/create-ticket.js';
import { listTickets } from '../src/tickets/list-tickets.js';
import { backends } from './backends.js';
import { openAtMigration, type OldDatabase } from './migrations.js';

const ADMIN: Actor = { kind: 'system', userId: null, role: 'admin', departmentIds: [], customerId: null, scopes: [] };

describe.each(backends)('migrations 0003–0006 over a 0002 database on $name', (backend) => {
  let database: Database;
  let old: OldDatabase | undefined;
  const refs = { category: newId(), customer: newId(), department: newId(), user: newId() };

  async function insertOldTicket(db: Db, n: number, title: string, status: string) {
    const number = `SH-20261101-${String(n).padStart(4, '0')}`;
    // What 0002's intake wrote.
    await db.execute(sql`insert into tickets (id, number, title, description, channel, status, priority, priority_rank,
      urgency, process_template, category_id, customer_id, product, occurred_at, department_id, owner_id, search_text)
      values (${newId()}, ${number}, ${title}, ${title}, 'phone', ${status}, 'P2', 2, 'medium', 'full',
      ${refs.category}, ${refs.customer}, ${JSON.stringify({ model: 'KFR-35GW' })}::jsonb, now(), ${refs.department},
      ${refs.user}, ${searchTextOf([number, title, '王芳', 'KFR-35GW'])})`);
  }

  beforeAll(async () => {
      old = await openAtMigration(backend, '0002_reads_at_scale');
    database = old.database;

    const db = database.db;
    await db.execute(sql`insert into departments (id, name, code) values (${refs.department}, '售后一部', 'd1')`);
    await db.execute(sql`insert into users (id, username, display_name, email, password_hash, role)
      values (${refs.user}, 'handler1', '工程师老郑', 'zheng@example.com', 'x', 'handler')`);
    await db.execute(sql`insert into user_departments (user_id, department_id) values (${refs.user}, ${refs.department})`);
    await db.execute(sql`insert into categories (id, code, name, process_template, default_department_id, default_owner_id)
      values (${refs.category}, 'q', '质量问题', 'full', ${refs.department}, ${refs.user})`);
    await db.execute(sql`insert into customers (id, name) values (${refs.customer}, '王芳')`);
    await insertOldTicket(db, 1, '空调不制冷', 'assigned');
    await insertOldTicket(db, 2, '洗衣机漏水', 'analyzing');
    await insertOldTicket(db, 3, '电饭煲夹生', 'closed');

    await old.migrateToLatest();
    // What start-up does on every boot (bootstrap.ts).
    await ensureCalendars({ db });
    await ensureSlaDefaults({ db });
  });
  afterAll(async () => {
    await old?.close();
  });

  it('keeps the old rows: no clocks, no tags, no calendar; they list, sort by due time and count', async () => {
    const [oldRows] = rowsOf<Record<string, unknown>>(await database.db.execute(sql`select
      count(*) filter (where sla_due_at is null and sla_state is null and sla_policy_id is null) as unclocked,
      (select count(*) from ticket_tags) as tags, (select count(*) from sla_clocks) as clocks,
      (select count(*) from users where calendar_id is null) as users_on_default from tickets`));
    expect(Object.fromEntries(Object.entries(oldRows!).map(([k, v]) => [k, toNumber(v)]))).toEqual({
      unclocked: 3, tags: 0, clocks: 0, users_on_default: 1,
    });
    const bySla = await listTickets({ db: database.db, actor: ADMIN, query: zTicketListQuery.parse({ sort: 'slaDue', order: 'asc', open: 'true' }) });
    expect(bySla.items.map((i) => i.title).sort()).toEqual(['洗衣机漏水', '空调不制冷']);
    const counts = await countTickets({ db: database.db, actor: ADMIN, query: zTicketCountsQuery.parse({ open: 'true' }) });
    expect(counts.total).toBe(2);
    expect(counts.due).toEqual({ overdue: 0, dueSoon: 0 });
  });

  it('routes, clocks and mails the first ticket registered after the upgrade', async () => {
    const { ticket } = await createTicket({
      db: database.db, actor: ADMIN, input: {
        title: '热水器漏电', description: '热水器外壳漏电，家里有老人小孩', channel: 'phone',
        customer: { name: '李四', phone: '13900000123' }, product: { model: 'JSQ30' },
        occurredAt: new Date().toISOString(), urgency: 'critical', category: refs.category,
      },
    });
    expect(ticket.ownerId).toBe(refs.user);
    for (let i = 0; i < 20 && await runOutboxOnce({ db: database.db, instanceId: 'migration-test' }) > 0; i++) { /* drain */ }
    const [after] = rowsOf<Record<string, unknown>>(await database.db.execute(sql`select
      (select count(*) from sla_clocks where ticket_id = ${ticket.id}) as clocks,
      (select sla_state from tickets where id = ${ticket.id}) as state,
      (select count(*) from email_deliveries where user_id = ${refs.user} and kind = 'ticket_assigned') as mails`));
    // P1 (urgency critical): first response, update and resolution clocks.
    expect(toNumber(after!.clocks)).toBe(3);
    expect(after!.state).toBe('active');
    expect(toNumber(after!.mails)).toBe(1);
  });
});
