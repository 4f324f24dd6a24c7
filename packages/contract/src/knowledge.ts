/** Knowledge base (知识库): articles with revisions, search, and intake suggestions. */
import { z } from 'zod';
import { ROOT_CAUSE_CLASSES } from './enums.js';
import { zId, zInstant, zText } from './common.js';

export const ARTICLE_STATUSES = ['draft', 'published'] as const;

const articleFields = {
  title: zText(200),
  problem: zText(4000),
  cause: z.string().trim().max(4000),
  solution: zText(8000),
  models: z.array(z.string().trim().min(1).max(100)).max(50),
  categoryId: zId.nullable(),
  rootCauseClass: z.enum(ROOT_CAUSE_CLASSES).nullable(),
  isPublic: z.boolean(),
  status: z.enum(ARTICLE_STATUSES),
};

export const zArticleInput = z.object({
  ...articleFields,
  cause: articleFields.cause.default(''),
  models: articleFields.models.default([]),
  categoryId: articleFields.categoryId.optional(),
  rootCauseClass: articleFields.rootCauseClass.optional(),
  isPublic: articleFields.isPublic.default(false),
  status: articleFields.status.default('draft'),
  sourceTicketId: zId.nullable().optional(),
});
export type ArticleInput = z.input<typeof zArticleInput>;
/** Only the fields given change (no defaults here, so an edit never resets what it leaves out). */
export const zArticleUpdate = z.object(articleFields).partial().extend({
  /** The revision the editor started from: a newer one answers 409. */
  revision: z.number().int().min(1),
});
export type ArticleUpdate = z.input<typeof zArticleUpdate>;

export const zArticle = z.object({
  id: zId,
  title: z.string(),
  problem: z.string(),
  cause: z.string(),
  solution: z.string(),
  models: z.array(z.string()),
  categoryId: zId.nullable(),
  rootCauseClass: z.string().nullable(),
  sourceTicket: z.object({ id: zId, number: z.string() }).nullable(),
  isPublic: z.boolean(),
  status: z.enum(ARTICLE_STATUSES),
  revision: z.number().int(),
  publishedAt: zInstant.nullable(),
  createdAt: zInstant,
  updatedAt: zInstant,
  updatedBy: z.object({ id: zId, displayName: z.string() }).nullable(),
});
export type Article = z.infer<typeof zArticle>;

export const zArticleListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  status: z.enum(ARTICLE_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const zArticleList = z.object({ items: z.array(zArticle), nextCursor: z.string().nullable() });

export const zArticleRevision = z.object({
  revision: z.number().int(),
  content: z.record(z.string(), z.unknown()),
  by: z.object({ id: zId, displayName: z.string() }).nullable(),
  at: zInstant,
});
export const zArticleRevisionList = z.object({ items: z.array(zArticleRevision) });

/** A prefilled article from a ticket ("publish as article"). */
export const zArticleDraft = zArticleInput.required({ sourceTicketId: true });

export const zSuggestionInput = z.object({
  title: z.string().trim().max(200).default(''),
  description: z.string().trim().max(8000).default(''),
  customer: z.object({
    phone: z.string().trim().max(40).optional(),
    email: z.string().trim().max(200).optional(),
    id: zId.optional(),
  }).optional(),
  product: z.object({ model: z.string().trim().max(100).optional() }).optional(),
});
export type SuggestionInput = z.input<typeof zSuggestionInput>;

export const zSimilarTicket = z.object({
  id: zId, number: z.string(), title: z.string(), status: z.string(),
  resolution: z.string().nullable(), closedAt: zInstant.nullable(), score: z.number(),
});
export const zSimilarArticle = z.object({ id: zId, title: z.string(), problem: z.string(), isPublic: z.boolean(), score: z.number() });
export const zSuggestions = z.object({
  tickets: z.array(zSimilarTicket),
  articles: z.array(zSimilarArticle),
  /** Same customer and product, still open or closed within 30 days: probably the same problem. */
  duplicate: z.object({
    id: zId, number: z.string(), title: z.string(), status: z.string(), createdAt: zInstant,
  }).nullable(),
});
export type Suggestions = z.infer<typeof zSuggestions>;
