/**
 * A comment on a ticket: public ones are part of the conversation with the customer, internal
 * ones stay among staff. Customers post only public comments, on their own tickets; the ticket's
 * owner is told when the customer writes, so a reply does not wait for someone to look.
 */
import { eq } from 'drizzle-orm';
import type { Comment, CommentVisibility, EventCause } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { comments, tickets, users } from '../db/schema.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { enqueueMany } from '../jobs/outbox.js';
import { newId } from '../db/util.js';
import { findVisibleTicket } from './access.js';

export async function addComment(opts: {
  db: Db;
  actor: Actor;
  ticketId: string;
  input: { body: string; visibility?: CommentVisibility };
  /** When the comment was written (demo data backdates it); defaults to now. */
  now?: Date;
  cause?: EventCause;
}): Promise<Comment> {
  const { db, actor, ticketId, input } = opts;
  const visibility: CommentVisibility = actor.role === 'customer' ? 'public' : (input.visibility ?? 'public');
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  const excerpt = Array.from(input.body).slice(0, 200).join('');

  return db.transaction(async (tx) => {
    const ticket = await findVisibleTicket({ db: tx, actor, ticketId });
    // A comment is activity on the ticket: lists sorted by "updated" should show it.
    const [touched] = await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticketId))
      .returning({ title: tickets.title });

    const id = newId(now.getTime());
    const [row] = await tx.insert(comments).values({
      id, ticketId, authorId: actor.userId, body: input.body, visibility, createdAt: now,
    }).returning();
    // The update above locked the ticket row: the chain's writers are serialised by it.
    await appendEvent({
      tx, actor, chain: ticketChain(ticketId), ticketId, type: 'comment.added', at: now,
      data: { commentId: id, visibility, excerpt }, chainLocked: true,
    });
    // The notifications subscriber tells the owner when the customer writes.
    await enqueueMany(tx, eventOutboxRows([domainEvent('comment.added', {
      ticketId, number: ticket.number, title: touched!.title, commentId: id, visibility, authorRole: actor.role,
      ownerId: ticket.ownerId, excerpt,
    }, { actor, at: now, cause: opts.cause })]));

    const [author] = actor.userId
      ? await tx.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.id, actor.userId))
      : [];
    return {
      id, ticketId, author: author ?? null, body: row!.body, visibility, createdAt: row!.createdAt.toISOString(),
    };
  });
}
