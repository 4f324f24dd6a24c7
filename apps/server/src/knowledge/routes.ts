/** Knowledge base endpoints: articles (staff), public articles (no login), suggestions. */
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import {
  zArticle, zArticleDraft, zArticleInput, zArticleList, zArticleListQuery, zArticleRevisionList, zArticleUpdate, zId,
  zSuggestionInput, zSuggestions,
} from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { tickets } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { defineRoutes } from '../http/routes.js';
import { findVisibleTicket } from '../tickets/access.js';
import { checkPublicRate } from '../followup/public-rate-limit.js';
import { articleDraftFromTicket } from './article-from-ticket.js';
import { createArticle, getArticle, listArticles, listRevisions, updateArticle } from './articles.js';
import { suggestForDraft, suggestForTicket } from './find-suggestions.js';

const TAGS = ['knowledge'];
const zParams = z.object({ id: zId });
const STAFF = ['admin', 'manager', 'agent', 'handler', 'verifier'] as const;

export const knowledgeRoutes = defineRoutes(async (app, ctx) => {
  app.get('/knowledge/articles', {
    schema: { tags: TAGS, summary: 'Search and list articles (staff; Chinese search like the ticket list)', querystring: zArticleListQuery, response: { 200: zArticleList } },
  }, async (req) => {
    requireActor(req.actor, { scope: 'tickets:read', roles: STAFF });
    return listArticles({ db: ctx.db, publicOnly: false, ...req.query });
  });

  app.post('/knowledge/articles', {
    schema: { tags: TAGS, summary: 'Write an article (draft or published)', body: zArticleInput, response: { 201: zArticle } },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, { scope: 'tickets:write', roles: STAFF });
    return reply.status(201).send(await createArticle({ db: ctx.db, actor, input: req.body }));
  });

  app.get('/knowledge/articles/:id', {
    schema: { tags: TAGS, summary: 'One article', params: zParams, response: { 200: zArticle } },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read' });
    return getArticle({ db: ctx.db, actor, id: req.params.id });
  });

  app.patch('/knowledge/articles/:id', {
    schema: {
      tags: TAGS, summary: 'Edit an article: a new revision (409 when someone saved a newer one meanwhile)',
      params: zParams, body: zArticleUpdate, response: { 200: zArticle },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:write', roles: STAFF });
    return updateArticle({ db: ctx.db, actor, id: req.params.id, input: req.body });
  });

  app.get('/knowledge/articles/:id/revisions', {
    schema: { tags: TAGS, summary: 'Every saved revision of an article, newest first', params: zParams, response: { 200: zArticleRevisionList } },
  }, async (req) => {
    requireActor(req.actor, { scope: 'tickets:read', roles: STAFF });
    return { items: await listRevisions(ctx.db, req.params.id) };
  });

  app.get('/tickets/:id/article-draft', {
    schema: {
      tags: TAGS, summary: '"Publish as article": an article prefilled from an accepted or closed ticket',
      params: zParams, response: { 200: zArticleDraft },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read', roles: STAFF });
    return articleDraftFromTicket({ db: ctx.db, actor, ticketId: req.params.id });
  });

  app.get('/public/knowledge/articles', {
    schema: { tags: TAGS, summary: 'Public published articles (no login; for the customer portal)', querystring: zArticleListQuery, response: { 200: zArticleList } },
  }, async (req) => {
    checkPublicRate(req.ip);
    return listArticles({ db: ctx.db, publicOnly: true, ...req.query, status: undefined });
  });

  app.get('/public/knowledge/articles/:id', {
    schema: { tags: TAGS, summary: 'One public article (no login)', params: zParams, response: { 200: zArticle } },
  }, async (req) => {
    checkPublicRate(req.ip);
    return getArticle({ db: ctx.db, actor: null, id: req.params.id });
  });

  app.post('/suggestions', {
    schema: {
      tags: TAGS, summary: 'Intake suggestions: similar solved tickets and articles, and a likely duplicate, for a draft',
      body: zSuggestionInput, response: { 200: zSuggestions },
    },
  }, async (req) => {
    requireActor(req.actor, { scope: 'tickets:read', roles: STAFF });
    return suggestForDraft({ db: ctx.db, input: req.body });
  });

  app.get('/tickets/:id/similar', {
    schema: { tags: TAGS, summary: 'Similar solved tickets and articles, and a likely duplicate, for a ticket', params: zParams, response: { 200: zSuggestions } },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read', roles: STAFF });
    await findVisibleTicket({ db: ctx.db, actor, ticketId: req.params.id });
    const [t] = await ctx.db.select({ id: tickets.id, title: tickets.title, description: tickets.description, customerId: tickets.customerId, product: tickets.product })
      .from(tickets).where(eq(tickets.id, req.params.id));
    if (!t) throw new AppError('NOT_FOUND', 'ticket not found');
    return suggestForTicket({ db: ctx.db, ticket: { ...t, model: t.product.model ?? null } });
  });
});
