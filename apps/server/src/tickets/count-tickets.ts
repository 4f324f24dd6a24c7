/**
 * Ticket counts for the workbench: the list's total for the same filters, split by one field,
 * plus how many of those open tickets are overdue or due soon by their SLA clocks: the nearest
 * due time of a ticket's running clocks, kept on the ticket by the SLA domain (sla_due_at).
 *
 * At 1,000,000 tickets no count may scan the ticket table, so a count is assembled from:
 * - the count aggregate (summary + pending deltas, see compact-ticket-counts.ts) for filters on
 *   its dimensions and for the visibility it can express (everything; a department; an owner);
 * - the partial index over open tickets (tickets_open_sla_due_idx) for overdue / due soon;
 * - tickets themselves, through their indexes, for what only they can answer: the rest of a
 *   handler's visibility (tickets they created or own a measure of, outside the first part), a
 *   customer's own tickets, and the filters the aggregate lacks (q, customer, created range).
 * The filter description is the list's own (ticket-filters.ts), so a count equals the list's total.
 */
import { and, type SQL, sql } from 'drizzle-orm';
import { SLA_DUE_SOON_MINUTES, type TicketCountGroup, type TicketCounts, type TicketCountsQuery } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { tickets } from '../db/schema.js';
import { rowsOf, toNumber } from '../db/util.js';
import { staffBranches } from './access.js';
import { compactTicketCounts, pendingTicketCountDeltas } from './compact-ticket-counts.js';
import {
  aggregateDimColumns, dimWhere, openStatusWhere, TICKET_DIM_COLUMNS, type CountDim, type DimColumns, type DimFilter,
} from './ticket-dims.js';
import { filterWhereWithoutText, ticketFilter } from './ticket-filters.js';
import { formFilterWhere } from '../forms/form-filters.js';

const GROUP_DIMS: Record<TicketCountGroup, CountDim> = {
  status: 'status', priority: 'priority', category: 'categoryId', department: 'departmentId', owner: 'ownerId',
};

const DUE_SOON_MS = SLA_DUE_SOON_MINUTES * 60_000;
/** Beyond this many pending deltas a count compacts first (the runner normally keeps it near 0). */
const COMPACT_BEFORE_COUNT = 20_000;

interface Part { groups: Map<string | null, number>; overdue: number; dueSoon: number }

const groupKey = (cols: DimColumns, dim: CountDim) => sql`${cols[dim]}::text`;
const orOf = (conds: SQL[]) => (conds.length === 1 ? conds[0]! : sql`(${sql.join(conds, sql` or `)})`);
const andOf = (conds: SQL[]) => (conds.length ? and(...conds)! : sql`true`);

function addGroups(into: Map<string | null, number>, rows: Array<{ key: string | null; count: unknown }>) {
  for (const r of rows) into.set(r.key, (into.get(r.key) ?? 0) + toNumber(r.count));
}

/** Counts from the aggregate: summary + pending deltas read in one statement (one snapshot). */
async function fromAggregate(db: DbOrTx, dims: DimFilter[], visible: DimFilter[] | null, dim: CountDim, into: Part) {
  const cols = aggregateDimColumns('c');
  const conds = dims.map((d) => dimWhere(d, cols));
  if (visible) conds.push(orOf(visible.map((d) => dimWhere(d, cols))));
  const rows = rowsOf<{ key: string | null; count: unknown }>(await db.execute(sql`
    select ${groupKey(cols, dim)} as key, sum(c.n) as count from (
      select status, priority, channel, category_id, department_id, owner_id, n from ticket_count_summary
      union all
      select status, priority, channel, category_id, department_id, owner_id, n from ticket_count_deltas
    ) c where ${andOf(conds)} group by 1 having sum(c.n) <> 0`));
  addGroups(into.groups, rows);
}

