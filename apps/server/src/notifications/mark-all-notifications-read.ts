/** Marks every unread notification of the caller read ("全部已读"); returns how many changed. */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { notifications } from '../db/schema.js';

export async function markAllNotificationsRead(opts: { db: Db; userId: string }): Promise<number> {
  const updated = await opts.db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, opts.userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return updated.length;
}
