/**
 * What was done on a ticket, in one line for the customer and for suggestions: the summary of its
 * newest approved rectification plan (rectification/ keeps every version in rect_plans).
 */
import { sql, type SQL } from 'drizzle-orm';
import { tickets } from '../db/schema.js';

export function approvedPlanSummary(): SQL<string | null> {
  return sql<string | null>`(select p.summary from rect_plans p where p.ticket_id = ${tickets.id}
    and p.status = 'approved' order by p.version desc limit 1)`;
}
