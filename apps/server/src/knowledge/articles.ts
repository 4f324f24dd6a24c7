/**
 * Knowledge articles (知识库): create, edit with history (every save is a whole revision in
 * article_revisions), publish, read, and search by staff with the tickets' Chinese search
 * (search/tokenize.ts: CJK bigrams + words in `search_text`, a stored tsvector with a GIN index).
 * Public published articles are readable without login (the future customer portal).
 * Each create / edit is one transaction: the article, its revision and the audit event
 * (`knowledge.article_published` / `knowledge.article_revised`, chain `article:<id>`).
 */
import { and, desc, eq, getTableColumns, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { ARTICLE_EVENT_PAYLOADS, type Article, type ArticleEventType, type ArticleInput, type ArticleUpdate } from '@closeloop/contract';
import { zArticleInput } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db, DbOrTx, Tx } from '../db/client.js';
import { articleRevisions, categories, knowledgeArticles, tickets, users } from '../db/schema.js';
import { newId } from '../db/util.js';
import { AppError, invalidField, notFound } from '../http/app-error.js';
import { queryTokens, searchTextOf, toTsQueryText } from '../search/tokenize.js';

type Row = typeof knowledgeArticles.$inferSelect;
const articleChain = (id: string) => `article:${id}`;

const CONTENT_KEYS = ['title', 'problem', 'cause', 'solution', 'models', 'categoryId', 'rootCauseClass', 'isPublic', 'status'] as const;

function searchTextFor(a: Pick<Row, 'title' | 'problem' | 'cause' | 'solution' | 'models'>): string {
  return searchTextOf([a.title, a.problem, a.cause, a.solution, a.models.join(' ')]);
}

const articleColumns = (() => {
  const { searchVector: _v, searchText: _t, ...rest } = getTableColumns(knowledgeArticles);
  return rest;
})();

async function view(db: DbOrTx, rows: Omit<Row, 'searchVector' | 'searchText'>[]): Promise<Article[]> {
  if (!rows.length) return [];
  const people = new Map<string, string>();
  const numbers = new Map<string, string>();
  const userIds = [...new Set(rows.map((r) => r.updatedById).filter((x): x is string => !!x))];
  const ticketIds = [...new Set(rows.map((r) => r.sourceTicketId).filter((x): x is string => !!x))];
  if (userIds.length) {
    for (const u of await db.select({ id: users.id, n: users.displayName }).from(users).where(inArray(users.id, userIds))) people.set(u.id, u.n);
  }
  if (ticketIds.length) {
    for (const t of await db.select({ id: tickets.id, n: tickets.number }).from(tickets).where(inArray(tickets.id, ticketIds))) numbers.set(t.id, t.n);
  }
  return rows.map((r) => ({
    id: r.id, title: r.title, problem: r.problem, cause: r.cause, solution: r.solution, models: r.models,
    categoryId: r.categoryId, rootCauseClass: r.rootCauseClass,
    sourceTicket: r.sourceTicketId && numbers.has(r.sourceTicketId) ? { id: r.sourceTicketId, number: numbers.get(r.sourceTicketId)! } : null,
    isPublic: r.isPublic, status: r.status, revision: r.revision,
    publishedAt: r.publishedAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
    updatedBy: r.updatedById && people.has(r.updatedById) ? { id: r.updatedById, displayName: people.get(r.updatedById)! } : null,
  }));
}

function requireEditor(actor: Actor) {
  if (actor.role === 'customer' || !actor.userId) throw new AppError('FORBIDDEN', 'articles are written by staff');
}

async function record(tx: Tx, actor: Actor, type: ArticleEventType, payload: Record<string, unknown>, at: Date, id: string) {
  ARTICLE_EVENT_PAYLOADS[type].parse(payload);
  await appendEvent({ tx, actor, chain: articleChain(id), type, data: payload, at });
}

async function checkRefs(tx: Tx, input: { categoryId?: string | null; sourceTicketId?: string | null }) {
  if (input.categoryId) {
    const [c] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.id, input.categoryId));
    if (!c) throw invalidField('categoryId', 'no such category');
  }
  if (input.sourceTicketId) {
    const [t] = await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, input.sourceTicketId));
    if (!t) throw invalidField('sourceTicketId', 'no such ticket');
  }
}

export async function createArticle(opts: { db: Db; actor: Actor; input: ArticleInput; now?: Date }): Promise<Article> {
  const { db, actor } = opts;
  requireEditor(actor);
  const input = zArticleInput.parse(opts.input);
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  const id = newId(now.getTime());
  const row = await db.transaction(async (tx) => {
    await checkRefs(tx, input);
    const values = {
      id, title: input.title, problem: input.problem, cause: input.cause, solution: input.solution, models: input.models,
      categoryId: input.categoryId ?? null, rootCauseClass: input.rootCauseClass ?? null, sourceTicketId: input.sourceTicketId ?? null,
      isPublic: input.isPublic, status: input.status, revision: 1,
      createdById: actor.userId, updatedById: actor.userId, createdAt: now, updatedAt: now,
      publishedAt: input.status === 'published' ? now : null,
    };
    const [r] = await tx.insert(knowledgeArticles).values({ ...values, searchText: searchTextFor(values) }).returning(articleColumns);
    await tx.insert(articleRevisions).values({ id: newId(), articleId: id, revision: 1, content: contentOf(r!), byUserId: actor.userId, at: now });
    if (input.status === 'published') {
      await record(tx, actor, 'knowledge.article_published', { articleId: id, title: r!.title, revision: 1, sourceTicketId: r!.sourceTicketId }, now, id);
    } else {
      await record(tx, actor, 'knowledge.article_revised', { articleId: id, title: r!.title, revision: 1 }, now, id);
    }
    return r!;
  });
  return (await view(db, [row]))[0]!;
}

