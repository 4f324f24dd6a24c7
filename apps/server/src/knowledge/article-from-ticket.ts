/**
 * "Publish as article" (发布为知识): a draft prefilled from an accepted or closed ticket — the
 * problem from its title and description, the cause from its analysis, the solution from its
 * resolution or plan (summary and measures), the model and category from the ticket.
 */
import { and, asc, desc, eq } from 'drizzle-orm';
import type { ArticleInput, RootCauseClass } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { rectAnalyses, rectMeasures, rectPlans, tickets } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { findVisibleTicket } from '../tickets/access.js';
import { rootCauseClassExpr } from '../followup/root-cause-class.js';

const DONE = new Set(['follow_up', 'closed']);

export async function articleDraftFromTicket(opts: { db: Db; actor: Actor; ticketId: string }): Promise<ArticleInput & { sourceTicketId: string }> {
  const { db, actor, ticketId } = opts;
  if (actor.role === 'customer') throw new AppError('FORBIDDEN', 'articles are written by staff');
  await findVisibleTicket({ db, actor, ticketId });
  const [t] = await db.select({
    title: tickets.title, description: tickets.description, phenomenon: tickets.phenomenon, status: tickets.status,
    resolution: tickets.resolution, product: tickets.product,
    categoryId: tickets.categoryId, rootCauseClass: rootCauseClassExpr('tickets'),
  }).from(tickets).where(eq(tickets.id, ticketId));
  if (!t || !DONE.has(t.status)) {
    throw new AppError('INVALID_TRANSITION', 'only a ticket that passed acceptance (follow-up or closed) can be published as an article');
  }
  // The analysis and the approved plan live in the rectification tables (rectification/).
  const [analysis] = await db.select({ content: rectAnalyses.content }).from(rectAnalyses).where(eq(rectAnalyses.ticketId, ticketId));
  const [plan] = await db.select({ id: rectPlans.id, summary: rectPlans.summary }).from(rectPlans)
    .where(and(eq(rectPlans.ticketId, ticketId), eq(rectPlans.status, 'approved'))).orderBy(desc(rectPlans.version)).limit(1);
  const measures = plan ? await db.select({ action: rectMeasures.action }).from(rectMeasures)
    .where(eq(rectMeasures.planId, plan.id)).orderBy(asc(rectMeasures.seq)) : [];
  const a = analysis?.content;
  const cause = [a?.directCause?.text, a?.rootCause?.text].filter((x): x is string => !!x?.trim()).join('\n');
  const solution = t.resolution?.trim()
    || [plan?.summary, ...measures.map((m, i) => `${i + 1}. ${m.action}`)].filter(Boolean).join('\n');
  return {
    title: t.title,
    problem: [t.description, t.phenomenon].filter((x): x is string => !!x?.trim()).join('\n'),
    cause,
    solution: solution || t.title,
    models: t.product.model ? [t.product.model] : [],
    categoryId: t.categoryId,
    rootCauseClass: (t.rootCauseClass as RootCauseClass | null) ?? null,
    isPublic: false,
    status: 'draft',
    sourceTicketId: ticketId,
  };
}
