/**
 * The handlers bound to the declared subscriptions (subscriptions.ts), for the outbox runner:
 * the product's own plus any a test registers. Only the runner imports this module.
 */
import { notificationsSubscriber } from '../notifications/subscriber.js';
import { slaSubscriber } from '../sla/subscriber.js';
import { routingRulesSubscriber } from '../routing/subscriber.js';
import { approvalsNotifySubscriber } from '../approvals/notify-subscriber.js';
import { followupSubscriber } from '../followup/subscriber.js';
import { customerMailSubscriber } from '../mail-in/customer-mail-subscriber.js';
import { webhooksSubscriber } from '../webhooks/subscriber.js';
import { declareSubscription, isDeclared } from './subscriptions.js';
import type { Subscriber } from './subscribers.js';

const registry = new Map<string, Subscriber>(
  [notificationsSubscriber, slaSubscriber, routingRulesSubscriber, approvalsNotifySubscriber, followupSubscriber, customerMailSubscriber, webhooksSubscriber]
    .map((s) => {
      if (!isDeclared(s.name)) throw new Error(`subscriber ${s.name} has no declaration in events/subscriptions.ts`);
      return [s.name, s];
    }),
);

/** A test's subscriber: declared and bound at once; the returned function removes both. */
export function registerSubscriber(s: Subscriber): () => void {
  if (registry.has(s.name)) throw new Error(`subscriber ${s.name} is registered twice`);
  const undeclare = declareSubscription({ name: s.name, types: s.types });
  registry.set(s.name, s);
  return () => { registry.delete(s.name); undeclare(); };
}

export function subscriberNamed(name: string): Subscriber | undefined {
  return registry.get(name);
}
