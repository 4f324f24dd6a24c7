/**
 * The domain events a lifecycle command publishes, derived from the row before and after:
 * ticket.status_changed when the status moved, ticket.assigned when department or owner
 * changed, ticket.escalated for escalations, otherwise ticket.updated with the changed fields.
 */
import type { DomainEvent, TicketCommand, TicketStatus } from '@closeloop/contract';
import { domainEvent, type EventOrigin } from '../events/publish.js';
import type { TicketChange } from './lifecycle.js';
import type { TicketRow } from './ticket-row.js';

export function publishedEvents(o: {
  before: TicketRow;
  after: TicketRow;
  command: TicketCommand;
  data: Record<string, unknown>;
  patch: TicketChange;
  origin: EventOrigin;
}): DomainEvent[] {
  const { before, after, command, origin } = o;
  const ref = { ticketId: after.id, number: after.number, title: after.title };
  const events: DomainEvent[] = [];
  if (before.status !== after.status) {
    events.push(domainEvent('ticket.status_changed', {
      ...ref, command, from: before.status as TicketStatus, to: after.status as TicketStatus,
    }, origin));
  }
  if (before.ownerId !== after.ownerId || before.departmentId !== after.departmentId) {
    events.push(domainEvent('ticket.assigned', {
      ...ref, command, status: after.status as TicketStatus, reason: command,
      from: { departmentId: before.departmentId, ownerId: before.ownerId },
      to: { departmentId: after.departmentId, ownerId: after.ownerId },
    }, origin));
  }
  if (command === 'escalate') {
    const reason = typeof o.data.reason === 'string' ? o.data.reason : null;
    events.push(domainEvent('ticket.escalated', { ...ref, departmentId: after.departmentId, reason }, origin));
  }
  if (!events.length) {
    const fields = Object.keys(o.patch).filter((k) => k !== 'status');
    events.push(domainEvent('ticket.updated', {
      ...ref, command, fields,
      ...(command === 'set_waiting' ? { waitingOnCustomer: after.waitingOnCustomer } : {}),
    }, origin));
  }
  return events;
}
