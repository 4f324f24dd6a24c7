/**
 * The SLA subscriber: ticket events start, meet, pause, resume, restart and recompute the
 * tickets' clocks (apply-clock-happenings.ts); a customer's tier change recomputes that
 * customer's open tickets. Idempotent: every step of the planner is, and a batch delivered
 * twice plans no change the second time.
 */
import { TERMINAL_STATUSES } from '@closeloop/contract';
import { sqlOf } from '../db/client.js';
import type { Subscriber } from '../events/subscribers.js';
import { applyClockHappenings } from './apply-clock-happenings.js';
import { happeningsOf } from './happenings.js';
import type { Happening } from './plan-clock-changes.js';

export const SLA_SUBSCRIBER = 'sla';
/** Tickets per transaction: bounded lock sets and statement sizes. */
const CHUNK = 200;

const OPEN_TICKETS_OF_CUSTOMERS = `select id from tickets
  where customer_id = any($1::uuid[]) and status not in (${TERMINAL_STATUSES.map((s) => `'${s}'`).join(', ')})`;

export const slaSubscriber: Subscriber = {
  name: SLA_SUBSCRIBER,
  types: ['ticket.created', 'ticket.assigned', 'ticket.status_changed', 'ticket.updated', 'comment.added', 'customer.updated'],
  async handle(ctx, events) {
    const byTicket = new Map<string, Happening[]>();
    const add = (ticketId: string, h: Happening) => byTicket.set(ticketId, [...(byTicket.get(ticketId) ?? []), h]);
    const tierChanges: Array<{ customerId: string; at: Date }> = [];
    for (const e of events) {
      if (e.type === 'customer.updated') {
        if (e.payload.fields.includes('tier')) tierChanges.push({ customerId: e.payload.customerId, at: new Date(e.at) });
        continue;
      }
      for (const { ticketId, happening } of happeningsOf(e)) add(ticketId, happening);
    }
    for (const change of tierChanges) {
      const rows = await sqlOf(ctx.db).query<{ id: string }>(OPEN_TICKETS_OF_CUSTOMERS, [[change.customerId]], 'sla_open_of_customer_v1');
      for (const r of rows) add(r.id, { kind: 'recompute', reason: 'tier', at: change.at });
    }
    const ids = [...byTicket.keys()];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = new Map(ids.slice(i, i + CHUNK).map((id) => [id, byTicket.get(id)!]));
      await applyClockHappenings({ db: ctx.db, happenings: chunk });
    }
  },
};
