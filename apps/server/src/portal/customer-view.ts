/**
 * The customer view of a ticket, chosen field by field (never the staff view filtered): the
 * customer's own submission, customer wording for the status, public messages of both sides,
 * the files the customer side uploaded and a timeline of the customer-readable steps only.
 * Internal comments, measures and their owners, tags, rejected plans, failed acceptances and
 * staff status names are never read here, so they cannot leak.
 */
import { and, asc, desc, eq, inArray, or, isNull } from 'drizzle-orm';
import type {
  PortalAttachment, PortalStatus, PortalTicket, PortalTicketSummary, PortalTimelineEntry, TicketStatus,
} from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { attachments, auditEvents, comments, customers, tickets, users } from '../db/schema.js';
import { ticketChain } from '../audit/append-event.js';
import { notFound } from '../http/app-error.js';
import { approvedPlanSummary } from '../followup/plan-summary.js';

export function portalStatus(status: TicketStatus, waitingOnCustomer: boolean): PortalStatus {
  switch (status) {
    case 'closed': return 'done';
    case 'cancelled': return 'cancelled';
    case 'follow_up': return 'awaiting_confirmation';
    default:
      if (waitingOnCustomer) return 'needs_info';
      return status === 'registered' || status === 'assigned' ? 'received' : 'in_progress';
  }
}

/** Which tickets a portal caller reaches: one (code session) or all of a customer (account). */
export interface PortalReach { customerId: string; ticketId: string | null }

/** The ticket id of a number within reach, or 404 (the same as for an unknown number). */
export async function reachTicket(db: DbOrTx, reach: PortalReach, number: string): Promise<string> {
  const [row] = await db.select({ id: tickets.id, customerId: tickets.customerId }).from(tickets)
    .where(eq(tickets.number, number.toUpperCase())).limit(1);
  if (!row || row.customerId !== reach.customerId || (reach.ticketId && row.id !== reach.ticketId)) throw notFound('ticket');
  return row.id;
}

export async function listPortalTickets(db: DbOrTx, reach: PortalReach): Promise<PortalTicketSummary[]> {
  const rows = await db.select({
    number: tickets.number, title: tickets.title, status: tickets.status, waiting: tickets.waitingOnCustomer,
    createdAt: tickets.createdAt, updatedAt: tickets.updatedAt,
  }).from(tickets)
    .where(reach.ticketId ? eq(tickets.id, reach.ticketId) : eq(tickets.customerId, reach.customerId))
    .orderBy(desc(tickets.createdAt)).limit(200);
  return rows.map((r) => ({
    number: r.number, title: r.title, status: portalStatus(r.status as TicketStatus, r.waiting),
    createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
  }));
}

/** Files uploaded by the customer side (no uploader, or a customer login); staff files stay internal. */
export async function portalAttachments(db: DbOrTx, ticketId: string, attachmentId?: string) {
  return db.select({
    id: attachments.id, filename: attachments.filename, contentType: attachments.contentType, size: attachments.size,
    createdAt: attachments.createdAt, storageKey: attachments.storageKey,
  }).from(attachments).leftJoin(users, eq(users.id, attachments.uploadedById))
    .where(and(
      eq(attachments.ticketId, ticketId),
      or(isNull(attachments.uploadedById), eq(users.role, 'customer')),
      attachmentId ? eq(attachments.id, attachmentId) : undefined,
    ))
    .orderBy(asc(attachments.createdAt));
}

export const toPortalAttachment = (a: { id: string; filename: string; contentType: string; size: number; createdAt: Date }): PortalAttachment => ({
  id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, createdAt: a.createdAt.toISOString(),
  url: `/api/v1/portal/attachments/${a.id}`,
});

/** Timeline kinds of the ticket's audit events; every other event type is staff history. */
function timelineKind(type: string, after: Record<string, unknown> | null): PortalTimelineEntry['kind'] | null {
  const status = after?.status;
  if (type === 'ticket.created') return 'submitted';
  if (type === 'ticket.reopen') return 'reopened';
  if (status === 'follow_up') return 'solution_ready';
  if (status === 'closed') return 'closed';
  if (status === 'cancelled') return 'cancelled';
  if (type === 'ticket.accept') return 'handling';
  if (type === 'ticket.set_waiting' && after?.waitingOnCustomer === true) return 'info_requested';
  return null;
}

