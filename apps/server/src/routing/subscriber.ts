/**
 * The routing-rules subscriber: runs the update rules after a ticket changed. Its own changes
 * carry it in their cause, so it never sees them again (the automation guard of publish.ts).
 */
import { causedBy } from '../events/publish.js';
import type { Subscriber } from '../events/subscribers.js';
import { ROUTING_SUBSCRIPTION } from '../events/subscriptions.js';
import { applyUpdateRules } from './apply-update-rules.js';

export const ROUTING_SUBSCRIBER = ROUTING_SUBSCRIPTION.name;

export const routingRulesSubscriber: Subscriber = {
  ...ROUTING_SUBSCRIPTION,
  async handle(ctx, events) {
    for (const e of events) {
      await applyUpdateRules({ db: ctx.db, ticketId: e.payload.ticketId, cause: causedBy(e, ROUTING_SUBSCRIBER) });
    }
  },
};
