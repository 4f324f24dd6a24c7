/** Problem categories (问题分类): read by everyone signed in, changed by admins. */
import { z } from 'zod';
import { zCategory, zCategoryCreate, zCategoryList, zCategoryListQuery, zCategoryUpdate, zId } from '@closeloop/contract';
import { isStaff, requireActor } from '../auth/actor.js';
import { defineRoutes } from '../http/routes.js';
import { createCategory } from './create-category.js';
import { getCategory } from './get-category.js';
import { listCategories } from './list-categories.js';
import { updateCategory } from './update-category.js';

const zParams = z.object({ id: zId });
const ADMIN = { scope: 'admin', roles: ['admin'] } as const;

export const categoryRoutes = defineRoutes(async (app, ctx) => {
  app.get('/categories', {
    schema: {
      tags: ['categories'],
      summary: 'List categories, by sort order then name (customers see active ones only)',
      querystring: zCategoryListQuery,
      response: { 200: zCategoryList },
    },
  }, async (req) => {
    const actor = requireActor(req.actor);
    // Customers pick a category when they submit; retired ones are not offered to them.
    const activeOnly = req.query.active === 'true' || !isStaff(actor);
    return { items: await listCategories({ db: ctx.db, activeOnly }) };
  });

  app.get('/categories/:id', {
    schema: { tags: ['categories'], summary: 'Get a category', params: zParams, response: { 200: zCategory } },
  }, async (req) => {
    requireActor(req.actor);
    return getCategory({ db: ctx.db, id: req.params.id });
  });

  app.post('/categories', {
    schema: {
      tags: ['categories'],
      summary: 'Create a category (admin)',
      body: zCategoryCreate,
      response: { 201: zCategory },
    },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, ADMIN);
    const category = await createCategory({ db: ctx.db, actor, input: req.body });
    return reply.status(201).send(category);
  });

  app.patch('/categories/:id', {
    schema: {
      tags: ['categories'],
      summary: 'Change a category (admin); retire it with active=false',
      params: zParams,
      body: zCategoryUpdate,
      response: { 200: zCategory },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, ADMIN);
    return updateCategory({ db: ctx.db, actor, id: req.params.id, input: req.body });
  });
});
