/** GET /tickets/:id/rectification: everything of the loop on one ticket, for the ticket page. */
import { eq } from 'drizzle-orm';
import type { Rectification } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { tickets } from '../db/schema.js';
import { forbidden, notFound } from '../http/app-error.js';
import { canSeeTicket } from '../tickets/access.js';
import { stageDurations } from './stage-durations.js';
import { loadAnalysis, loadContainment, loadDisputes, loadPlanVersions, loadRounds } from './views.js';

export async function visibleTicketRow(db: DbOrTx, actor: Actor, ticketId: string) {
  const [t] = await db.select({
    id: tickets.id, customerId: tickets.customerId, departmentId: tickets.departmentId, ownerId: tickets.ownerId,
    createdById: tickets.createdById, measureOwnerIds: tickets.measureOwnerIds, createdAt: tickets.createdAt,
    responsibleDepartmentId: tickets.responsibleDepartmentId,
    measuresDone: tickets.measuresDone, measuresTotal: tickets.measuresTotal,
  }).from(tickets).where(eq(tickets.id, ticketId));
  if (!t || !canSeeTicket(actor, t)) throw notFound('ticket');
  return t;
}

export async function getRectification(opts: { db: DbOrTx; actor: Actor; ticketId: string }): Promise<Rectification> {
  const { db, actor, ticketId } = opts;
  // Causes name departments and suppliers at fault: internal to the company.
  if (actor.role === 'customer') throw forbidden('the rectification record is internal');
  const t = await visibleTicketRow(db, actor, ticketId);
  const [analysis, disputes, containment, plans, rounds, durations] = await Promise.all([
    loadAnalysis(db, ticketId), loadDisputes(db, ticketId), loadContainment(db, ticketId), loadPlanVersions(db, ticketId),
    loadRounds(db, ticketId), stageDurations(db, t),
  ]);
  const latest = plans[0];
  return {
    ticketId, analysis, disputes, containment, plans,
    revisionBase: latest?.status === 'rejected' ? latest : null,
    progress: { done: t.measuresDone, total: t.measuresTotal },
    acceptanceRounds: rounds, stageDurations: durations,
  };
}
