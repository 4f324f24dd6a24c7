/**
 * Measures as tasks (措施即任务), addressed by their stable id: start (todo → doing), complete
 * (→ done, with evidence or a note), comment, cancel (manager, with a reason). Only the measure's
 * owner completes it — or the ticket owner / a manager, recorded as `onBehalf`. Completing the
 * last open measure tells the ticket owner that acceptance can start.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { RectMeasure } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { attachments, rectMeasureComments, rectMeasures, rectPlans } from '../db/schema.js';
import { newId } from '../db/util.js';
import { domainEvent } from '../events/publish.js';
import { AppError, forbidden, invalidField, notFound } from '../http/app-error.js';
import { measuresCompleted } from './notify.js';
import { runTicketCommand, type CommandScope } from './ticket-command.js';
import { loadMeasure } from './views.js';

type Action = 'start' | 'complete' | 'comment' | 'cancel';
export type MeasureCommandInput =
  | { action: 'start'; note?: string }
  | { action: 'complete'; evidenceAttachmentIds: string[]; note?: string }
  | { action: 'comment'; body: string }
  | { action: 'cancel'; reason: string };

const MANAGERS = new Set(['manager', 'admin']);

async function measureOf(s: CommandScope, measureId: string) {
  const [row] = await s.tx.select({ m: rectMeasures, planStatus: rectPlans.status }).from(rectMeasures)
    .innerJoin(rectPlans, eq(rectPlans.id, rectMeasures.planId))
    .where(and(eq(rectMeasures.id, measureId), eq(rectMeasures.ticketId, s.ticket.id))).for('update');
  if (!row) throw notFound('measure');
  return row;
}

function mayWork(s: CommandScope, ownerId: string | null, action: Action): { onBehalf: boolean } {
  const { actor, ticket } = s;
  if (actor.role === 'customer') throw forbidden('customers may not work on measures');
  const isMeasureOwner = !!actor.userId && actor.userId === ownerId;
  const isTicketOwner = !!actor.userId && actor.userId === ticket.ownerId;
  const isManager = MANAGERS.has(actor.role) || actor.kind === 'system';
  if (action === 'cancel') {
    if (!isManager) throw forbidden('only a manager may cancel a measure');
    return { onBehalf: false };
  }
  if (action === 'comment') return { onBehalf: false };
  if (isMeasureOwner) return { onBehalf: false };
  if (isTicketOwner || isManager) return { onBehalf: true };
  throw forbidden(`only the measure's owner, the ticket owner or a manager may ${action} this measure`);
}

export async function runMeasureCommand(opts: {
  db: Db; actor: Actor; ticketId: string; measureId: string; input: MeasureCommandInput; now?: Date;
}): Promise<RectMeasure> {
  const { input } = opts;
  const at = await runTicketCommand(opts, async (s) => {
    const { m, planStatus } = await measureOf(s, opts.measureId);
    const { onBehalf } = mayWork(s, m.ownerId, input.action);
    const ref = { ticketId: s.ticket.id, number: s.ticket.number, title: s.ticket.title };
    const mref = { measureId: m.id, ownerId: m.ownerId ?? s.ticket.ownerId ?? '', action: m.action };
    const origin = { actor: s.actor, at: s.now };
    const auditData = { measureId: m.id, action: m.action, seq: m.seq };

    if (input.action === 'comment') {
      const commentId = newId(s.now.getTime());
      await s.tx.insert(rectMeasureComments).values({ id: commentId, measureId: m.id, authorId: s.actor.userId, body: input.body, createdAt: s.now });
      s.audit('rectification.measure_commented', { ...auditData, commentId, body: input.body });
      if (mref.ownerId) s.publish(domainEvent('rectification.measure_commented', { ...ref, ...mref, commentId }, origin));
      return s.now;
    }
    if (planStatus !== 'approved' || m.status === null) {
      throw new AppError('INVALID_TRANSITION', 'the measure belongs to a plan version that is not approved');
    }
    if (s.ticket.status !== 'rectifying') {
      throw new AppError('INVALID_TRANSITION', `cannot ${input.action} a measure while the ticket is ${s.ticket.status}`);
    }
    const open = m.status === 'todo' || m.status === 'doing';
    if (input.action === 'start') {
      if (m.status !== 'todo') throw new AppError('INVALID_TRANSITION', `the measure is ${m.status}, not todo`);
      await s.tx.update(rectMeasures).set({ status: 'doing', startedAt: s.now, updatedAt: s.now }).where(eq(rectMeasures.id, m.id));
      s.audit('rectification.measure_started', { ...auditData, onBehalf, note: input.note ?? null });
      if (mref.ownerId) s.publish(domainEvent('rectification.measure_started', { ...ref, ...mref }, origin));
      return s.now;
    }
    if (!open) throw new AppError('INVALID_TRANSITION', `the measure is already ${m.status}`);
    if (input.action === 'cancel') {
      await s.tx.update(rectMeasures).set({ status: 'cancelled', cancelReason: input.reason, updatedAt: s.now }).where(eq(rectMeasures.id, m.id));
      s.patch({ measuresTotal: Math.max(0, s.ticket.measuresTotal - 1) });
      s.audit('rectification.measure_cancelled', { ...auditData, reason: input.reason });
      if (mref.ownerId) s.publish(domainEvent('rectification.measure_cancelled', { ...ref, ...mref, reason: input.reason }, origin));
      return s.now;
    }
    // complete
    if (!input.evidenceAttachmentIds.length && !input.note) {
      throw invalidField('note', 'give evidence (attachments) or a note on what was done');
    }
    if (input.evidenceAttachmentIds.length) {
      const found = new Set((await s.tx.select({ id: attachments.id }).from(attachments)
        .where(and(inArray(attachments.id, input.evidenceAttachmentIds), eq(attachments.ticketId, s.ticket.id)))).map((a) => a.id));
      input.evidenceAttachmentIds.forEach((id, i) => {
        if (!found.has(id)) throw invalidField(`evidenceAttachmentIds.${i}`, 'not an attachment of this ticket');
      });
    }
    await s.tx.update(rectMeasures).set({
      status: 'done', completedAt: s.now, completedBy: s.actor.userId, onBehalf,
      evidenceAttachmentIds: input.evidenceAttachmentIds, note: input.note ?? m.note, updatedAt: s.now,
    }).where(eq(rectMeasures.id, m.id));
    const done = s.ticket.measuresDone + 1;
    const remaining = Math.max(0, s.ticket.measuresTotal - done);
    s.patch({ measuresDone: done });
    s.audit('rectification.measure_completed', {
      ...auditData, onBehalf, note: input.note ?? null, evidenceAttachmentIds: input.evidenceAttachmentIds, remaining,
    });
    if (mref.ownerId) {
      s.publish(domainEvent('rectification.measure_completed', {
        ...ref, ...mref, onBehalf, remaining, ticketOwnerId: s.ticket.ownerId,
      }, origin));
    }
    if (remaining === 0 && s.ticket.ownerId && s.ticket.ownerId !== s.actor.userId) {
      s.notify(measuresCompleted(ref, s.ticket.ownerId, m.planId, s.ticket.reworkCount));
    }
    return s.now;
  });
  return loadMeasure(opts.db, opts.measureId, at);
}
