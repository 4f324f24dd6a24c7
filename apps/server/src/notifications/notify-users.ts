/**
 * Outbox handler of `notify.users`: one in-app notification per recipient with the given text.
 * Idempotent by `<sourceKey or outbox id>:<user id>`; unknown or deactivated users are skipped.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { notifications, users } from '../db/schema.js';
import { newId } from '../db/util.js';
import type { OutboxHandler } from '../jobs/handler-types.js';

export const notifyUsers: OutboxHandler<'notify.users'> = async (ctx, payload, row) => {
  const wanted = [...new Set(payload.userIds)];
  if (wanted.length === 0) return;
  const recipients = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, wanted), eq(users.active, true)));
  if (recipients.length < wanted.length) {
    ctx.log.info({ skipped: wanted.length - recipients.length }, 'some recipients are unknown or inactive');
  }
  if (recipients.length === 0) return;
  await ctx.db
    .insert(notifications)
    .values(recipients.map((u) => ({
      id: newId(),
      userId: u.id,
      kind: payload.kind,
      title: payload.title,
      body: payload.body ?? null,
      ticketId: payload.ticketId ?? null,
      sourceKey: `${payload.sourceKey ?? row.id}:${u.id}`,
    })))
    .onConflictDoNothing({ target: notifications.sourceKey });
};