/** Overdue / due soon of open tickets from the partial index (index-only: it holds the dimensions). */
async function dueFromOpenIndex(db: DbOrTx, conds: SQL[], now: SQL, soon: SQL, into: Part) {
  const [row] = rowsOf<{ overdue: unknown; soon: unknown }>(await db.execute(sql`
    select count(*) filter (where ${tickets.slaDueAt} < ${now}) as overdue,
           count(*) filter (where ${tickets.slaDueAt} >= ${now}) as soon
    from ${tickets}
    where ${openStatusWhere()} and ${tickets.slaDueAt} < ${soon} and ${andOf(conds)}`));
  into.overdue += toNumber(row?.overdue);
  into.dueSoon += toNumber(row?.soon);
}

/** Counts and due figures straight from tickets, for a set its indexes keep small. */
async function fromTickets(db: DbOrTx, conds: SQL[], dim: CountDim, now: SQL, soon: SQL, into: Part) {
  const open = openStatusWhere();
  const rows = rowsOf<{ key: string | null; count: unknown; overdue: unknown; soon: unknown }>(await db.execute(sql`
    select ${groupKey(TICKET_DIM_COLUMNS, dim)} as key, count(*) as count,
      count(*) filter (where ${open} and ${tickets.slaDueAt} < ${now}) as overdue,
      count(*) filter (where ${open} and ${tickets.slaDueAt} >= ${now} and ${tickets.slaDueAt} < ${soon}) as soon
    from ${tickets} where ${andOf(conds)} group by 1`));
  addGroups(into.groups, rows);
  for (const r of rows) {
    into.overdue += toNumber(r.overdue);
    into.dueSoon += toNumber(r.soon);
  }
}

export async function countTickets(opts: {
  db: DbOrTx;
  actor: Actor;
  query: TicketCountsQuery;
  now?: Date;
}): Promise<TicketCounts> {
  const { db, actor, query } = opts;
  const at = opts.now ?? new Date();
  const now = sql`${at.toISOString()}::timestamptz`;
  const soon = sql`${new Date(at.getTime() + DUE_SOON_MS).toISOString()}::timestamptz`;
  const dim = GROUP_DIMS[query.groupBy];
  const filter = ticketFilter({ actor, query, now: at, formWhere: await formFilterWhere(db, query) });
  const part: Part = { groups: new Map(), overdue: 0, dueSoon: 0 };
  const v = filter.visibility;

  if (v.kind === 'none') {
    // Nothing visible.
  } else if (filter.text || filter.rest.length || v.kind === 'customer') {
    // The aggregate cannot answer these; each is served by an index (search, customer, created).
    const conds = filterWhereWithoutText(filter);
    if (filter.text) conds.push(filter.text);
    await fromTickets(db, conds, dim, now, soon, part);
  } else {
    if (await pendingTicketCountDeltas({ db }) > COMPACT_BEFORE_COUNT) await compactTicketCounts({ db });
    const dimConds = filter.dims.map((d) => dimWhere(d));
    const branches = v.kind === 'staff' ? staffBranches(v) : null;
    const aggregateVisible = branches ? branches.aggregate : null;
    if (!aggregateVisible || aggregateVisible.length) {
      await fromAggregate(db, filter.dims, aggregateVisible, dim, part);
      const visibleConds = aggregateVisible ? [orOf(aggregateVisible.map((d) => dimWhere(d)))] : [];
      await dueFromOpenIndex(db, [...dimConds, ...visibleConds], now, soon, part);
    }
    if (branches?.remainder.length) {
      // Created by them, a measure of theirs or their department held responsible, and not already counted above.
      const conds = [...dimConds, orOf(branches.remainder)];
      if (branches.aggregate.length) {
        conds.push(sql`not coalesce(${orOf(branches.aggregate.map((d) => dimWhere(d)))}, false)`);
      }
      await fromTickets(db, conds, dim, now, soon, part);
    }
  }

  const groups = [...part.groups]
    .filter(([, count]) => count !== 0)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    total: groups.reduce((n, g) => n + g.count, 0),
    groups,
    due: { overdue: part.overdue, dueSoon: part.dueSoon },
  };
}
