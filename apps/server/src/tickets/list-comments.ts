/** A ticket's comments, oldest first; customers see only the public ones. */
import { and, asc, eq } from 'drizzle-orm';
import type { Comment } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { comments, users } from '../db/schema.js';
import { findVisibleTicket } from './access.js';

export async function listComments(opts: { db: DbOrTx; actor: Actor; ticketId: string }): Promise<{ items: Comment[] }> {
  const { db, actor, ticketId } = opts;
  await findVisibleTicket({ db, actor, ticketId });

  const rows = await db
    .select({ comment: comments, author: { id: users.id, displayName: users.displayName } })
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(and(
      eq(comments.ticketId, ticketId),
      actor.role === 'customer' ? eq(comments.visibility, 'public') : undefined,
    ))
    .orderBy(asc(comments.createdAt), asc(comments.id));
  return {
    items: rows.map(({ comment: c, author }) => ({
      id: c.id, ticketId: c.ticketId, author, body: c.body, visibility: c.visibility, createdAt: c.createdAt.toISOString(),
    })),
  };
}
