/**
 * Which subscribers receive which events, in this process: the product's own (notifications
 * today; routing rules, SLA, webhooks and analytics next) plus any a test registers.
 */
import type { EventType } from '@closeloop/contract';
import { notificationsSubscriber } from '../notifications/subscriber.js';
import { slaSubscriber } from '../sla/subscriber.js';
import { routingRulesSubscriber } from '../routing/subscriber.js';
import { approvalsNotifySubscriber } from '../approvals/notify-subscriber.js';
import { followupSubscriber } from '../followup/subscriber.js';
import type { Subscriber } from './subscribers.js';

const registry = new Map<string, Subscriber>([
  [notificationsSubscriber.name, notificationsSubscriber],
  [slaSubscriber.name, slaSubscriber],
  [routingRulesSubscriber.name, routingRulesSubscriber],
  [approvalsNotifySubscriber.name, approvalsNotifySubscriber],
  [followupSubscriber.name, followupSubscriber],
]);

export function registerSubscriber(s: Subscriber): () => void {
  if (registry.has(s.name)) throw new Error(`subscriber ${s.name} is registered twice`);
  registry.set(s.name, s);
  return () => { registry.delete(s.name); };
}

export function subscriberNamed(name: string): Subscriber | undefined {
  return registry.get(name);
}

export function subscribersOf(type: EventType): Subscriber[] {
  return [...registry.values()].filter((s) => s.types.includes(type));
}
