/** Admin view of the outbox: what is waiting, what failed for good (dead), and a retry button. */
import { z } from 'zod';
import { zId, zOutboxItem, zOutboxList, zOutboxListQuery } from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { defineRoutes } from '../http/routes.js';
import { listOutbox } from './list-outbox.js';
import { retryOutboxRow } from './retry-outbox-row.js';

const TAGS = ['outbox'];
const ADMIN = { scope: 'admin', roles: ['admin'] } as const;

export const outboxRoutes = defineRoutes(async (app, ctx) => {
  app.get('/outbox', {
    schema: {
      tags: TAGS,
      summary: 'List outbox rows (background side effects) by status',
      querystring: zOutboxListQuery,
      response: { 200: zOutboxList },
    },
  }, async (req) => {
    requireActor(req.actor, ADMIN);
    return listOutbox({ db: ctx.db, query: req.query });
  });

  app.post('/outbox/:id/retry', {
    schema: {
      tags: TAGS,
      summary: 'Send a dead outbox row back to pending',
      params: z.object({ id: zId }),
      response: { 200: zOutboxItem },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, ADMIN);
    return retryOutboxRow({ db: ctx.db, actor, id: req.params.id });
  });
});
