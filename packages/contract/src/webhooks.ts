/**
 * Webhooks (设置 › 集成): subscriptions to domain event types, signed deliveries per the
 * Standard Webhooks spec, and DingTalk / WeCom group-robot flavours. See docs/webhooks.md.
 */
import { z } from 'zod';
import { zId, zInstant } from './common.js';
import { EVENT_TYPES, type EventType } from './events.js';

export const WEBHOOK_FLAVOURS = ['standard', 'dingtalk', 'wecom'] as const;
export type WebhookFlavour = (typeof WEBHOOK_FLAVOURS)[number];

/** pending → sending → delivered, or dead after the last attempt (replay sends it again). */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'dead'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** The type of the ping that "send test" delivers (not a domain event). */
export const WEBHOOK_PING_TYPE = 'webhook.ping';

const zEventType = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);

export const zWebhookSubscriptionInput = z.object({
  name: z.string().trim().min(1).max(100),
  url: z.string().trim().min(1).max(2000),
  flavour: z.enum(WEBHOOK_FLAVOURS).default('standard'),
  eventTypes: z.array(zEventType).min(1).max(EVENT_TYPES.length),
  active: z.boolean().default(true),
  /**
   * DingTalk only: the robot's 加签 secret (SEC…) from the group settings; absent = unsigned URL.
   * Standard subscriptions always get a generated `whsec_` secret instead.
   */
  secret: z.string().trim().min(1).max(200).optional(),
});
export type WebhookSubscriptionInput = z.input<typeof zWebhookSubscriptionInput>;

export const zWebhookSubscriptionUpdate = zWebhookSubscriptionInput.partial().extend({
  /** true = generate a new secret (shown once in the response). */
  rotateSecret: z.boolean().optional(),
});
export type WebhookSubscriptionUpdate = z.input<typeof zWebhookSubscriptionUpdate>;

export const zWebhookSubscription = z.object({
  id: zId,
  name: z.string(),
  url: z.string(),
  flavour: z.enum(WEBHOOK_FLAVOURS),
  eventTypes: z.array(z.string()),
  active: z.boolean(),
  /** Only in the response that created or rotated it; never again. */
  secret: z.string().optional(),
  /** The secret's last four characters, to tell secrets apart. */
  secretHint: z.string(),
  counts: z.object({ pending: z.number().int(), delivered: z.number().int(), dead: z.number().int() }),
  createdAt: zInstant,
  updatedAt: zInstant,
});
export type WebhookSubscription = z.infer<typeof zWebhookSubscription>;

export const zWebhookSubscriptionList = z.object({ items: z.array(zWebhookSubscription) });

export const zWebhookDelivery = z.object({
  id: zId,
  subscriptionId: zId,
  eventId: zId,
  eventType: z.string(),
  ticketId: zId.nullable(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: zInstant.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastLatencyMs: z.number().int().nullable(),
  /** A short reason ("HTTP 500 Internal Server Error", "timed out after 10000 ms"); never the target's body. */
  lastError: z.string().nullable(),
  deliveredAt: zInstant.nullable(),
  createdAt: zInstant,
});
export type WebhookDelivery = z.infer<typeof zWebhookDelivery>;

export const zWebhookDeliveryQuery = z.object({
  subscriptionId: zId.optional(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  eventType: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The seq of the last item of the previous page. */
  cursor: z.string().regex(/^\d+$/).optional(),
});
export type WebhookDeliveryQuery = z.infer<typeof zWebhookDeliveryQuery>;

export const zWebhookDeliveryList = z.object({ items: z.array(zWebhookDelivery), nextCursor: z.string().nullable() });
export type WebhookDeliveryList = z.infer<typeof zWebhookDeliveryList>;

export const zWebhookReplayResult = z.object({ replayed: z.number().int() });

export const zWebhookTestResult = z.object({
  ok: z.boolean(),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  /** Why it failed, in our words (refused address, timeout, HTTP status line); never the response body. */
  error: z.string().nullable(),
});
export type WebhookTestResult = z.infer<typeof zWebhookTestResult>;

export const zWebhookSettings = z.object({
  /** Host names (or IP literals) exempt from the private-address checks, e.g. an intranet ERP. */
  allowHosts: z.array(z.string().trim().toLowerCase().min(1).max(253)).max(100),
});
export type WebhookSettings = z.infer<typeof zWebhookSettings>;
