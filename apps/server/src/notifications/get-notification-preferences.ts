/** The caller's channels per notification kind: every kind, on unless switched off. */
import { eq } from 'drizzle-orm';
import { NOTIFICATION_KINDS, type NotificationPreferences } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { notificationPreferences } from '../db/schema.js';

export async function getNotificationPreferences(opts: { db: DbOrTx; userId: string }): Promise<NotificationPreferences> {
  const rows = await opts.db
    .select({ kind: notificationPreferences.kind, channel: notificationPreferences.channel, enabled: notificationPreferences.enabled })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, opts.userId));
  const off = new Set(rows.filter((r) => !r.enabled).map((r) => `${r.kind}:${r.channel}`));
  return {
    items: NOTIFICATION_KINDS.map((kind) => ({ kind, inApp: !off.has(`${kind}:in_app`), email: !off.has(`${kind}:email`) })),
  };
}
