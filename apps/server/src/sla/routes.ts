/** SLA: policies and tier targets (read by staff, changed by admins), a ticket's clocks and explicit policy. */
import { z } from 'zod';
import {
  zId, zOk, zSlaClockList, zSlaPolicy, zSlaPolicyCreate, zSlaPolicyList, zSlaPolicySet, zSlaPolicyUpdate,
  zSlaTierTargetList, zSlaTierTargetsPut,
} from '@closeloop/contract';
import { isStaff, requireActor } from '../auth/actor.js';
import { forbidden } from '../http/app-error.js';
import { defineRoutes } from '../http/routes.js';
import { createSlaPolicy } from './create-sla-policy.js';
import { listSlaPolicies } from './list-sla-policies.js';
import { listTicketClocks } from './list-ticket-clocks.js';
import { setTicketPolicy } from './set-ticket-policy.js';
import { setTierTargets } from './set-tier-targets.js';
import { slaConfig } from './sla-config.js';
import { updateSlaPolicy } from './update-sla-policy.js';

const zParams = z.object({ id: zId });
const ADMIN = { scope: 'admin', roles: ['admin'] } as const;

export const slaRoutes = defineRoutes(async (app, ctx) => {
  app.get('/sla/policies', {
    schema: { tags: ['sla'], summary: 'SLA policies in the order they are tried (staff)', response: { 200: zSlaPolicyList } },
  }, async (req) => {
    const actor = requireActor(req.actor);
    if (!isStaff(actor)) throw forbidden('SLA configuration is internal to staff');
    return { items: await listSlaPolicies({ db: ctx.db }) };
  });

  app.post('/sla/policies', {
    schema: { tags: ['sla'], summary: 'Create an SLA policy (admin)', body: zSlaPolicyCreate, response: { 201: zSlaPolicy } },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, ADMIN);
    return reply.status(201).send(await createSlaPolicy({ db: ctx.db, actor, input: req.body }));
  });

  app.patch('/sla/policies/:id', {
    schema: {
      tags: ['sla'],
      summary: 'Change an SLA policy (admin): a new version; retire it with active=false',
      description: 'Running clocks keep the version they were computed from until the ticket\'s priority, tier, category or explicit policy changes.',
      params: zParams, body: zSlaPolicyUpdate, response: { 200: zSlaPolicy },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, ADMIN);
    return updateSlaPolicy({ db: ctx.db, actor, id: req.params.id, input: req.body });
  });

  app.get('/sla/tier-targets', {
    schema: { tags: ['sla'], summary: 'First-response caps per customer tier (the stricter of cap and policy wins)', response: { 200: zSlaTierTargetList } },
  }, async (req) => {
    const actor = requireActor(req.actor);
    if (!isStaff(actor)) throw forbidden('SLA configuration is internal to staff');
    return { items: (await slaConfig(ctx.db)).tierTargets };
  });

  app.put('/sla/tier-targets', {
    schema: { tags: ['sla'], summary: 'Replace the tier caps (admin)', body: zSlaTierTargetsPut, response: { 200: zSlaTierTargetList } },
  }, async (req) => {
    const actor = requireActor(req.actor, ADMIN);
    return { items: await setTierTargets({ db: ctx.db, actor, items: req.body.items }) };
  });

  app.get('/tickets/:id/sla', {
    schema: { tags: ['sla'], summary: 'The ticket\'s SLA clocks: first response, update interval, resolution (staff)', params: zParams, response: { 200: zSlaClockList } },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read' });
    return { items: await listTicketClocks({ db: ctx.db, actor, ticketId: req.params.id }) };
  });

  app.put('/tickets/:id/sla-policy', {
    schema: {
      tags: ['sla'],
      summary: 'Set the ticket\'s SLA policy explicitly (admin, manager); null returns to matching',
      params: zParams, body: zSlaPolicySet, response: { 200: zOk },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:write', roles: ['admin', 'manager'] });
    await setTicketPolicy({ db: ctx.db, actor, ticketId: req.params.id, policyId: req.body.policyId });
    return { ok: true as const };
  });
});
