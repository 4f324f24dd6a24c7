/**
 * Workbench insights: ticket counts over the same filters as the list (real totals, grouped),
 * and the activity feed — the newest audit events of the tickets the caller may see.
 */
import { z } from 'zod';
import { zId, zPage } from './common.js';
import { zEvent, zTicketListQuery } from './tickets.js';

/** The list's filters without paging and sorting: what a count is taken over. */
export const zTicketFilterQuery = zTicketListQuery.omit({ cursor: true, limit: true, sort: true, order: true });
export type TicketFilterQuery = z.infer<typeof zTicketFilterQuery>;

export const TICKET_COUNT_GROUPS = ['status', 'priority', 'category', 'department', 'owner'] as const;
export type TicketCountGroup = (typeof TICKET_COUNT_GROUPS)[number];

export const zTicketCountsQuery = zTicketFilterQuery.extend({
  groupBy: z.enum(TICKET_COUNT_GROUPS).default('status'),
});
export type TicketCountsQuery = z.infer<typeof zTicketCountsQuery>;

export const zTicketCounts = z.object({
  total: z.number().int(),
  /** Largest group first. `key` is the status / priority, or the category / department / owner id; null = none. */
  groups: z.array(z.object({ key: z.string().nullable(), count: z.number().int() })),
  /** Among the matching open tickets: expected resolution time passed, or within the next 24 hours. */
  due: z.object({ overdue: z.number().int(), dueSoon: z.number().int() }),
});
export type TicketCounts = z.infer<typeof zTicketCounts>;

export const zActivityQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** An event id: only older events (the previous page's `nextCursor`). */
  before: z.string().regex(/^[1-9]\d{0,14}$/, 'expected an event id').optional(),
});
export type ActivityQuery = z.infer<typeof zActivityQuery>;

export const zActivityItem = zEvent.extend({
  ticket: z.object({ id: zId, number: z.string(), title: z.string() }),
});
export type ActivityItem = z.infer<typeof zActivityItem>;

/** `nextCursor` is the event id to pass as `before` for the next page. */
export const zActivityList = zPage(zActivityItem);
export type ActivityList = z.infer<typeof zActivityList>;
