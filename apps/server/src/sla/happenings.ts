/**
 * What a domain event means for a ticket's SLA clocks (pure). Kept apart from the subscriber so
 * the mapping is tested on plain events: which command meets the first response, which
 * statuses meet the resolution, what pauses, what makes the targets be recomputed.
 */
import type { DomainEvent } from '@closeloop/contract';
import type { Happening } from './plan-clock-changes.js';

/** Edited fields that change which policy applies or what it targets. */
const RECOMPUTE_FIELDS: Record<string, string> = {
  priority: 'priority', categoryId: 'category', slaPolicyId: 'policy', 'customer.tier': 'tier',
};

export function happeningsOf(event: DomainEvent): Array<{ ticketId: string; happening: Happening }> {
  const at = new Date(event.at);
  const on = (ticketId: string, ...hs: Happening[]) => hs.map((happening) => ({ ticketId, happening }));
  switch (event.type) {
    case 'ticket.created':
    case 'ticket.assigned':
      return on(event.payload.ticketId, { kind: 'ensure', at });
    case 'ticket.status_changed': {
      const { ticketId, command, to } = event.payload;
      if (to === 'cancelled') return on(ticketId, { kind: 'cancelled', at });
      if (to === 'follow_up' || to === 'closed') return on(ticketId, { kind: 'resolved', at });
      if (command === 'reopen') return on(ticketId, { kind: 'reopened', at });
      // 受理 is the first response (SPEC §2).
      if (command === 'accept') return on(ticketId, { kind: 'first_response', at });
      return on(ticketId, { kind: 'ensure', at });
    }
    case 'ticket.updated': {
      const { ticketId, command, fields, waitingOnCustomer } = event.payload;
      if (command === 'set_waiting' && waitingOnCustomer !== undefined) {
        return on(ticketId, { kind: 'waiting', waiting: waitingOnCustomer, at });
      }
      const reasons = fields.flatMap((f) => (RECOMPUTE_FIELDS[f] ? [RECOMPUTE_FIELDS[f]!] : []));
      if (reasons.length) return on(ticketId, { kind: 'recompute', reason: reasons.join(','), at });
      return on(ticketId, { kind: 'ensure', at });
    }
    case 'comment.added': {
      const { ticketId, visibility, authorRole } = event.payload;
      // A public reply by a person of staff answers the customer: first response, and the update
      // interval starts again. Customers' own comments and automation do not count.
      if (visibility === 'public' && authorRole !== 'customer' && event.actor.kind !== 'system') {
        return on(ticketId, { kind: 'public_reply', at });
      }
      return [];
    }
    default:
      return [];
  }
}
