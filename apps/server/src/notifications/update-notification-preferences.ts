/**
 * Switches the caller's channels per kind on or off, in one statement (upsert of every changed
 * pair), and answers the whole setting. Takes effect for what is still waiting: e-mails held by
 * quiet hours read the setting when they are sent.
 */
import { sql } from 'drizzle-orm';
import type { NotificationPreferences, NotificationPreferencesUpdate } from '@closeloop/contract';
import type { Db } from '../db/client.js';
import { notificationPreferences } from '../db/schema.js';
import { invalidField } from '../http/app-error.js';
import { getNotificationPreferences } from './get-notification-preferences.js';

export interface UpdateNotificationPreferencesOptions {
  db: Db;
  userId: string;
  update: NotificationPreferencesUpdate;
}

export async function updateNotificationPreferences(opts: UpdateNotificationPreferencesOptions): Promise<NotificationPreferences> {
  const seen = new Set<string>();
  const values: Array<typeof notificationPreferences.$inferInsert> = [];
  opts.update.items.forEach((item, i) => {
    if (seen.has(item.kind)) throw invalidField(`items.${i}.kind`, `${item.kind} is listed twice`);
    seen.add(item.kind);
    if (item.inApp === undefined && item.email === undefined) throw invalidField(`items.${i}`, 'give inApp, email or both');
    if (item.inApp !== undefined) values.push({ userId: opts.userId, kind: item.kind, channel: 'in_app', enabled: item.inApp });
    if (item.email !== undefined) values.push({ userId: opts.userId, kind: item.kind, channel: 'email', enabled: item.email });
  });
  await opts.db
    .insert(notificationPreferences)
    .values(values)
    .onConflictDoUpdate({
      target: [notificationPreferences.userId, notificationPreferences.kind, notificationPreferences.channel],
      set: { enabled: sql`excluded.enabled`, updatedAt: sql`now()` },
    });
  return getNotificationPreferences({ db: opts.db, userId: opts.userId });
}
