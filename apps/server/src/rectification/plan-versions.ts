/**
 * Plan versions (整改方案): submit_plan adds version N+1 with its measures; approve_plan makes it
 * the approved version whose measures become tasks; reject_plan keeps it, rejected with the
 * opinion, as the base of the next revision. Earlier versions are never changed except for their
 * status (an approved version replaced after a reopen becomes superseded).
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Transition } from '@closeloop/contract';
import type { EventCause } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Tx } from '../db/client.js';
import { rectAnalyses, rectMeasures, rectPlans } from '../db/schema.js';
import { newId } from '../db/util.js';
import { domainEvent } from '../events/publish.js';
import { AppError, invalidField } from '../http/app-error.js';
import type { TicketChange } from '../tickets/lifecycle.js';
import type { TicketRow } from '../tickets/ticket-row.js';
import { measureAssigned } from './notify.js';
import { planWarnings } from './plan-warnings.js';
import type { StepResult } from './step-result.js';
import { saveAnalysisRow } from './save-analysis-row.js';

interface Base { tx: Tx; ticket: TicketRow; actor: Actor; now: Date; cause?: EventCause }
const refOf = (t: TicketRow) => ({ ticketId: t.id, number: t.number, title: t.title });

export async function submitPlan(o: Base & { input: Extract<Transition, { command: 'submit_plan' }> }): Promise<StepResult> {
  const { tx, ticket, actor, now, input } = o;
  const result: StepResult = { patch: {}, events: [], outbox: [] };

  const warnings = planWarnings(input.plan);
  if (warnings.length && !input.acknowledgeWarnings) {
    throw new AppError('UNACKNOWLEDGED_WARNINGS',
      `${warnings[0]!.path}: ${warnings[0]!.message} (resubmit with acknowledgeWarnings: true to keep the wording)`,
      warnings.map((w) => ({ path: w.path, message: w.message, code: w.kind })));
  }

  if (input.analysis) {
    const saved = await saveAnalysisRow(tx, { ticket, actor, input: input.analysis, now, pathPrefix: 'analysis.', cause: o.cause });
    result.patch = { ...saved.patch };
    result.events.push(saved.event);
    if (!input.analysis.rootCause) throw invalidField('analysis.rootCause', 'a plan needs the root cause of the analysis');
  } else {
    const [a] = await tx.select({ content: rectAnalyses.content }).from(rectAnalyses).where(eq(rectAnalyses.ticketId, ticket.id));
    if (!a?.content.rootCause) throw invalidField('analysis.rootCause', 'save the analysis with a root cause before submitting a plan');
  }

  const earlier = await tx.select({ id: rectPlans.id, version: rectPlans.version, status: rectPlans.status })
    .from(rectPlans).where(eq(rectPlans.ticketId, ticket.id)).orderBy(desc(rectPlans.version));
  const previousIds = input.plan.measures.flatMap((m) => (m.previousId ? [m.previousId] : []));
  if (previousIds.length) {
    const known = new Set((await tx.select({ id: rectMeasures.id }).from(rectMeasures)
      .where(and(eq(rectMeasures.ticketId, ticket.id), inArray(rectMeasures.id, previousIds)))).map((r) => r.id));
    input.plan.measures.forEach((m, i) => {
      if (m.previousId && !known.has(m.previousId)) throw invalidField(`plan.measures.${i}.previousId`, 'not a measure of this ticket');
    });
  }
  const replaced = earlier.filter((p) => p.status === 'approved' || p.status === 'submitted').map((p) => p.id);
  if (replaced.length) {
    await tx.update(rectPlans).set({ status: 'superseded' }).where(inArray(rectPlans.id, replaced));
  }

  const planId = newId(now.getTime());
  const version = (earlier[0]?.version ?? 0) + 1;
  await tx.insert(rectPlans).values({
    id: planId, ticketId: ticket.id, version, status: 'submitted', summary: input.plan.summary,
    warnings, submittedBy: actor.userId, submittedAt: now,
  });
  await tx.insert(rectMeasures).values(input.plan.measures.map((m, i) => ({
    id: newId(now.getTime()), planId, ticketId: ticket.id, previousId: m.previousId ?? null, seq: i,
    type: m.type, preventiveKind: m.type === 'preventive' ? m.preventiveKind ?? 'other' : null,
    ownerId: m.ownerId, action: m.action, dueDate: m.dueDate, criterion: m.criterion, status: null, updatedAt: now,
  })));
  const owners = new Set([...ticket.measureOwnerIds, ...input.plan.measures.map((m) => m.ownerId)]);
  result.patch = {
    ...result.patch,
    // The people asked to carry the measures out may read the ticket they are reviewing for.
    measureOwnerIds: [...owners],
    ...(ticket.measuresTotal ? { measuresTotal: 0, measuresDone: 0 } : {}),
  };
  result.events.push(domainEvent('rectification.plan_submitted', {
    ...refOf(ticket), planId, version, measures: input.plan.measures.length,
  }, { actor, at: now, cause: o.cause }));
  return result;
}

async function submittedPlan(tx: Tx, ticketId: string) {
  const [p] = await tx.select({ id: rectPlans.id, version: rectPlans.version }).from(rectPlans)
    .where(and(eq(rectPlans.ticketId, ticketId), eq(rectPlans.status, 'submitted')))
    .orderBy(desc(rectPlans.version)).limit(1);
  if (!p) throw new AppError('INVALID_TRANSITION', 'the ticket has no submitted plan version to decide');
  return p;
}

export async function decidePlan(o: Base & { approve: boolean; opinion: string | null }): Promise<StepResult> {
  const { tx, ticket, actor, now, approve, opinion } = o;
  const plan = await submittedPlan(tx, ticket.id);
  await tx.update(rectPlans).set({
    status: approve ? 'approved' : 'rejected', decidedBy: actor.userId, decidedAt: now, opinion,
  }).where(eq(rectPlans.id, plan.id));
  if (!approve) {
    return {
      patch: {},
      events: [domainEvent('rectification.plan_rejected', {
        ...refOf(ticket), planId: plan.id, version: plan.version, opinion: opinion ?? '',
      }, { actor, at: now, cause: o.cause })],
      outbox: [],
    };
  }
  const measures = await tx.update(rectMeasures).set({ status: 'todo', updatedAt: now })
    .where(eq(rectMeasures.planId, plan.id))
    .returning({ id: rectMeasures.id, ownerId: rectMeasures.ownerId, action: rectMeasures.action, dueDate: rectMeasures.dueDate });
  const tasks = measures.flatMap((m) => (m.ownerId && m.dueDate ? [{ id: m.id, ownerId: m.ownerId, action: m.action, dueDate: m.dueDate }] : []));
  const patch: TicketChange = {
    measuresTotal: measures.length,
    measuresDone: 0,
    measureOwnerIds: [...new Set([...ticket.measureOwnerIds, ...tasks.map((m) => m.ownerId)])],
  };
  return {
    patch,
    events: [domainEvent('rectification.plan_approved', {
      ...refOf(ticket), planId: plan.id, version: plan.version,
      measures: tasks.map((m) => ({ measureId: m.id, ownerId: m.ownerId, dueDate: m.dueDate, action: m.action })),
    }, { actor, at: now, cause: o.cause })],
    outbox: tasks.map((m) => measureAssigned(refOf(ticket), m)),
  };
}
