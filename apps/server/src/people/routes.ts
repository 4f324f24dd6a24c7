/** Users and departments: staff read them (to pick owners, filter lists); admins change them. */
import { z } from 'zod';
import {
  STAFF_ROLES, zDepartment, zDepartmentCreate, zDepartmentList, zDepartmentUpdate, zId, zUser,
  zUserCreate, zUserList, zUserListQuery, zUserUpdate,
} from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { AppError, notFound } from '../http/app-error.js';
import { defineRoutes } from '../http/routes.js';
import { createDepartment } from './create-department.js';
import { createUser } from './create-user.js';
import { listDepartmentViews } from './department-view.js';
import { listUsers } from './list-users.js';
import { updateDepartment } from './update-department.js';
import { updateUser } from './update-user.js';
import { getUserView } from './user-view.js';

const zIdParams = z.object({ id: zId });
const staff = { scope: 'tickets:read', roles: STAFF_ROLES } as const;
const admin = { scope: 'admin', roles: ['admin'] } as const;

const nothingToChange = () => new AppError('VALIDATION_FAILED', 'nothing to change', [{ path: '', message: 'nothing to change' }]);

export const peopleRoutes = defineRoutes(async (app, ctx) => {
  app.get('/users', {
    schema: { tags: ['users'], summary: 'List users (staff)', querystring: zUserListQuery, response: { 200: zUserList } },
  }, async (req) => {
    requireActor(req.actor, staff);
    return { items: await listUsers({ db: ctx.db, query: req.query }) };
  });

  app.post('/users', {
    schema: { tags: ['users'], summary: 'Create a user (admin)', body: zUserCreate, response: { 201: zUser } },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, admin);
    return reply.code(201).send(await createUser({ db: ctx.db, actor, input: req.body }));
  });

  app.get('/users/:id', {
    schema: { tags: ['users'], summary: 'Get a user (staff)', params: zIdParams, response: { 200: zUser } },
  }, async (req) => {
    requireActor(req.actor, staff);
    const user = await getUserView(ctx.db, req.params.id);
    if (!user) throw notFound('user');
    return user;
  });

  app.patch('/users/:id', {
    schema: {
      tags: ['users'],
      summary: 'Change a user (admin): profile, role, active, departments, password reset',
      params: zIdParams, body: zUserUpdate, response: { 200: zUser },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, admin);
    if (Object.keys(req.body).length === 0) throw nothingToChange();
    return updateUser({ db: ctx.db, actor, id: req.params.id, patch: req.body, keepSessionId: actor.sessionId });
  });

  app.get('/departments', {
    schema: { tags: ['departments'], summary: 'List departments with member counts (staff)', response: { 200: zDepartmentList } },
  }, async (req) => {
    requireActor(req.actor, staff);
    return { items: await listDepartmentViews(ctx.db) };
  });

  app.post('/departments', {
    schema: { tags: ['departments'], summary: 'Create a department (admin)', body: zDepartmentCreate, response: { 201: zDepartment } },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, admin);
    return reply.code(201).send(await createDepartment({ db: ctx.db, actor, input: req.body }));
  });

  app.patch('/departments/:id', {
    schema: {
      tags: ['departments'], summary: 'Change a department (admin)',
      params: zIdParams, body: zDepartmentUpdate, response: { 200: zDepartment },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, admin);
    if (Object.keys(req.body).length === 0) throw nothingToChange();
    return updateDepartment({ db: ctx.db, actor, id: req.params.id, patch: req.body });
  });
});
