/** Platform and chat intake: POST /integrations/{source}/messages, for connectors' API tokens. */
import { z } from 'zod';
import { INTEGRATION_SOURCES, zIntegrationMessage, zIntegrationMessageResult } from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { defineRoutes } from '../http/routes.js';
import { receiveMessage } from './receive-message.js';

const zSourceParams = z.object({ source: z.enum(INTEGRATION_SOURCES) });

export const integrationRoutes = defineRoutes(async (app, ctx) => {
  app.post('/integrations/:source/messages', {
    schema: {
      tags: ['integrations'],
      summary: 'Receive a message from 微信 / 企业微信 / 天猫 / 京东: a new conversation opens a ticket, a later one comments on it',
      description: 'Needs a token with scope integrations:write. Idempotent by (source, messageId): a repeat answers 200 with replayed=true and the same ticket or comment.',
      params: zSourceParams,
      body: zIntegrationMessage,
      response: { 200: zIntegrationMessageResult, 201: zIntegrationMessageResult },
    },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, { scope: 'integrations:write' });
    const result = await receiveMessage({ db: ctx.db, dbKind: ctx.dbKind, actor, source: req.params.source, input: req.body });
    return reply.status(result.replayed ? 200 : 201).send(result);
  });
});
