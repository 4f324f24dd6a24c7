/** Acceptance endpoints: recording checklist items, 待我验收, and the per-category templates (admin). */
import { z } from 'zod';
import {
  STAFF_ROLES, zAcceptanceItem, zAcceptanceItemInput, zAcceptanceTemplateInput, zAcceptanceTemplateItem, zAcceptanceTemplateList,
  zAcceptanceTemplatePatch, zId, zMyAcceptanceList, zOk,
} from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { defineRoutes } from '../http/routes.js';
import { listMyAcceptances } from './list-my-acceptances.js';
import { recordAcceptanceItem } from './record-item.js';
import { createTemplateItem, deleteTemplateItem, listTemplateItems, updateTemplateItem } from './templates.js';

const ADMIN = { scope: 'admin', roles: ['admin'] } as const;
const STAFF = { scope: 'tickets:read', roles: STAFF_ROLES } as const;
const TAGS = ['acceptance'];

export const acceptanceRoutes = defineRoutes(async (app, ctx) => {
  app.put('/tickets/:id/acceptance/items/:itemId', {
    schema: {
      tags: TAGS, summary: 'Record an item of the open acceptance round (verifier; not the owner of the measure verified)',
      params: z.object({ id: zId, itemId: zId }), body: zAcceptanceItemInput, response: { 200: zAcceptanceItem },
    },
  }, async (req) => recordAcceptanceItem({
    db: ctx.db, actor: requireActor(req.actor, { scope: 'tickets:write', roles: STAFF_ROLES }), ticketId: req.params.id,
    itemId: req.params.itemId, input: req.body,
  }));

  app.get('/me/acceptances', {
    schema: { tags: TAGS, summary: '待我验收: tickets in acceptance whose open round I may record', response: { 200: zMyAcceptanceList } },
  }, async (req) => listMyAcceptances({ db: ctx.db, actor: requireActor(req.actor, STAFF) }));

  app.get('/categories/:id/acceptance-templates', {
    schema: { tags: TAGS, summary: 'The acceptance template of a category', params: z.object({ id: zId }), response: { 200: zAcceptanceTemplateList } },
  }, async (req) => {
    requireActor(req.actor, STAFF);
    return { items: await listTemplateItems(ctx.db, req.params.id) };
  });

  app.post('/categories/:id/acceptance-templates', {
    schema: {
      tags: TAGS, summary: 'Add an acceptance template item (admin)', params: z.object({ id: zId }),
      body: zAcceptanceTemplateInput, response: { 201: zAcceptanceTemplateItem },
    },
  }, async (req, reply) => reply.status(201).send(await createTemplateItem({
    db: ctx.db, actor: requireActor(req.actor, ADMIN), categoryId: req.params.id, input: req.body,
  })));

  app.patch('/acceptance-templates/:itemId', {
    schema: {
      tags: TAGS, summary: 'Change an acceptance template item (admin)', params: z.object({ itemId: zId }),
      body: zAcceptanceTemplatePatch, response: { 200: zAcceptanceTemplateItem },
    },
  }, async (req) => updateTemplateItem({ db: ctx.db, actor: requireActor(req.actor, ADMIN), itemId: req.params.itemId, patch: req.body }));

  app.delete('/acceptance-templates/:itemId', {
    schema: { tags: TAGS, summary: 'Remove an acceptance template item (admin)', params: z.object({ itemId: zId }), response: { 200: zOk } },
  }, async (req) => {
    await deleteTemplateItem({ db: ctx.db, actor: requireActor(req.actor, ADMIN), itemId: req.params.itemId });
    return { ok: true as const };
  });
});
