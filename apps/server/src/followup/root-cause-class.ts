/**
 * Where a ticket's root-cause class is read from: `tickets.root_cause_class`, kept by the
 * rectification domain's analysis command (rectification/).
 */
import { sql, type SQL } from 'drizzle-orm';

/** The SQL expression of the root-cause class of the tickets row aliased `alias` (raw SQL text). */
export function rootCauseClassSql(alias = 'tickets'): string {
  return `(${alias}.root_cause_class)`;
}

/** The same expression for the Drizzle query builder. */
export function rootCauseClassExpr(alias = 'tickets'): SQL<string | null> {
  return sql.raw(rootCauseClassSql(alias)) as SQL<string | null>;
}
