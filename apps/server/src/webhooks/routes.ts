/** Admin API of webhooks (设置 › 集成): subscriptions, the delivery log, replay, send test, allow-list. */
import { z } from 'zod';
import {
  zId, zOk, zWebhookDeliveryList, zWebhookDeliveryQuery, zWebhookReplayResult, zWebhookSettings, zWebhookSubscription,
  zWebhookSubscriptionInput, zWebhookSubscriptionList, zWebhookSubscriptionUpdate, zWebhookTestResult,
} from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { defineRoutes } from '../http/routes.js';
import { listWebhookDeliveries, replayWebhookDeliveries } from './deliveries.js';
import { sendWebhookTest } from './send-test.js';
import {
  createWebhookSubscription, deleteWebhookSubscription, listWebhookSubscriptions, updateWebhookSubscription,
} from './subscriptions.js';
import { getWebhookSettings, updateWebhookSettings } from './webhook-settings.js';

const TAGS = ['webhooks'];
const ADMIN = { scope: 'admin', roles: ['admin'] } as const;
const zIdParams = z.object({ id: zId });

export const webhookRoutes = defineRoutes(async (app, ctx) => {
  app.get('/webhooks', {
    schema: { tags: TAGS, summary: 'List webhook subscriptions with delivery counts', response: { 200: zWebhookSubscriptionList } },
  }, async (req) => {
    requireActor(req.actor, ADMIN);
    return listWebhookSubscriptions({ db: ctx.db });
  });

  app.post('/webhooks', {
    schema: {
      tags: TAGS, summary: 'Create a webhook subscription (the secret is in this response only)',
      body: zWebhookSubscriptionInput, response: { 201: zWebhookSubscription },
    },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, ADMIN);
    reply.code(201);
    return createWebhookSubscription({ db: ctx.db, actor, input: req.body });
  });

  app.patch('/webhooks/:id', {
    schema: {
      tags: TAGS, summary: 'Change a webhook subscription (rotateSecret: a new secret, shown once)',
      params: zIdParams, body: zWebhookSubscriptionUpdate, response: { 200: zWebhookSubscription },
    },
  }, async (req) => {
    requireActor(req.actor, ADMIN);
    return updateWebhookSubscription({ db: ctx.db, id: req.params.id, input: req.body });
  });

  app.delete('/webhooks/:id', {
    schema: { tags: TAGS, summary: 'Delete a webhook subscription and its delivery log', params: zIdParams, response: { 200: zOk } },
  }, async (req) => {
    requireActor(req.actor, ADMIN);
    await deleteWebhookSubscription({ db: ctx.db, id: req.params.id });
    return { ok: true as const };
  });

  app.post('/webhooks/:id/test', {
    schema: {
      tags: TAGS, summary: 'Send a webhook.ping now; reports status and latency, never the response body',
      params: zIdParams, response: { 200: zWebhookTestResult },
    },
  }, async (req) => {
    requireActor(req.actor, ADMIN);
    return sendWebhookTest({ db: ctx.db, id: req.params.id });
  });

  app.post('/webhooks/:id/replay', {
    schema: { tags: TAGS, summary: 'Send every dead delivery of a subscription again', params: zIdParams, response: { 200: zWebhookReplayResult } },
  }, async (req) => {
    requireActor(req.actor, ADMIN);
    return replayWebhookDeliveries({ db: ctx.db, subscriptionId: req.params.id });
  });

  app.post('/webhooks/:id/deliveries/:deliveryId/replay', {
    schema: {
      tags: TAGS, summary: 'Send one dead delivery again',
      params: z.object({ id: zId, deliveryId: zId }), response: { 200: zWebhookReplayResult },
    },
  }, async (req) => {
    requireActor(req.actor, ADMIN);
    return replayWebhookDeliveries({ db: ctx.db, subscriptionId: req.params.id, deliveryId: req.params.deliveryId });
  });

  app.get('/webhook-deliveries', {
    schema: {
      tags: TAGS, summary: 'The delivery log, newest first (status, HTTP code, latency, attempts, next attempt)',
      querystring: zWebhookDeliveryQuery, response: { 200: zWebhookDeliveryList },
    },
  }, async (req) => {
    requireActor(req.actor, ADMIN);
    return listWebhookDeliveries({ db: ctx.db, query: req.query });
  });

  app.get('/webhook-settings', {
    schema: { tags: TAGS, summary: 'Hosts allowed despite the private-address checks', response: { 200: zWebhookSettings } },
  }, async (req) => {
    requireActor(req.actor, ADMIN);
    return getWebhookSettings({ db: ctx.db });
  });

  app.put('/webhook-settings', {
    schema: { tags: TAGS, summary: 'Replace the allow-list of hosts', body: zWebhookSettings, response: { 200: zWebhookSettings } },
  }, async (req) => {
    requireActor(req.actor, ADMIN);
    return updateWebhookSettings({ db: ctx.db, settings: req.body });
  });
});
