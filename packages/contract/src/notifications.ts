import { z } from 'zod';
import { zId } from './common.js';
import { zNotification } from './tickets.js';

/** GET /notifications: the caller's own, newest first. */
export const zNotificationListQuery = z.object({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** The id of the last item of the previous page. */
  cursor: zId.optional(),
});
export type NotificationListQuery = z.infer<typeof zNotificationListQuery>;

export const zNotificationList = z.object({
  items: z.array(zNotification),
  /** All unread of the caller, not only this page's: the bell's badge. */
  unreadCount: z.number().int(),
  nextCursor: zId.nullable(),
});
export type NotificationList = z.infer<typeof zNotificationList>;

export const zNotificationsReadAll = z.object({ ok: z.literal(true), updated: z.number().int() });
