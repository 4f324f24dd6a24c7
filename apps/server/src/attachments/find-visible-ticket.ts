/** The ticket an attachment request is about, if the caller may see it; 404 otherwise. */
import { eq } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { tickets } from '../db/schema.js';
import { notFound } from '../http/app-error.js';
import { canSeeTicket } from '../tickets/access.js';

export async function findVisibleTicket(opts: { db: DbOrTx; actor: Actor; ticketId: string }) {
  const [ticket] = await opts.db
    .select({
      id: tickets.id, customerId: tickets.customerId, departmentId: tickets.departmentId,
      ownerId: tickets.ownerId, createdById: tickets.createdById, plan: tickets.plan,
    })
    .from(tickets).where(eq(tickets.id, opts.ticketId)).limit(1);
  // Someone else's ticket answers like a missing one: its existence is not revealed.
  if (!ticket || !canSeeTicket(opts.actor, ticket)) throw notFound('ticket');
  return ticket;
}