/** Which changes a customer stream reports: the timeline kinds, customer files, public comments. */
export function customerVisibleChange(type: string, after: Record<string, unknown> | null, data: Record<string, unknown> | null): string | null {
  if (type === 'comment.added') return data?.visibility === 'public' ? 'reply' : null;
  if (type === 'attachment.added') return 'attachment';
  if (type === 'ticket.set_waiting') return 'status';
  return timelineKind(type, after);
}

export async function loadPortalTicket(db: DbOrTx, ticketId: string): Promise<PortalTicket> {
  const [t] = await db.select({
    number: tickets.number, title: tickets.title, status: tickets.status, waiting: tickets.waitingOnCustomer,
    createdAt: tickets.createdAt, updatedAt: tickets.updatedAt, description: tickets.description,
    scene: tickets.scene, phenomenon: tickets.phenomenon, triedMeasures: tickets.triedMeasures,
    product: tickets.product, orderNo: tickets.orderNo, resolution: tickets.resolution, feedback: tickets.feedback,
    customerName: customers.name, planSummary: approvedPlanSummary(),
  }).from(tickets).innerJoin(customers, eq(customers.id, tickets.customerId)).where(eq(tickets.id, ticketId));
  if (!t) throw notFound('ticket');
  const [events, publicComments, files] = await Promise.all([
    db.select({ id: auditEvents.id, type: auditEvents.type, at: auditEvents.at, after: auditEvents.after })
      .from(auditEvents)
      .where(and(eq(auditEvents.chain, ticketChain(ticketId)), inArray(auditEvents.type, [
        'ticket.created', 'ticket.accept', 'ticket.set_waiting', 'ticket.resolve', 'ticket.pass_acceptance',
        'ticket.confirm', 'ticket.auto_close', 'ticket.reopen', 'ticket.cancel',
      ])))
      .orderBy(asc(auditEvents.seq)),
    db.select({ id: comments.id, body: comments.body, at: comments.createdAt, authorRole: users.role, authorId: comments.authorId })
      .from(comments).leftJoin(users, eq(users.id, comments.authorId))
      .where(and(eq(comments.ticketId, ticketId), eq(comments.visibility, 'public')))
      .orderBy(asc(comments.createdAt)),
    portalAttachments(db, ticketId),
  ]);
  const status = t.status as TicketStatus;
  const solution = t.resolution ?? t.planSummary ?? null;
  const timeline: PortalTimelineEntry[] = [];
  for (const e of events) {
    const kind = timelineKind(e.type, e.after);
    if (!kind) continue;
    // Submitted, confirmed and reopened-from-the-portal are the customer's; the rest the company's.
    const by = kind === 'submitted' ? 'you' : 'service';
    timeline.push({ id: `e${e.id}`, kind, at: e.at.toISOString(), by, body: kind === 'solution_ready' ? solution : null });
  }
  for (const c of publicComments) {
    const mine = !c.authorId || c.authorRole === 'customer';
    timeline.push({ id: `c${c.id}`, kind: mine ? 'your_message' : 'reply', at: c.at.toISOString(), by: mine ? 'you' : 'service', body: c.body });
  }
  timeline.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  const open = status !== 'closed' && status !== 'cancelled';
  return {
    number: t.number, title: t.title, status: portalStatus(status, t.waiting),
    createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString(),
    submission: {
      description: t.description, scene: t.scene, symptom: t.phenomenon, triedSteps: t.triedMeasures,
      productModel: t.product.model, orderNo: t.orderNo,
    },
    contactName: t.customerName,
    solution: status === 'follow_up' || status === 'closed' ? solution : null,
    rating: t.feedback ? { rating: t.feedback.rating, comment: t.feedback.comment } : null,
    canMessage: open,
    canConfirm: status === 'follow_up',
    timeline,
    attachments: files.map(toPortalAttachment),
  };
}
