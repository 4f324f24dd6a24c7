/**
 * Which subscriber receives which event types: the declarations only, no handlers. Publishing
 * reads these to write outbox rows; the runner binds each name to its handler (registry.ts).
 * This module imports nothing of the domains, so a domain that publishes never imports its
 * subscribers through it (no import circle).
 */
import { EVENT_TYPES, type EventType } from '@closeloop/contract';

export interface Subscription {
  /** Stable: it is part of outbox rows' dedupe keys and of events' automation causes. */
  readonly name: string;
  readonly types: readonly EventType[];
}

export const NOTIFICATIONS_SUBSCRIPTION = {
  name: 'notifications',
  types: ['ticket.assigned', 'ticket.escalated', 'comment.added'],
} as const satisfies Subscription;

export const SLA_SUBSCRIPTION = {
  name: 'sla',
  types: ['ticket.created', 'ticket.assigned', 'ticket.status_changed', 'ticket.updated', 'comment.added'],
} as const satisfies Subscription;

export const ROUTING_SUBSCRIPTION = {
  name: 'routing-rules',
  types: ['ticket.updated', 'ticket.status_changed'],
} as const satisfies Subscription;

export const APPROVALS_NOTIFY_SUBSCRIPTION = {
  name: 'approvals-notify',
  types: [
    'approval.started', 'approval.task_approved', 'approval.task_rejected', 'approval.returned', 'approval.transferred',
    'approval.signer_added', 'approval.withdrawn', 'approval.urged', 'approval.approved', 'approval.rejected',
  ],
} as const satisfies Subscription;

export const FOLLOWUP_SUBSCRIPTION = {
  name: 'followup',
  types: ['ticket.status_changed', 'ticket.created'],
} as const satisfies Subscription;

/** Staff's public replies mailed to the customer (mail-in/customer-mail-subscriber.ts). */
export const CUSTOMER_MAIL_SUBSCRIPTION = {
  name: 'customer-mail',
  types: ['comment.added'],
} as const satisfies Subscription;

/** Webhooks hear every event type of the catalog; which subscription wants which is data (webhooks/). */
export const WEBHOOKS_SUBSCRIPTION = {
  name: 'webhooks',
  types: EVENT_TYPES,
} as const satisfies Subscription;

const declared = new Map<string, Subscription>(
  [NOTIFICATIONS_SUBSCRIPTION, SLA_SUBSCRIPTION, ROUTING_SUBSCRIPTION, APPROVALS_NOTIFY_SUBSCRIPTION, FOLLOWUP_SUBSCRIPTION, CUSTOMER_MAIL_SUBSCRIPTION,
    WEBHOOKS_SUBSCRIPTION]
    .map((s) => [s.name, s]),
);

/** Adds a declaration (tests, plug-ins); the returned function removes it again. */
export function declareSubscription(s: Subscription): () => void {
  if (declared.has(s.name)) throw new Error(`subscription ${s.name} is declared twice`);
  declared.set(s.name, s);
  return () => { declared.delete(s.name); };
}

export function subscriptionsOf(type: EventType): Subscription[] {
  return [...declared.values()].filter((s) => s.types.includes(type));
}

export function isDeclared(name: string): boolean {
  return declared.has(name);
}
