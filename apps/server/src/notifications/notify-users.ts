/**
 * Outbox handler of `notify.users`: one in-app notification per recipient with the given text,
 * and its e-mail (`payload.email`'s template, else `notice`: the same text). Idempotent by
 * `<sourceKey or outbox id>:<user id>`;
 * unknown or deactivated users are skipped, and so is the in-app row of a kind they switched off.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { notificationPreferences, notifications, users } from '../db/schema.js';
import { recordEmailDeliveries } from '../mail/record-email-deliveries.js';
import { parseEmailData } from '../mail/templates.js';
import { newId } from '../db/util.js';
import type { OutboxHandler } from '../jobs/handler-types.js';

export const notifyUsers: OutboxHandler<'notify.users'> = async (ctx, payload, row) => {
  const wanted = [...new Set(payload.userIds)];
  if (wanted.length === 0) return;
  const recipients = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, wanted), eq(users.active, true)));
  const inAppOff = await ctx.db
    .select({ userId: notificationPreferences.userId })
    .from(notificationPreferences)
    .where(and(
      inArray(notificationPreferences.userId, wanted), eq(notificationPreferences.kind, payload.kind),
      eq(notificationPreferences.channel, 'in_app'), eq(notificationPreferences.enabled, false),
    ));
  const off = new Set(inAppOff.map((p) => p.userId));
  if (recipients.length < wanted.length) {
    ctx.log.info({ skipped: wanted.length - recipients.length }, 'some recipients are unknown or inactive');
  }
  if (recipients.length === 0) return;
  const inApp = recipients.filter((u) => !off.has(u.id));
  if (inApp.length) {
    await ctx.db
      .insert(notifications)
      .values(inApp.map((u) => ({
        id: newId(),
        userId: u.id,
        kind: payload.kind,
        title: payload.title,
        body: payload.body ?? null,
        ticketId: payload.ticketId ?? null,
        sourceKey: `${payload.sourceKey ?? row.id}:${u.id}`,
      })))
      .onConflictDoNothing({ target: notifications.sourceKey });
  }
  let email: { template: string; data: Record<string, unknown> } = { template: 'notice', data: { title: payload.title, body: payload.body ?? null } };
  if (payload.email) {
    try {
      email = { template: payload.email.template, data: parseEmailData(payload.email.template, payload.email.data) };
    } catch (err) {
      // The in-app row is written; retrying would not mend the sender's data: mail the text instead.
      ctx.log.error({ err, template: payload.email.template }, 'notify.users: e-mail data does not fit its template; sending the text');
    }
  }
  await recordEmailDeliveries({
    db: ctx.db,
    items: recipients.map((u) => ({
      sourceKey: `${payload.sourceKey ?? row.id}:${u.id}`, userId: u.id, kind: payload.kind,
      template: email.template, data: email.data, ticketId: payload.ticketId ?? null,
    })),
  });
};
