/** Ticket intake, reading, listing and editing. Status changes live in transition-routes.ts. */
import { z } from 'zod';
import {
  zId, zPage, zTicket, zTicketCreate, zTicketListQuery, zTicketPatch, zTicketSummary,
} from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { defineRoutes } from '../http/routes.js';
import { IDEMPOTENCY_HEADER, REPLAYED_HEADER, zIdempotencyHeaders } from '../http/idempotency.js';
import { wakeRunners } from '../jobs/runner.js';
import { createTicket } from './create-ticket.js';
import { loadTicketView } from './get-ticket.js';
import { listTickets } from './list-tickets.js';
import { updateTicket } from './update-ticket.js';

const zTicketParams = z.object({ id: zId });

export const ticketRoutes = defineRoutes(async (app, ctx) => {
  app.post('/tickets', {
    schema: {
      tags: ['tickets'],
      summary: 'Register a problem (问题登记)',
      description: 'Creates a ticket. With an `Idempotency-Key` header a repeated request with the same body '
        + 'answers 200 with the ticket created first and `Idempotent-Replayed: true`; a different body answers 422.',
      headers: zIdempotencyHeaders,
      body: zTicketCreate,
      response: { 201: zTicket, 200: zTicket },
    },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, { scope: 'tickets:write' });
    const { ticket, replayed, view } = await createTicket({
      db: ctx.db, actor, input: req.body, idempotencyKey: req.headers[IDEMPOTENCY_HEADER],
    });
    if (replayed || !view) {
      const earlier = await loadTicketView({ db: ctx.db, actor, id: ticket.id });
      return reply.status(200).header(REPLAYED_HEADER, 'true').send(earlier);
    }
    wakeRunners();
    // Built by typed code from what was just written: sent as JSON without a second pass through
    // the response schema (the schema still documents it).
    return reply.status(201).header('location', `/api/v1/tickets/${ticket.id}`)
      .serializer(JSON.stringify).send(view);
  });

  app.get('/tickets', {
    schema: {
      tags: ['tickets'],
      summary: 'List tickets',
      description: 'Filters combine with AND. `q` matches a ticket number prefix (SH-2026…) or words in number, '
        + 'title, description, customer and product (Chinese-aware). Pages follow `nextCursor`. '
        + 'sort=priority orders by P1→P3 ascending, then by creation time.',
      querystring: zTicketListQuery,
      response: { 200: zPage(zTicketSummary) },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read' });
    return listTickets({ db: ctx.db, actor, query: req.query });
  });

  app.get('/tickets/:id', {
    schema: {
      tags: ['tickets'],
      summary: 'Get a ticket',
      params: zTicketParams,
      response: { 200: zTicket },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read' });
    return loadTicketView({ db: ctx.db, actor, id: req.params.id });
  });

  app.patch('/tickets/:id', {
    schema: {
      tags: ['tickets'],
      summary: 'Edit a ticket\'s intake data (staff)',
      description: 'Changing the priority needs `priorityReason`. Status and owner change through transitions.',
      params: zTicketParams,
      body: zTicketPatch,
      response: { 200: zTicket },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:write' });
    await updateTicket({ db: ctx.db, actor, id: req.params.id, patch: req.body });
    return loadTicketView({ db: ctx.db, actor, id: req.params.id });
  });
});
