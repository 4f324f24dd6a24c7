/** Admin view of e-mail deliveries: what went out, what waits (quiet hours), what failed and why. */
import { zEmailDeliveryList, zEmailDeliveryListQuery } from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { defineRoutes } from '../http/routes.js';
import { listEmailDeliveries } from './list-email-deliveries.js';

const ADMIN = { scope: 'admin', roles: ['admin'] } as const;

export const mailRoutes = defineRoutes(async (app, ctx) => {
  app.get('/email-deliveries', {
    schema: {
      tags: ['notifications'],
      summary: 'List e-mail deliveries, newest first, optionally by status (admin)',
      querystring: zEmailDeliveryListQuery,
      response: { 200: zEmailDeliveryList },
    },
  }, async (req) => {
    requireActor(req.actor, ADMIN);
    return listEmailDeliveries({ db: ctx.db, query: req.query });
  });
});
