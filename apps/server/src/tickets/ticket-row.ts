import { getTableColumns } from 'drizzle-orm';
import { tickets } from '../db/schema.js';

/**
 * A ticket as stored. The API view is built by ticket-view.ts. The generated search vector is
 * left out: nothing in the app reads it, only SQL matches against it.
 */
export type TicketRow = Omit<typeof tickets.$inferSelect, 'searchVector' | SlaColumn>;

/** Written by the SLA domain only (sla/), read by lists and the detail page; commands leave them alone. */
export type SlaColumn = 'slaPolicyId' | 'slaDueAt' | 'slaState';

/**
 * Every column of TicketRow, for `select(ticketRowColumns)`: a bare `select()` would also read
 * and ship the search vector (a few kB per ticket) that nobody uses.
 */
export const ticketRowColumns = (() => {
  const { searchVector: _unused, slaPolicyId: _p, slaDueAt: _d, slaState: _s, ...rest } = getTableColumns(tickets);
  return rest;
})();
