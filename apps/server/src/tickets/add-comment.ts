/**
 * A comment on a ticket: public ones are part of the conversation with the customer, internal
 * ones stay among staff. Customers post only public comments, on their own tickets; the ticket's
 * owner is told when the customer writes, so a reply does not wait for someone to look.
 */
import { eq } from 'drizzle-orm';
import type { Comment, CommentVisibility } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { comments, tickets, users } from '../db/schema.js';
import { enqueue } from '../jobs/outbox.js';
import { messages } from '../notifications/messages.js';
import { newId } from '../db/util.js';
import { findVisibleTicket } from './access.js';

export async function addComment(opts: {
  db: Db;
  actor: Actor;
  ticketId: string;
  input: { body: string; visibility?: CommentVisibility };
  /** When the comment was written (demo data backdates it); defaults to now. */
  now?: Date;
}): Promise<Comment> {
  const { db, actor, ticketId, input } = opts;
  const visibility: CommentVisibility = actor.role === 'customer' ? 'public' : (input.visibility ?? 'public');
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  const excerpt = Array.from(input.body).slice(0, 200).join('');

  return db.transaction(async (tx) => {
    const ticket = await findVisibleTicket({ db: tx, actor, ticketId });
    // A comment is activity on the ticket: lists sorted by "updated" should show it.
    await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticketId));

    const id = newId(now.getTime());
    const [row] = await tx.insert(comments).values({
      id, ticketId, authorId: actor.userId, body: input.body, visibility, createdAt: now,
    }).returning();
    await appendEvent({
      tx, actor, chain: ticketChain(ticketId), ticketId, type: 'comment.added', at: now,
      data: { commentId: id, visibility, excerpt },
    });
    if (actor.role === 'customer' && ticket.ownerId) {
      const text = messages['zh-CN'].customerCommented({ number: ticket.number, excerpt });
      await enqueue(tx, {
        kind: 'notify.users',
        payload: { userIds: [ticket.ownerId], kind: 'ticket_customer_comment', title: text.title, body: text.body, ticketId },
        dedupeKey: `customer_comment:${id}`,
      });
    }

    const [author] = actor.userId
      ? await tx.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.id, actor.userId))
      : [];
    return {
      id, ticketId, author: author ?? null, body: row!.body, visibility, createdAt: row!.createdAt.toISOString(),
    };
  });
}
