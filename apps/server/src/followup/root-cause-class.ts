/**
 * Where a ticket's root-cause class is read from. Today it is `tickets.analysis->>'rootCauseClass'`;
 * the rectification domain moves it to `tickets.root_cause_class`, and only this file changes then.
 */
import { sql, type SQL } from 'drizzle-orm';

/** The SQL expression of the root-cause class of the tickets row aliased `alias` (raw SQL text). */
export function rootCauseClassSql(alias = 'tickets'): string {
  return `(${alias}.analysis->>'rootCauseClass')`;
}

/** The same expression for the Drizzle query builder. */
export function rootCauseClassExpr(alias = 'tickets'): SQL<string | null> {
  return sql.raw(rootCauseClassSql(alias)) as SQL<string | null>;
}
