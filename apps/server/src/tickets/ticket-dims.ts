/**
 * The ticket columns the count aggregate keeps (ticket_count_summary / _deltas), and conditions
 * on them written once for both places: over tickets (the list) and over the aggregate's rows
 * (the counts). This is what keeps a count equal to the list's total.
 */
import { type SQL, sql } from 'drizzle-orm';
import { TERMINAL_STATUSES } from '@closeloop/contract';
import { tickets } from '../db/schema.js';

export const COUNT_DIMS = ['status', 'priority', 'channel', 'categoryId', 'departmentId', 'ownerId'] as const;
export type CountDim = (typeof COUNT_DIMS)[number];

export type DimFilter =
  | { dim: CountDim; op: 'in'; values: string[] }
  | { dim: CountDim; op: 'notIn'; values: string[] }
  | { dim: CountDim; op: 'isNull' };

/** How each dimension is written in a query: a column of tickets or of the aggregate's rows. */
export type DimColumns = Record<CountDim, SQL>;

export const TICKET_DIM_COLUMNS: DimColumns = {
  status: sql`${tickets.status}`,
  priority: sql`${tickets.priority}`,
  channel: sql`${tickets.channel}`,
  categoryId: sql`${tickets.categoryId}`,
  departmentId: sql`${tickets.departmentId}`,
  ownerId: sql`${tickets.ownerId}`,
};

/** The aggregate's columns (snake case, as in migration 0002) under a table alias. */
export function aggregateDimColumns(alias: string): DimColumns {
  const c = (name: string) => sql.raw(`${alias}.${name}`);
  return {
    status: c('status'), priority: c('priority'), channel: c('channel'),
    categoryId: c('category_id'), departmentId: c('department_id'), ownerId: c('owner_id'),
  };
}

const UUID_DIMS = new Set<CountDim>(['categoryId', 'departmentId', 'ownerId']);
const CLOSED_LIST = sql.raw(`(${TERMINAL_STATUSES.map((s) => `'${s}'`).join(', ')})`);

/**
 * "Not closed or cancelled", written literally (not as parameters) so the planner can prove it
 * implies the predicate of the partial index tickets_open_expected_idx even in a generic plan.
 */
export function openStatusWhere(cols: DimColumns = TICKET_DIM_COLUMNS): SQL {
  return sql`${cols.status} not in ${CLOSED_LIST}`;
}

export function dimWhere(f: DimFilter, cols: DimColumns = TICKET_DIM_COLUMNS): SQL {
  const col = cols[f.dim];
  const cast = UUID_DIMS.has(f.dim) ? sql`::uuid` : sql``;
  const list = (values: string[]) => sql.join(values.map((v) => sql`${v}${cast}`), sql`, `);
  switch (f.op) {
    case 'isNull': return sql`${col} is null`;
    case 'in': return f.values.length ? sql`${col} in (${list(f.values)})` : sql`false`;
    case 'notIn':
      if (f.dim === 'status' && f.values.join() === TERMINAL_STATUSES.join()) return openStatusWhere(cols);
      return f.values.length ? sql`${col} not in (${list(f.values)})` : sql`true`;
  }
}
