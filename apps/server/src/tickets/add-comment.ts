/**
 * A comment on a ticket: public ones are part of the conversation with the customer, internal
 * ones stay among staff. Customers post only public comments, on their own tickets.
 */
import { eq } from 'drizzle-orm';
import type { Comment, CommentVisibility } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { comments, users } from '../db/schema.js';
import { newId } from '../db/util.js';
import { findVisibleTicket } from './access.js';

export async function addComment(opts: {
  db: Db;
  actor: Actor;
  ticketId: string;
  input: { body: string; visibility?: CommentVisibility };
}): Promise<Comment> {
  const { db, actor, ticketId, input } = opts;
  const visibility: CommentVisibility = actor.role === 'customer' ? 'public' : (input.visibility ?? 'public');
  const now = new Date(Math.floor(Date.now()));

  return db.transaction(async (tx) => {
    await findVisibleTicket({ db: tx, actor, ticketId });

    const id = newId(now.getTime());
    const [row] = await tx.insert(comments).values({
      id, ticketId, authorId: actor.userId, body: input.body, visibility, createdAt: now,
    }).returning();
    await appendEvent({
      tx, actor, chain: ticketChain(ticketId), ticketId, type: 'comment.added', at: now,
      data: { commentId: id, visibility, excerpt: Array.from(input.body).slice(0, 200).join('') },
    });

    const [author] = actor.userId
      ? await tx.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.id, actor.userId))
      : [];
    return {
      id, ticketId, author: author ?? null, body: row!.body, visibility, createdAt: row!.createdAt.toISOString(),
    };
  });
}
