/**
 * Migration 0008 (follow-up, recurrence, knowledge) over a database made at 0007 that already
 * holds tickets: the old tickets get no follow-up rows, their categories read the default
 * settings, and the repeat-complaint lookup and the rates run over them through the new indexes.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, rowsOf } from '../../src/db/util.js';
import { followupSettingsOf } from '../../src/followup/followup-settings.js';
import { repeatRates, suggestRepeats } from '../../src/followup/repeat-complaints.js';
import { backends } from '../backends.js';
import { openAtMigration, type OldDatabase } from '../migrations.js';

describe.each(backends)('migration 0008 over a 0007 database on $name', (backend) => {
  let old: OldDatabase | undefined;
  const refs = { category: newId(), customer: newId(), earlier: newId(), later: newId() };

  beforeAll(async () => {
    old = await openAtMigration(backend, '0007_least_open_picks');
    const db = old.database.db;
    await db.execute(sql`insert into categories (id, code, name, process_template) values (${refs.category}, 'q', '质量问题', 'quick')`);
    await db.execute(sql`insert into customers (id, name) values (${refs.customer}, '王芳')`);
    for (const [id, n, status, ago] of [[refs.earlier, 1, 'closed', 20], [refs.later, 2, 'assigned', 1]] as const) {
      await db.execute(sql`insert into tickets (id, number, title, description, channel, status, priority, priority_rank,
        urgency, process_template, category_id, customer_id, product, occurred_at, created_at, closed_at, reopen_count)
        values (${id}, ${`SH-20261101-000${n}`}, '洗衣机异响', '洗衣机异响', 'phone', ${status}, 'P2', 2, 'medium', 'quick',
        ${refs.category}, ${refs.customer}, ${JSON.stringify({ model: 'XQG100' })}::jsonb, now(),
        now() - ${`${ago} days`}::interval, ${status === 'closed' ? sql`now() - interval '10 days'` : sql`null`}, ${n === 1 ? 1 : 0})`);
    }
    await old.migrateToLatest();
  });
  afterAll(async () => { await old?.close(); });

  it('adds the tables and indexes; old tickets work with them', async () => {
    const db = old!.database.db;
    const indexes = rowsOf<{ indexname: string }>(await db.execute(sql`select indexname from pg_indexes where tablename = 'tickets'`))
      .map((r) => r.indexname);
    expect(indexes).toEqual(expect.arrayContaining(['tickets_product_model_created_idx', 'tickets_reopened_created_idx']));
    expect(await followupSettingsOf(db, refs.category)).toMatchObject({ linkValidDays: 7, autoCloseDays: 7, effectivenessDays: null, warrantyDays: 90 });
    expect(await suggestRepeats({ db, ticketId: refs.later, reason: 'same_customer_model' })).toHaveLength(1);
    const rates = await repeatRates({ db, from: new Date(Date.now() - 30 * 86_400_000), to: new Date() });
    expect(rates).toMatchObject({ created: 2, reopened: 1, repeats: 0 });
  });
});
