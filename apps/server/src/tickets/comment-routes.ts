/** Comments under a ticket: the conversation with the customer and staff-internal notes. */
import { z } from 'zod';
import { zComment, zCommentCreate, zCommentList, zId } from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { defineRoutes } from '../http/routes.js';
import { addComment } from './add-comment.js';
import { listComments } from './list-comments.js';

const zTicketParams = z.object({ id: zId });

export const commentRoutes = defineRoutes(async (app, ctx) => {
  app.get('/tickets/:id/comments', {
    schema: {
      tags: ['comments'],
      summary: 'List a ticket\'s comments',
      description: 'Oldest first. Customers see only public comments.',
      params: zTicketParams,
      response: { 200: zCommentList },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read' });
    return listComments({ db: ctx.db, actor, ticketId: req.params.id });
  });

  app.post('/tickets/:id/comments', {
    schema: {
      tags: ['comments'],
      summary: 'Comment on a ticket',
      description: 'Staff choose public or internal; a customer\'s comment is always public.',
      params: zTicketParams,
      body: zCommentCreate,
      response: { 201: zComment },
    },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, { scope: 'tickets:write' });
    const comment = await addComment({ db: ctx.db, actor, ticketId: req.params.id, input: req.body });
    return reply.status(201).send(comment);
  });
});
