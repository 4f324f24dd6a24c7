/** Workbench insights: ticket counts over the list's filters and the activity feed. */
import { zActivityList, zActivityQuery, zTicketCounts, zTicketCountsQuery } from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { defineRoutes } from '../http/routes.js';
import { countTickets } from './count-tickets.js';
import { listActivity } from './list-activity.js';

export const insightRoutes = defineRoutes(async (app, ctx) => {
  app.get('/tickets/counts', {
    schema: {
      tags: ['tickets'],
      summary: 'Count tickets, grouped (workbench)',
      description: 'Takes the same filters as GET /tickets and counts every matching ticket the caller may see, '
        + 'split by `groupBy` (largest group first; `key` null = no category/department/owner). '
        + '`due` counts the matching open tickets by their SLA clocks (the nearest due time of a running '
        + 'clock, `sla.dueAt`): overdue when it has passed, due soon when it falls within the next '
        + '`SLA_DUE_SOON_MINUTES` (240) minutes. Paused clocks (waiting on the customer) count in neither.',
      querystring: zTicketCountsQuery,
      response: { 200: zTicketCounts },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read' });
    return countTickets({ db: ctx.db, actor, query: req.query });
  });

  app.get('/tickets/activity', {
    schema: {
      tags: ['tickets'],
      summary: 'Recent activity on visible tickets (最近动态)',
      description: 'The newest audit events of the tickets the caller may see, in event time (`at`), newest first, each with its ticket. '
        + 'Pass `nextCursor` (an event id) as `before` for the events before that one in time. '
        + 'Customers see only the events of their ticket timeline.',
      querystring: zActivityQuery,
      response: { 200: zActivityList },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read' });
    return listActivity({ db: ctx.db, actor, query: req.query });
  });
});
