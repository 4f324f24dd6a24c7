/**
 * Pure mapping from stored rows to the API's ticket shapes (zTicket, zTicketSummary). Instants
 * become ISO-8601 strings; what a customer must not read is blanked here, in one place.
 */
import type { Ticket, TicketCommand, TicketSummary } from '@closeloop/contract';
import type { TicketRow } from './ticket-row.js';

export interface UserRef { id: string; displayName: string }

/** A ticket with the rows it refers to, as loaded by get-ticket.ts / list-tickets.ts. */
export interface TicketJoined<T = TicketRow> {
  ticket: T;
  category: { id: string; name: string; code: string };
  customer: { id: string; name: string; phone: string | null; email: string | null };
  department: { id: string; name: string } | null;
  owner: UserRef | null;
  createdBy?: UserRef | null;
  /** The analysis' responsible department (rectification/). */
  responsibleDepartment?: { id: string; name: string } | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The columns a list row needs. */
export type TicketSummaryRow = Pick<TicketRow,
  'id' | 'number' | 'title' | 'channel' | 'status' | 'priority' | 'urgency' | 'waitingOnCustomer' |
  'escalated' | 'expectedBy' | 'createdAt' | 'updatedAt'> & SlaSummaryColumns;

/** The SLA domain's columns on the ticket; absent = no clock yet (a ticket just registered). */
export interface SlaSummaryColumns { slaDueAt?: Date | null; slaState?: string | null }

export function toTicketSummary(j: TicketJoined<TicketSummaryRow>): TicketSummary {
  const t = j.ticket;
  return {
    id: t.id,
    number: t.number,
    title: t.title,
    channel: t.channel as TicketSummary['channel'],
    status: t.status as TicketSummary['status'],
    priority: t.priority as TicketSummary['priority'],
    urgency: t.urgency as TicketSummary['urgency'],
    category: j.category,
    customer: j.customer,
    department: j.department,
    owner: j.owner,
    waitingOnCustomer: t.waitingOnCustomer,
    escalated: t.escalated,
    expectedBy: iso(t.expectedBy),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    sla: { dueAt: iso(t.slaDueAt ?? null), state: (t.slaState ?? null) as TicketSummary['sla']['state'] },
  };
}

/** The full ticket: the list row's fields plus stage content. */
export function toTicketView(
  j: TicketJoined<TicketRow & SlaSummaryColumns>,
  opts: { allowedCommands: TicketCommand[]; forCustomer: boolean },
): Ticket {
  const t = j.ticket;
  return {
    ...toTicketSummary(j),
    description: t.description,
    scene: t.scene,
    phenomenon: t.phenomenon,
    triedMeasures: t.triedMeasures,
    readBackConfirmed: t.readBackConfirmed,
    processTemplate: t.processTemplate,
    product: t.product,
    occurredAt: t.occurredAt.toISOString(),
    orderNo: t.orderNo,
    customFields: t.customFields,
    createdBy: j.createdBy ?? null,
    reworkCount: t.reworkCount,
    reopenCount: t.reopenCount,
    rootCauseClass: opts.forCustomer ? null : t.rootCauseClass,
    responsibleDepartment: opts.forCustomer ? null : j.responsibleDepartment ?? null,
    planProgress: { done: t.measuresDone, total: t.measuresTotal },
    // Root-cause analysis names departments and suppliers at fault: internal to the company.
    analysis: opts.forCustomer ? null : t.analysis,
    plan: t.plan,
    resolution: t.resolution,
    acceptance: t.acceptance,
    feedback: t.feedback,
    cancelReason: t.cancelReason,
    firstRespondedAt: iso(t.firstRespondedAt),
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
    version: t.version,
    allowedCommands: opts.allowedCommands,
  };
}
