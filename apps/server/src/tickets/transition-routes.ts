/** Lifecycle endpoints: issue a command on a ticket, read its timeline. */
import { z } from 'zod';
import { zEventList, zId, zTicket, zTransition } from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { defineRoutes } from '../http/routes.js';
import { canSeeTicket } from './access.js';
import { applyTransition } from './apply-transition.js';
import { loadTicketView } from './get-ticket.js';
import { listTicketEvents } from './list-events.js';

const zParams = z.object({ id: zId });

export const transitionRoutes = defineRoutes(async (app, ctx) => {
  app.post('/tickets/:id/transitions', {
    schema: {
      tags: ['tickets'],
      summary: 'Issue a lifecycle command (accept, submit_plan, approve_plan, confirm, reopen, cancel, reassign …)',
      description: 'A command the ticket\'s status, process template or the caller\'s role does not allow is refused '
        + 'with 409 INVALID_TRANSITION or 403 FORBIDDEN and changes nothing. Answers the updated ticket.',
      params: zParams,
      body: zTransition,
      response: { 200: zTicket },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:write' });
    const updated = await applyTransition({ db: ctx.db, actor, ticketId: req.params.id, transition: req.body });
    // A manager who hands the ticket to a department outside their own no longer sees it, yet
    // the change was theirs: answer with its result, not 404. Manager commands do not depend on
    // departments, so the commands offered stay the caller's own.
    const viewer = canSeeTicket(actor, updated) || !updated.departmentId
      ? actor
      : { ...actor, departmentIds: [...actor.departmentIds, updated.departmentId] };
    return loadTicketView({ db: ctx.db, actor: viewer, id: req.params.id });
  });

  app.get('/tickets/:id/events', {
    schema: {
      tags: ['tickets'],
      summary: 'The ticket\'s timeline: every step, oldest first (customers see the steps that concern them)',
      params: zParams,
      response: { 200: zEventList },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read' });
    return { items: await listTicketEvents({ db: ctx.db, actor, ticketId: req.params.id }) };
  });
});
