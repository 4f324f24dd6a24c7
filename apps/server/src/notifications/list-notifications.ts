/** The signed-in user's notifications, newest first, with their unread count for the bell. */
import { and, count, desc, eq, isNull, lt } from 'drizzle-orm';
import type { NotificationList } from '@closeloop/contract';
import type { Db } from '../db/client.js';
import { notifications } from '../db/schema.js';
import { toNumber } from '../db/util.js';
import { selectNotifications, toNotification } from './notification-view.js';

export interface ListNotificationsOptions {
  db: Db;
  userId: string;
  unreadOnly: boolean;
  limit: number;
  /** Id of the last notification of the previous page. */
  cursor?: string;
}

export async function listNotifications(opts: ListNotificationsOptions): Promise<NotificationList> {
  const { db, userId, limit } = opts;
  // Ids are UUID v7 (time-ordered), so "newest first" and the page cursor are both the id.
  const rows = await selectNotifications(db)
    .where(and(
      eq(notifications.userId, userId),
      opts.unreadOnly ? isNull(notifications.readAt) : undefined,
      opts.cursor ? lt(notifications.id, opts.cursor) : undefined,
    ))
    .orderBy(desc(notifications.id))
    .limit(limit + 1);
  const [unread] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => toNotification(r.n, r.ticketNumber)),
    unreadCount: toNumber(unread?.n),
    nextCursor: rows.length > limit ? page[page.length - 1]!.n.id : null,
  };
}