function contentOf(r: Pick<Row, (typeof CONTENT_KEYS)[number]>): Record<string, unknown> {
  return Object.fromEntries(CONTENT_KEYS.map((k) => [k, r[k]]));
}

export async function updateArticle(opts: { db: Db; actor: Actor; id: string; input: ArticleUpdate; now?: Date }): Promise<Article> {
  const { db, actor, id, input } = opts;
  requireEditor(actor);
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  const row = await db.transaction(async (tx) => {
    const [cur] = await tx.select(articleColumns).from(knowledgeArticles).where(eq(knowledgeArticles.id, id)).for('update');
    if (!cur) throw notFound('article');
    if (cur.revision !== input.revision) {
      throw new AppError('CONFLICT', `the article was changed meanwhile (revision ${cur.revision}, you edited ${input.revision}); reload it`);
    }
    await checkRefs(tx, { categoryId: input.categoryId });
    const { revision: _r, ...changes } = input;
    const next = { ...cur, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) } as typeof cur;
    const publishing = cur.status !== 'published' && next.status === 'published';
    const revision = cur.revision + 1;
    const [r] = await tx.update(knowledgeArticles).set({
      title: next.title, problem: next.problem, cause: next.cause, solution: next.solution, models: next.models,
      categoryId: next.categoryId, rootCauseClass: next.rootCauseClass, isPublic: next.isPublic, status: next.status,
      revision, updatedById: actor.userId, updatedAt: now, searchText: searchTextFor(next),
      ...(publishing ? { publishedAt: now } : {}),
    }).where(eq(knowledgeArticles.id, id)).returning(articleColumns);
    await tx.insert(articleRevisions).values({ id: newId(), articleId: id, revision, content: contentOf(r!), byUserId: actor.userId, at: now });
    if (publishing) {
      await record(tx, actor, 'knowledge.article_published', { articleId: id, title: r!.title, revision, sourceTicketId: r!.sourceTicketId }, now, id);
    } else {
      await record(tx, actor, 'knowledge.article_revised', { articleId: id, title: r!.title, revision }, now, id);
    }
    return r!;
  });
  return (await view(db, [row]))[0]!;
}

/** One article: staff see all; without login (or as a customer) only public published ones. */
export async function getArticle(opts: { db: Db; actor: Actor | null; id: string }): Promise<Article> {
  const [row] = await opts.db.select(articleColumns).from(knowledgeArticles).where(eq(knowledgeArticles.id, opts.id));
  const staff = !!opts.actor && opts.actor.role !== 'customer';
  if (!row || (!staff && !(row.isPublic && row.status === 'published'))) throw notFound('article');
  return (await view(opts.db, [row]))[0]!;
}

export async function listRevisions(db: Db, id: string) {
  const rows = await db.select({ r: articleRevisions, name: users.displayName }).from(articleRevisions)
    .leftJoin(users, eq(users.id, articleRevisions.byUserId))
    .where(eq(articleRevisions.articleId, id)).orderBy(desc(articleRevisions.revision));
  if (!rows.length) throw notFound('article');
  return rows.map(({ r, name }) => ({
    revision: r.revision, content: r.content, at: r.at.toISOString(),
    by: r.byUserId && name ? { id: r.byUserId, displayName: name } : null,
  }));
}

/** The text condition of a search: every query term must match (same as the ticket list). */
export function articleTextWhere(q: string | undefined): SQL | undefined {
  const text = q ? toTsQueryText(queryTokens(q).terms) : null;
  return text ? sql`${knowledgeArticles.searchVector} @@ to_tsquery('simple', ${text})` : undefined;
}

/** Newest first, keyset by (updated_at, id); `publicOnly` for readers without a staff login. */
export async function listArticles(opts: {
  db: Db; publicOnly: boolean; q?: string; status?: 'draft' | 'published'; cursor?: string; limit: number;
}) {
  const conds: (SQL | undefined)[] = [articleTextWhere(opts.q)];
  if (opts.publicOnly) conds.push(sql`${knowledgeArticles.isPublic} and ${knowledgeArticles.status} = 'published'`);
  else if (opts.status) conds.push(eq(knowledgeArticles.status, opts.status));
  if (opts.cursor) {
    const [at, id] = opts.cursor.split('|');
    const when = new Date(at ?? '');
    if (!id || Number.isNaN(when.getTime())) throw invalidField('cursor', 'is not a cursor of this list');
    conds.push(or(lt(knowledgeArticles.updatedAt, when), and(eq(knowledgeArticles.updatedAt, when), lt(knowledgeArticles.id, id))));
  }
  const rows = await opts.db.select(articleColumns).from(knowledgeArticles).where(and(...conds))
    .orderBy(desc(knowledgeArticles.updatedAt), desc(knowledgeArticles.id)).limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return {
    items: await view(opts.db, page),
    nextCursor: rows.length > opts.limit && last ? `${last.updatedAt.toISOString()}|${last.id}` : null,
  };
}
