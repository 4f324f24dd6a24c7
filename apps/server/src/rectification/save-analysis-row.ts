/**
 * Writes a ticket's analysis document and says what the ticket row must carry (root-cause
 * class and responsible department, denormalised for the header and analytics). Shared by the
 * analysis command and submit_plan (which may carry the analysis along).
 */
import type { AnalysisInput, DomainEvent, EventCause } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Tx } from '../db/client.js';
import { departments, rectAnalyses } from '../db/schema.js';
import { domainEvent } from '../events/publish.js';
import { invalidField } from '../http/app-error.js';
import { eq } from 'drizzle-orm';
import type { TicketChange } from '../tickets/lifecycle.js';
import type { TicketRow } from '../tickets/ticket-row.js';

export async function saveAnalysisRow(tx: Tx, o: {
  ticket: TicketRow; actor: Actor; input: AnalysisInput; now: Date; pathPrefix?: string; cause?: EventCause;
}): Promise<{ patch: TicketChange; event: DomainEvent }> {
  const { ticket, actor, input, now } = o;
  if (input.responsibleDepartmentId) {
    const [d] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.id, input.responsibleDepartmentId));
    if (!d) throw invalidField(`${o.pathPrefix ?? ''}responsibleDepartmentId`, 'no such department');
  }
  await tx.insert(rectAnalyses).values({ ticketId: ticket.id, content: input, updatedBy: actor.userId, updatedAt: now })
    .onConflictDoUpdate({ target: rectAnalyses.ticketId, set: { content: input, updatedBy: actor.userId, updatedAt: now } });
  const patch: TicketChange = {
    rootCauseClass: input.rootCauseClass ?? null,
    responsibleDepartmentId: input.responsibleDepartmentId ?? null,
  };
  const event = domainEvent('rectification.analysis_saved', {
    ticketId: ticket.id, number: ticket.number, title: ticket.title,
    rootCauseClass: patch.rootCauseClass ?? null, responsibleDepartmentId: patch.responsibleDepartmentId ?? null,
  }, { actor, at: now, cause: o.cause });
  return { patch, event };
}
