/**
 * The customer's side of the follow-up link (no login): read what the link is about, answer it
 * once. A token that does not verify, names no stored link or another ticket answers 404; a
 * used, replaced or expired link, or a ticket no longer waiting for follow-up, answers 410;
 * none of them changes anything.
 */
import { eq } from 'drizzle-orm';
import type { PublicFollowUp, PublicFollowUpAnswer, PublicFollowUpResult } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db, DbOrTx } from '../db/client.js';
import { customers, followUpLinks, tickets } from '../db/schema.js';
import { approvedPlanSummary } from './plan-summary.js';
import { AppError } from '../http/app-error.js';
import { followupSettingsOf, warrantyNoticeFor } from './followup-settings.js';
import { followupSecret, verifyFollowupToken } from './link-token.js';
import { recordFollowUp } from './record-follow-up.js';

type LinkRow = typeof followUpLinks.$inferSelect;

/** 410 with the reason as the field's code (used / replaced / expired / not_waiting), for the customer's page. */
const gone = (message: string, reason: string) => new AppError('GONE', message, [{ path: 'token', message, code: reason }]);
const unknownLink = () => new AppError('NOT_FOUND', 'follow-up link not found');

async function openLink(db: DbOrTx, token: string, opts: { lock: boolean; now: Date; secret: string }) {
  const verified = verifyFollowupToken(opts.secret, token);
  if (!verified) throw unknownLink();
  const q = db.select().from(followUpLinks).where(eq(followUpLinks.tokenHash, verified.hash));
  const [link] = opts.lock ? await q.for('update') : await q;
  // The signature names the ticket: a link stored for another ticket is not this one.
  if (!link || link.ticketId !== verified.ticketId || link.id !== verified.linkId) throw unknownLink();
  const [ticket] = await db.select({
    id: tickets.id, number: tickets.number, title: tickets.title, status: tickets.status, categoryId: tickets.categoryId,
    customerId: tickets.customerId, resolution: tickets.resolution,
    planSummary: approvedPlanSummary(),
  }).from(tickets).where(eq(tickets.id, link.ticketId));
  if (!ticket) throw unknownLink();
  checkUsable(link, ticket.status, opts.now);
  return { link, ticket };
}

function checkUsable(link: LinkRow, status: string, now: Date) {
  if (link.usedAt) throw gone('this follow-up link was used already', 'used');
  if (link.supersededAt) throw gone('this follow-up link was replaced by a newer one', 'replaced');
  if (link.expiresAt.getTime() <= now.getTime()) throw gone('this follow-up link has expired', 'expired');
  if (status !== 'follow_up') throw gone('this ticket is no longer waiting for your answer', 'not_waiting');
}

export async function getPublicFollowUp(opts: { db: Db; token: string; now?: Date }): Promise<PublicFollowUp> {
  const { link, ticket } = await openLink(opts.db, opts.token, { lock: false, now: opts.now ?? new Date(), secret: await followupSecret(opts.db) });
  const settings = await followupSettingsOf(opts.db, ticket.categoryId);
  const [customer] = await opts.db.select({ name: customers.name }).from(customers).where(eq(customers.id, ticket.customerId));
  return {
    number: ticket.number,
    title: ticket.title,
    whatWasDone: ticket.resolution ?? ticket.planSummary ?? null,
    warrantyNotice: warrantyNoticeFor(settings, link.locale),
    customerName: customer?.name ?? '',
    locale: link.locale,
    expiresAt: link.expiresAt.toISOString(),
  };
}

export async function answerPublicFollowUp(opts: {
  db: Db; token: string; answer: PublicFollowUpAnswer; now?: Date;
}): Promise<PublicFollowUpResult> {
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  const secret = await followupSecret(opts.db); // outside the transaction: may write the secret once
  return opts.db.transaction(async (tx) => {
    const { link, ticket } = await openLink(tx, opts.token, { lock: true, now, secret });
    await tx.update(followUpLinks).set({ usedAt: now }).where(eq(followUpLinks.id, link.id));
    // The customer of this ticket, through the link: the lifecycle's customer rules apply.
    const actor: Actor = {
      kind: 'token', userId: null, role: 'customer', departmentIds: [], customerId: ticket.customerId,
      scopes: ['tickets:read', 'tickets:write'], tokenId: link.id,
    };
    const a = opts.answer;
    const { ticket: after } = await recordFollowUp({
      tx, actor, ticketId: ticket.id, now,
      answer: {
        channel: 'link', solved: a.solved, rating: a.solved ? a.rating : null,
        words: a.comment?.trim() ? a.comment.trim() : null, linkId: link.id,
      },
    });
    const settings = await followupSettingsOf(tx, ticket.categoryId);
    return { solved: a.solved, status: after.status, warrantyNotice: warrantyNoticeFor(settings, link.locale) };
  });
}
