/**
 * Runs the list and count shapes added by routing and SLA (sort by due time, the overdue /
 * due-soon views, the tag filter, the 待领取 queue) as an admin and as a handler against a
 * seeded PostgreSQL database, with auto_explain on, so the server log holds each statement's
 * real plan: `node --conditions=source --import tsx bench/explain-new-paths.ts <database url>`.
 */
import { zTicketCountsQuery, zTicketListQuery } from '@closeloop/contract';
import { openDatabase } from '../apps/server/src/db/client.js';
import { rowsOf } from '../apps/server/src/db/util.js';
import { sql } from 'drizzle-orm';
import { scopesForRole, type Actor } from '../apps/server/src/auth/actor.js';
import { countTickets } from '../apps/server/src/tickets/count-tickets.js';
import { listTickets } from '../apps/server/src/tickets/list-tickets.js';

const url = process.argv[2];
if (!url) throw new Error('usage: explain-new-paths.ts <database url>');
const database = await openDatabase({ databaseUrl: url, poolSize: 1 });
const db = database.db;
await db.execute(sql`load 'auto_explain'`);
await db.execute(sql`set auto_explain.log_min_duration = 0`);
await db.execute(sql`set auto_explain.log_analyze = on`);
await db.execute(sql`set auto_explain.log_buffers = on`);
const [tag] = rowsOf<{ id: string }>(await db.execute(sql`select tag_id as id from ticket_tags group by tag_id order by count(*) desc limit 1`));
const [h] = rowsOf<{ id: string; d: string }>(await db.execute(sql`select u.id, ud.department_id as d from users u
  join user_departments ud on ud.user_id = u.id where u.role = 'handler' limit 1`));
const admin: Actor = { kind: 'system', userId: null, role: 'admin', departmentIds: [], customerId: null, scopes: [] };
const handler: Actor = { kind: 'user', userId: h!.id, role: 'handler', departmentIds: [h!.d], customerId: null, scopes: scopesForRole('handler') };
const cases: Array<[string, Record<string, string>]> = [
  ['sort by due time', { sort: 'slaDue', order: 'asc' }],
  ['overdue view', { sla: 'overdue', sort: 'slaDue', order: 'asc' }],
  ['due soon view', { sla: 'due_soon', sort: 'slaDue', order: 'asc' }],
  ['tag filter', { tag: tag!.id }],
  ['queue (待领取)', { owner: 'queue' }],
];
for (const who of [admin, handler]) {
  for (const [name, q] of cases) {
    for (const run of [1, 2]) {
      const started = performance.now();
      const list = await listTickets({ db, actor: who, query: zTicketListQuery.parse(q) });
      const listMs = performance.now() - started;
      const t2 = performance.now();
      const counts = await countTickets({ db, actor: who, query: zTicketCountsQuery.parse(q) });
      const countMs = performance.now() - t2;
      if (run === 2) {
        process.stdout.write(`${who.role.padEnd(7)} ${name.padEnd(16)} list ${listMs.toFixed(1).padStart(6)} ms (${list.items.length} rows)  count ${countMs.toFixed(1).padStart(6)} ms (total ${counts.total}, overdue ${counts.due.overdue}, soon ${counts.due.dueSoon})\n`);
      }
    }
  }
}
await database.close();
