/**
 * The form engine's API: a category's form (current version, versions, catalog), publishing a
 * new version (admin), and one version by id (what a ticket's values follow).
 */
import { z } from 'zod';
import { zFormCatalog, zFormPublish, zFormVersion, zFormVersionList, zId } from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { defineRoutes } from '../http/routes.js';
import { notFound } from '../http/app-error.js';
import { formFieldCatalog } from './catalog.js';
import {
  currentFormVersion, forgetAfterPublish, formVersionById, formVersionOf, listFormVersions, publishFormVersion,
  publisherName, toFormVersion,
} from './form-store.js';

const zParams = z.object({ id: zId });
const ADMIN = { scope: 'admin', roles: ['admin'] } as const;

export const formRoutes = defineRoutes(async (app, ctx) => {
  app.get('/categories/:id/form', {
    schema: {
      tags: ['forms'], summary: "A category's current form version (its fields, in order)",
      params: zParams, response: { 200: zFormVersion },
    },
  }, async (req) => {
    requireActor(req.actor);
    const row = await currentFormVersion(ctx.db, req.params.id);
    if (!row) throw notFound('form');
    return toFormVersion(row, await publisherName(ctx.db, row));
  });

  app.post('/categories/:id/form', {
    schema: {
      tags: ['forms'],
      summary: 'Publish fields as the next form version (admin); unchanged fields publish nothing (200)',
      params: zParams, body: zFormPublish, response: { 200: zFormVersion, 201: zFormVersion },
    },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, ADMIN);
    const { row, created } = await ctx.db.transaction((tx) => publishFormVersion({
      tx, actor, categoryId: req.params.id, fields: req.body.fields, note: req.body.note, baseVersion: req.body.baseVersion,
    }));
    forgetAfterPublish();
    return reply.status(created ? 201 : 200).send(toFormVersion(row, await publisherName(ctx.db, row)));
  });

  app.get('/categories/:id/form/versions', {
    schema: {
      tags: ['forms'], summary: "A category's form versions, newest first",
      params: zParams, response: { 200: zFormVersionList },
    },
  }, async (req) => {
    requireActor(req.actor);
    return { items: await listFormVersions(ctx.db, req.params.id) };
  });

  app.get('/categories/:id/form/versions/:version', {
    schema: {
      tags: ['forms'], summary: 'One form version of a category',
      params: zParams.extend({ version: z.coerce.number().int().min(1) }), response: { 200: zFormVersion },
    },
  }, async (req) => {
    requireActor(req.actor);
    const row = await formVersionOf(ctx.db, req.params.id, req.params.version);
    if (!row) throw notFound('form version');
    return toFormVersion(row, await publisherName(ctx.db, row));
  });

  app.get('/categories/:id/form/catalog', {
    schema: {
      tags: ['forms'],
      summary: 'Every field tickets of the category can carry, typed, with option codes (for rules and flow conditions)',
      params: zParams, response: { 200: zFormCatalog },
    },
  }, async (req) => {
    requireActor(req.actor);
    return formFieldCatalog(ctx.db, req.params.id);
  });

  app.get('/form-versions/:id', {
    schema: { tags: ['forms'], summary: 'A form version by id (what a ticket\'s values follow)', params: zParams, response: { 200: zFormVersion } },
  }, async (req) => {
    requireActor(req.actor);
    const row = await formVersionById(ctx.db, req.params.id);
    if (!row) throw notFound('form version');
    return toFormVersion(row, await publisherName(ctx.db, row));
  });
});
