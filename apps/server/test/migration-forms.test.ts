/**
 * Migration 0008 (forms) on a database made at 0007 that holds categories with custom_fields
 * JSON and tickets with values: each category gets form version 1 from its JSON (select options
 * as codes), each ticket points at it, and an old ticket's values are still valid and editable.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/auth/actor.js';
import type { Database } from '../src/db/client.js';
import { newId, rowsOf } from '../src/db/util.js';
import { formVersionById } from '../src/forms/form-store.js';
import { validateFormValues } from '../src/forms/validate-values.js';
import { updateTicket } from '../src/tickets/update-ticket.js';
import { backends } from './backends.js';
import { openAtMigration, type OldDatabase } from './migrations.js';

const ADMIN: Actor = { kind: 'system', userId: null, role: 'admin', departmentIds: [], customerId: null, scopes: [] };

describe.each(backends)('migration 0008 (forms) over a 0007 database on $name', (backend) => {
  let database: Database;
  let old: OldDatabase | undefined;
  const refs = { install: newId(), empty: newId(), customer: newId(), ticket: newId(), other: newId() };
  const legacy = [
    { key: 'installType', label: '安装方式', labelEn: 'Installation', type: 'select', required: true, options: ['壁挂', '落地'] },
    { key: 'installDate', label: '安装日期', type: 'date', required: false },
    { key: 'floors', label: '楼层', type: 'number', required: false },
  ];

  beforeAll(async () => {
    old = await openAtMigration(backend, '0007_least_open_picks');
    database = old.database;
    const db = database.db;
    await db.execute(sql`insert into categories (id, code, name, process_template, custom_fields)
      values (${refs.install}, 'installation', '安装服务', 'full', ${JSON.stringify(legacy)}::jsonb),
             (${refs.empty}, 'consult', '咨询', 'quick', '[]'::jsonb)`);
    await db.execute(sql`insert into customers (id, name) values (${refs.customer}, '王芳')`);
    for (const [id, category, n, values] of [
      [refs.ticket, refs.install, 1, { installType: '壁挂', installDate: '2026-11-03', floors: 12 }],
      [refs.other, refs.empty, 2, {}],
    ] as const) {
      await db.execute(sql`insert into tickets (id, number, title, description, channel, status, priority, priority_rank,
        urgency, process_template, category_id, customer_id, product, occurred_at, custom_fields)
        values (${id}, ${`SH-20261101-000${n}`}, '空调安装', '空调安装', 'phone', 'assigned', 'P3', 3, 'medium', 'full',
        ${category}, ${refs.customer}, ${JSON.stringify({ model: 'KFR-35GW' })}::jsonb, now(), ${JSON.stringify(values)}::jsonb)`);
    }
    await old.migrateToLatest();
  });
  afterAll(async () => { await old?.close(); });

  it('makes version 1 of every category from its custom fields and points the tickets at it', async () => {
    const rows = rowsOf<{ category_id: string; version: number; fields: unknown[] }>(await database.db.execute(
      sql`select category_id, version, fields from form_versions order by category_id`));
    expect(rows).toHaveLength(2);
    const install = rows.find((r) => r.category_id === refs.install)!;
    expect(install.version).toBe(1);
    expect(install.fields).toEqual([
      { key: 'installType', label: '安装方式', labelEn: 'Installation', type: 'select', required: true,
        options: [{ code: '壁挂', label: '壁挂' }, { code: '落地', label: '落地' }] },
      { key: 'installDate', label: '安装日期', type: 'date', required: false },
      { key: 'floors', label: '楼层', type: 'number', required: false },
    ]);
    expect(rows.find((r) => r.category_id === refs.empty)!.fields).toEqual([]);

    const tickets = rowsOf<{ id: string; form_version_id: string | null; category_id: string }>(await database.db.execute(
      sql`select id, form_version_id, category_id from tickets`));
    expect(tickets.every((t) => t.form_version_id !== null)).toBe(true);
    const t = tickets.find((x) => x.id === refs.ticket)!;
    const version = await formVersionById(database.db, t.form_version_id!);
    expect(version?.categoryId).toBe(refs.install);
    // The old values are valid under version 1.
    expect(validateFormValues(version!.fields, { installType: '壁挂', installDate: '2026-11-03', floors: 12 }).errors).toEqual([]);
  });

  it('lets an old ticket be edited under its migrated version', async () => {
    const updated = await updateTicket({
      db: database.db, actor: ADMIN, id: refs.ticket,
      patch: { customFields: { installType: '落地', installDate: '2026-11-03', floors: 12 } },
    });
    expect(updated.customFields.installType).toBe('落地');
    expect(updated.formVersionId).not.toBeNull();
  });
});
