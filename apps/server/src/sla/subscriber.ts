/**
 * The SLA subscriber: ticket events start, meet, pause, resume, restart and recompute the
 * tickets' clocks (apply-clock-happenings.ts); a customer's tier change arrives as
 * ticket.updated (`customer.tier`) for each of the customer's open tickets. Idempotent: every
 * step of the planner is, and a batch delivered twice plans no change the second time.
 */
import type { Subscriber } from '../events/subscribers.js';
import { SLA_SUBSCRIPTION } from '../events/subscriptions.js';
import { applyClockHappenings } from './apply-clock-happenings.js';
import { happeningsOf } from './happenings.js';
import type { Happening } from './plan-clock-changes.js';

export const SLA_SUBSCRIBER = SLA_SUBSCRIPTION.name;
/** Tickets per transaction: bounded lock sets and statement sizes. */
const CHUNK = 200;

export const slaSubscriber: Subscriber = {
  ...SLA_SUBSCRIPTION,
  async handle(ctx, events) {
    const byTicket = new Map<string, Happening[]>();
    for (const e of events) {
      for (const { ticketId, happening } of happeningsOf(e)) {
        byTicket.set(ticketId, [...(byTicket.get(ticketId) ?? []), happening]);
      }
    }
    const ids = [...byTicket.keys()];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = new Map(ids.slice(i, i + CHUNK).map((id) => [id, byTicket.get(id)!]));
      await applyClockHappenings({ db: ctx.db, happenings: chunk });
    }
  },
};
