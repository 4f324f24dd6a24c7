/**
 * Outbox handler of `notify.ticket_assigned`: tells the new owner of a ticket, in their language.
 * Idempotent: the notification's source key is `<outbox id>:<user id>`, so running the same row
 * again (after a crash before it was marked done) adds nothing.
 */
import { eq, inArray } from 'drizzle-orm';
import { notifications, tickets, users } from '../db/schema.js';
import { newId } from '../db/util.js';
import type { OutboxHandler } from '../jobs/handlers.js';
import { messages } from './messages.js';

export const notifyTicketAssigned: OutboxHandler<'notify.ticket_assigned'> = async (ctx, payload, row) => {
  const { db, log } = ctx;
  const [ticket] = await db
    .select({ id: tickets.id, number: tickets.number, title: tickets.title })
    .from(tickets)
    .where(eq(tickets.id, payload.ticketId))
    .limit(1);
  const people = await db
    .select({ id: users.id, displayName: users.displayName, locale: users.locale, active: users.active })
    .from(users)
    .where(inArray(users.id, payload.by ? [payload.userId, payload.by] : [payload.userId]));
  const recipient = people.find((p) => p.id === payload.userId);
  // Neither comes back by retrying: tickets are never deleted and a removed user stays removed.
  if (!ticket || !recipient || !recipient.active) {
    log.warn({ ticketId: payload.ticketId, userId: payload.userId }, 'ticket or active recipient not found; nothing to notify');
    return;
  }
  const by = payload.by ? people.find((p) => p.id === payload.by)?.displayName ?? null : null;
  const text = messages[recipient.locale].ticketAssigned({ number: ticket.number, title: ticket.title, by });
  await db
    .insert(notifications)
    .values({
      id: newId(),
      userId: recipient.id,
      kind: 'ticket_assigned',
      title: text.title,
      body: text.body,
      ticketId: ticket.id,
      sourceKey: `${row.id}:${recipient.id}`,
    })
    .onConflictDoNothing({ target: notifications.sourceKey });
};
