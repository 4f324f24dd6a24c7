/** Marks one of the caller's notifications read; someone else's answers 404 like a missing one. */
import { and, eq, sql } from 'drizzle-orm';
import type { Notification } from '@closeloop/contract';
import type { Db } from '../db/client.js';
import { notifications } from '../db/schema.js';
import { notFound } from '../http/app-error.js';
import { selectNotifications, toNotification } from './notification-view.js';

export async function markNotificationRead(opts: { db: Db; userId: string; id: string }): Promise<Notification> {
  const { db, userId, id } = opts;
  const mine = and(eq(notifications.id, id), eq(notifications.userId, userId));
  // Reading twice keeps the first read time.
  const updated = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(mine)
    .returning({ id: notifications.id });
  if (updated.length === 0) throw notFound('notification');
  const [row] = await selectNotifications(db).where(mine).limit(1);
  return toNotification(row!.n, row!.ticketNumber);
}
