/**
 * Ticket counts for the workbench: the list's total for the same filters, split by one field,
 * plus how many of those open tickets are overdue or due within 24 hours. Until SLA due times
 * exist, "due" means the customer's expected resolution time (expectedBy).
 */
import { and, desc, notInArray, type SQL, sql } from 'drizzle-orm';
import {
  TERMINAL_STATUSES, type TicketCountGroup, type TicketCounts, type TicketCountsQuery,
} from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { tickets } from '../db/schema.js';
import { toNumber } from '../db/util.js';
import { ticketFilterWhere } from './ticket-filters.js';

const GROUP_COLUMNS: Record<TicketCountGroup, SQL<string | null>> = {
  status: sql`${tickets.status}`,
  priority: sql`${tickets.priority}`,
  category: sql`${tickets.categoryId}::text`,
  department: sql`${tickets.departmentId}::text`,
  owner: sql`${tickets.ownerId}::text`,
};

const DUE_SOON_MS = 24 * 60 * 60 * 1000;

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
  const key = GROUP_COLUMNS[query.groupBy];
  const open = notInArray(tickets.status, [...TERMINAL_STATUSES]);

  // One scan: the due figures ride along as filtered counts per group and are summed here.
  const rows = await db
    .select({
      key: key.as('group_key'),
      count: sql<unknown>`count(*)`,
      overdue: sql<unknown>`count(*) filter (where ${and(open, sql`${tickets.expectedBy} < ${now}`)})`,
      dueSoon: sql<unknown>`count(*) filter (where ${and(open, sql`${tickets.expectedBy} >= ${now}`, sql`${tickets.expectedBy} < ${soon}`)})`,
    })
    .from(tickets)
    .where(and(...ticketFilterWhere({ actor, query })))
    .groupBy(sql`group_key`)
    .orderBy(desc(sql`count(*)`), sql`group_key nulls last`);

  const groups = rows.map((r) => ({ key: r.key, count: toNumber(r.count) }));
  return {
    total: groups.reduce((n, g) => n + g.count, 0),
    groups,
    due: {
      overdue: rows.reduce((n, r) => n + toNumber(r.overdue), 0),
      dueSoon: rows.reduce((n, r) => n + toNumber(r.dueSoon), 0),
    },
  };
}
