import type { tickets } from '../db/schema.js';

/**
 * A ticket as stored. The API view is built by ticket-view.ts. The generated search vector is
 * left out: nothing in the app reads it, only SQL matches against it.
 */
export type TicketRow = Omit<typeof tickets.$inferSelect, 'searchVector'>;
