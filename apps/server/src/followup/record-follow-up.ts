/**
 * A follow-up answer, from the customer's link or an agent's phone call, as one transaction:
 * the lifecycle command (`confirm` → closed, or `reopen` → analyzing with the customer's
 * words, reopen_count + 1) through the one transition function, the follow_ups row, the audit
 * event naming the channel and the words, and the published event. Refused commands leave
 * nothing behind (the whole transaction rolls back).
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Tx } from '../db/client.js';
import { followUpLinks, followUps, followUpTimers } from '../db/schema.js';
import { newId } from '../db/util.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { enqueueMany } from '../jobs/outbox.js';
import { applyTransition } from '../tickets/apply-transition.js';
import type { TicketRow } from '../tickets/ticket-row.js';

export interface FollowUpAnswer {
  channel: 'link' | 'phone';
  solved: boolean;
  rating: number | null;
  /** The customer's words (comment on the link, what they said on the phone). */
  words: string | null;
  linkId?: string;
}

export async function recordFollowUp(opts: {
  tx: Tx; actor: Actor; ticketId: string; answer: FollowUpAnswer; now: Date;
}): Promise<{ ticket: TicketRow; followUpId: string }> {
  const { tx, actor, ticketId, answer, now } = opts;
  const { channel, solved, rating, words } = answer;
  // Tx is a Db here: applyTransition's own transaction becomes a savepoint of this one.
  const ticket = await applyTransition({
    db: tx, actor, ticketId, now,
    transition: solved
      ? { command: 'confirm', rating: rating ?? 5, ...(words ? { comment: words } : {}) }
      : { command: 'reopen', reason: words ?? '' },
  });
  const followUpId = newId(now.getTime());
  await tx.insert(followUps).values({
    id: followUpId, ticketId, channel, solved, rating, customerWords: words, linkId: answer.linkId ?? null,
    byUserId: actor.kind === 'user' ? actor.userId : null, at: now,
  });
  // Answered: no other link of this ticket is needed any more (the link's own is marked used).
  await tx.update(followUpLinks).set({ supersededAt: now })
    .where(and(eq(followUpLinks.ticketId, ticketId), isNull(followUpLinks.usedAt), isNull(followUpLinks.supersededAt)));
  await tx.update(followUpTimers).set({ status: 'cancelled' })
    .where(and(eq(followUpTimers.ticketId, ticketId), eq(followUpTimers.status, 'pending')));
  const type = channel === 'link' ? 'followup.answered' : 'followup.phone_logged';
  await appendEvent({
    tx, actor, chain: ticketChain(ticketId), ticketId, type, at: now, chainLocked: true,
    data: { followUpId, channel, solved, rating, customerWords: words },
  });
  await enqueueMany(tx, eventOutboxRows([domainEvent(type, {
    ticketId, number: ticket.number, title: ticket.title, followUpId, solved, rating,
  }, { actor, at: now })]));
  return { ticket, followUpId };
}
