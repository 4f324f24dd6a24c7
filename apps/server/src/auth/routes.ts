/** Sign-in, sign-out, the caller's own profile and password, and API tokens. */
import { z } from 'zod';
import {
  STAFF_ROLES, zId, zLogin, zMe, zMeUpdate, zOk, zPasswordChange, zToken, zTokenCreate, zTokenCreated,
  zTokenList, type Me,
} from '@closeloop/contract';
import type { Db } from '../db/client.js';
import { notFound } from '../http/app-error.js';
import { defineRoutes } from '../http/routes.js';
import { getUserView } from '../people/user-view.js';
import { updateUser } from '../people/update-user.js';
import { requireActor, scopesForRole, type Actor } from './actor.js';
import { changePassword } from './change-password.js';
import { createToken } from './create-token.js';
import { listTokens } from './list-tokens.js';
import { revokeToken } from './revoke-token.js';
import { SESSION_COOKIE } from './secrets.js';
import { signIn } from './sign-in.js';
import { signOut } from './sign-out.js';

async function meOf(db: Db, userId: string, scopes: Actor['scopes']): Promise<Me> {
  const user = await getUserView(db, userId);
  if (!user) throw notFound('user');
  return { ...user, scopes };
}

export const authRoutes = defineRoutes(async (app, ctx) => {
  const secure = ctx.config.baseUrl.startsWith('https://');

  app.post('/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in with username and password; sets the session cookie',
      description: 'Failed sign-ins are limited per account and per address (429 with Retry-After).',
      security: [],
      body: zLogin,
      response: { 200: zMe },
    },
  }, async (req, reply) => {
    const { secret, userId } = await signIn({
      db: ctx.db, username: req.body.username, password: req.body.password, ip: req.ip,
      userAgent: req.headers['user-agent'],
    });
    const me = await getUserView(ctx.db, userId);
    reply.setCookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'lax', path: '/', secure });
    return { ...me!, scopes: scopesForRole(me!.role) };
  });

  app.post('/auth/logout', {
    schema: { tags: ['auth'], summary: 'Sign out: ends the session and clears the cookie', response: { 200: zOk } },
  }, async (req, reply) => {
    if (req.actor?.sessionId) await signOut({ db: ctx.db, sessionId: req.actor.sessionId });
    reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure });
    return { ok: true as const };
  });

  app.get('/me', {
    schema: { tags: ['auth'], summary: 'The caller: user, departments and scopes', response: { 200: zMe } },
  }, async (req) => {
    const actor = requireActor(req.actor);
    return meOf(ctx.db, actor.userId!, actor.scopes);
  });

  app.patch('/me', {
    schema: { tags: ['auth'], summary: 'Change your display name or language', body: zMeUpdate, response: { 200: zMe } },
  }, async (req) => {
    const actor = requireActor(req.actor);
    await updateUser({ db: ctx.db, actor, id: actor.userId!, patch: req.body });
    return meOf(ctx.db, actor.userId!, actor.scopes);
  });

  app.post('/me/password', {
    schema: {
      tags: ['auth'], summary: 'Change your password; your other sessions end', body: zPasswordChange, response: { 200: zOk },
    },
  }, async (req) => {
    const actor = requireActor(req.actor);
    await changePassword({ db: ctx.db, actor, input: req.body, ip: req.ip });
    return { ok: true as const };
  });

  app.post('/tokens', {
    schema: {
      tags: ['tokens'], summary: 'Create an API token (the secret is shown only in this answer)',
      body: zTokenCreate, response: { 201: zTokenCreated },
    },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, { roles: STAFF_ROLES });
    return reply.code(201).send(await createToken({ db: ctx.db, actor, input: req.body }));
  });

  app.get('/tokens', {
    schema: { tags: ['tokens'], summary: 'List your API tokens (admin: everyone’s)', response: { 200: zTokenList } },
  }, async (req) => {
    const actor = requireActor(req.actor, { roles: STAFF_ROLES });
    return { items: await listTokens({ db: ctx.db, actor }) };
  });

  app.delete('/tokens/:id', {
    schema: {
      tags: ['tokens'], summary: 'Revoke an API token (owner or admin)',
      params: z.object({ id: zId }), response: { 200: zToken },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { roles: STAFF_ROLES });
    return revokeToken({ db: ctx.db, actor, id: req.params.id });
  });
});
