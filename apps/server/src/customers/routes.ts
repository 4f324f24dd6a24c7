/** Customers for staff: look-up while registering a ticket, profile, history and identities. */
import { z } from 'zod';
import {
  STAFF_ROLES, zCustomer, zCustomerIdentityCreate, zCustomerList, zCustomerLookup, zCustomerTicketList,
  zCustomerTicketsQuery, zCustomerUpdate, zId, zCustomerMerge, zCustomerMergeResult,
} from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { defineRoutes } from '../http/routes.js';
import { addCustomerIdentities } from './add-customer-identities.js';
import { getCustomer } from './get-customer.js';
import { listCustomerTickets } from './list-customer-tickets.js';
import { lookupCustomers } from './lookup-customers.js';
import { updateCustomer } from './update-customer.js';
import { customerGone, mergeCustomers, mergePreview } from './merge-customers.js';
import { AppError } from '../http/app-error.js';

const zParams = z.object({ id: zId });
// Customers reach their own tickets through GET /tickets, never other people's records.
const STAFF = { scope: 'customers:read', roles: STAFF_ROLES } as const;
const MERGERS = { scope: 'customers:read', roles: ['admin', 'manager'] } as const;
const zMergePreview = z.object({ tickets: z.number().int(), identities: z.number().int() });

export const customerRoutes = defineRoutes(async (app, ctx) => {
  app.get('/customers', {
    schema: {
      tags: ['customers'],
      summary: 'Find customers by exact phone / e-mail / external id, or by name or phone prefix (q); up to 20',
      querystring: zCustomerLookup,
      response: { 200: zCustomerList },
    },
  }, async (req) => {
    requireActor(req.actor, STAFF);
    return { items: await lookupCustomers({ db: ctx.db, ...req.query }) };
  });

  app.get('/customers/:id', {
    schema: { tags: ['customers'], summary: 'Get a customer', params: zParams, response: { 200: zCustomer } },
  }, async (req) => {
    requireActor(req.actor, STAFF);
    try {
      return await getCustomer({ db: ctx.db, id: req.params.id });
    } catch (err) {
      // A customer merged away answers 404 naming the survivor (fields[0].code = merged).
      if (err instanceof AppError && err.code === 'NOT_FOUND') throw await customerGone(ctx.db, req.params.id);
      throw err;
    }
  });

  app.get('/customers/:id/merge-preview', {
    schema: {
      tags: ['customers'],
      summary: 'What merging this customer into another would move: its tickets and identities',
      params: zParams,
      response: { 200: zMergePreview },
    },
  }, async (req) => {
    requireActor(req.actor, MERGERS);
    await getCustomer({ db: ctx.db, id: req.params.id });
    return mergePreview(ctx.db, req.params.id);
  });

  app.post('/customers/:id/merge', {
    schema: {
      tags: ['customers'],
      summary: 'Merge this customer into another (manager/admin): tickets, identities and logins move; this id then answers 404',
      params: zParams,
      body: zCustomerMerge,
      response: { 200: zCustomerMergeResult },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, MERGERS);
    return mergeCustomers({ db: ctx.db, actor, customerId: req.params.id, input: req.body });
  });

  app.get('/customers/:id/tickets', {
    schema: {
      tags: ['customers'],
      summary: "The customer's tickets, newest first (those the caller may open)",
      params: zParams,
      querystring: zCustomerTicketsQuery,
      response: { 200: zCustomerTicketList },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, STAFF);
    return { items: await listCustomerTickets({ db: ctx.db, actor, customerId: req.params.id, limit: req.query.limit }) };
  });

  app.patch('/customers/:id', {
    schema: {
      tags: ['customers'],
      summary: "Change a customer's name or tier",
      params: zParams,
      body: zCustomerUpdate,
      response: { 200: zCustomer },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, STAFF);
    return updateCustomer({ db: ctx.db, actor, id: req.params.id, input: req.body });
  });

  app.post('/customers/:id/identities', {
    schema: {
      tags: ['customers'],
      summary: 'Add a phone, e-mail or external id to a customer (409 if another customer has it)',
      params: zParams,
      body: zCustomerIdentityCreate,
      response: { 200: zCustomer },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, STAFF);
    return addCustomerIdentities({ db: ctx.db, actor, customerId: req.params.id, input: req.body });
  });
});
