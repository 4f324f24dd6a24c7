import type { tickets } from '../db/schema.js';

/** A ticket as stored. The API view is built by ticket-view.ts. */
export type TicketRow = typeof tickets.$inferSelect;
