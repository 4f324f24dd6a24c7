/**
 * E-mail notifications: each delivery of one message to one recipient, its state and the
 * per-user choice of channels per notification kind.
 */
import { z } from 'zod';
import { zId, zInstant } from './common.js';

/**
 * What people are notified of. The web's settings page shows one row per kind; a kind the
 * server sends must be listed here so that it can be switched off. Add a kind here, its in-app
 * text and its e-mail template (apps/server/src/mail/templates.ts).
 */
export const NOTIFICATION_KINDS = [
  'ticket_assigned', 'ticket_queued', 'ticket_escalated', 'ticket_customer_comment', 'sla_warn', 'sla_breach', 'sla_level2',
  'measure_assigned', 'measures_completed', 'measure_overdue',
  'approval_task', 'approval_cc', 'approval_urged', 'approval_result',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const zNotificationKind = z.enum(NOTIFICATION_KINDS);

export const NOTIFICATION_CHANNELS = ['in_app', 'email'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** One row of the caller's settings: both channels of one kind (on unless switched off). */
export const zNotificationPreference = z.object({
  kind: zNotificationKind,
  inApp: z.boolean(),
  email: z.boolean(),
});
export type NotificationPreference = z.infer<typeof zNotificationPreference>;

export const zNotificationPreferences = z.object({ items: z.array(zNotificationPreference) });
export type NotificationPreferences = z.infer<typeof zNotificationPreferences>;

/** PUT /me/notification-preferences: the rows to change (kinds left out keep their setting). */
export const zNotificationPreferencesUpdate = z.object({
  items: z.array(z.object({
    kind: zNotificationKind,
    inApp: z.boolean().optional(),
    email: z.boolean().optional(),
  }).strict()).min(1).max(NOTIFICATION_KINDS.length),
}).strict();
export type NotificationPreferencesUpdate = z.infer<typeof zNotificationPreferencesUpdate>;

/**
 * queued → sending → sent; a failed attempt is `failed` until the next one, `dead` after the
 * last. `skipped` (e-mail off, no address, recipient gone) and `opted_out` are never sent.
 */
export const EMAIL_DELIVERY_STATUSES = ['queued', 'sending', 'sent', 'failed', 'dead', 'skipped', 'opted_out'] as const;
export type EmailDeliveryStatus = (typeof EMAIL_DELIVERY_STATUSES)[number];
export const zEmailDeliveryStatus = z.enum(EMAIL_DELIVERY_STATUSES);

/** Why a `skipped` delivery was not sent (the web translates it; lastError has the text). */
export const EMAIL_SKIP_REASONS = ['email_off', 'no_address', 'recipient_inactive', 'stale'] as const;
export type EmailSkipReason = (typeof EMAIL_SKIP_REASONS)[number];

export const zEmailDelivery = z.object({
  id: zId,
  userId: zId.nullable(),
  /** The user's display name, or the name given for a bare address. */
  recipientName: z.string().nullable(),
  /** The address it was (or will be) sent to; a user's current address is read at delivery. */
  address: z.string().nullable(),
  locale: z.enum(['zh-CN', 'en-US']).nullable(),
  kind: z.string(),
  ticketId: zId.nullable(),
  subject: z.string().nullable(),
  status: zEmailDeliveryStatus,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  skipReason: z.enum(EMAIL_SKIP_REASONS).nullable(),
  messageId: z.string().nullable(),
  notBefore: zInstant,
  sentAt: zInstant.nullable(),
  createdAt: zInstant,
  updatedAt: zInstant,
});
export type EmailDelivery = z.infer<typeof zEmailDelivery>;

export const zEmailDeliveryListQuery = z.object({
  status: zEmailDeliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The id of the last item of the previous page. */
  cursor: zId.optional(),
});
export type EmailDeliveryListQuery = z.infer<typeof zEmailDeliveryListQuery>;

export const zEmailDeliveryList = z.object({
  items: z.array(zEmailDelivery),
  nextCursor: zId.nullable(),
});
export type EmailDeliveryList = z.infer<typeof zEmailDeliveryList>;
