/** The API view of a stored notification (with its ticket's readable number). */
import type { Notification } from '@closeloop/contract';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { notifications, tickets } from '../db/schema.js';

export type NotificationRow = typeof notifications.$inferSelect;

export function toNotification(row: NotificationRow, ticketNumber: string | null): Notification {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    ticketId: row.ticketId,
    ticketNumber,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Select list + join shared by the readers: a notification and its ticket's number. */
export function selectNotifications(db: DbOrTx) {
  return db
    .select({ n: notifications, ticketNumber: tickets.number })
    .from(notifications)
    .leftJoin(tickets, eq(tickets.id, notifications.ticketId));
}
