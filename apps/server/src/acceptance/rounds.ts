/**
 * Acceptance rounds (验收): start_acceptance builds round N's checklist from the approved plan's
 * measure criteria plus the category's acceptance template; pass_acceptance / fail_acceptance
 * close the open round after checking its recorded items. A failed round stays as recorded and
 * only the failed items' measures are reopened (todo), so rework repeats what did not work.
 */
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import type { EventCause } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Tx } from '../db/client.js';
import { acceptanceItems, acceptanceRounds, acceptanceTemplateItems, rectMeasures, rectPlans } from '../db/schema.js';
import { newId } from '../db/util.js';
import { domainEvent } from '../events/publish.js';
import { AppError } from '../http/app-error.js';
import type { TicketRow } from '../tickets/ticket-row.js';
import { measureAssigned } from '../rectification/notify.js';
import type { StepResult } from '../rectification/step-result.js';

interface Base { tx: Tx; ticket: TicketRow; actor: Actor; now: Date; cause?: EventCause }
const refOf = (t: TicketRow) => ({ ticketId: t.id, number: t.number, title: t.title });
const invalid = (m: string) => new AppError('INVALID_TRANSITION', m);

export async function approvedPlan(tx: Tx, ticketId: string) {
  const [p] = await tx.select({ id: rectPlans.id, version: rectPlans.version }).from(rectPlans)
    .where(and(eq(rectPlans.ticketId, ticketId), eq(rectPlans.status, 'approved')))
    .orderBy(desc(rectPlans.version)).limit(1);
  return p ?? null;
}

export async function startRound(o: Base): Promise<StepResult> {
  const { tx, ticket, actor, now } = o;
  const plan = await approvedPlan(tx, ticket.id);
  if (!plan) throw invalid('cannot start_acceptance: the ticket has no approved plan');
  const measures = await tx.select({ id: rectMeasures.id, action: rectMeasures.action, criterion: rectMeasures.criterion, status: rectMeasures.status })
    .from(rectMeasures).where(and(eq(rectMeasures.planId, plan.id), ne(rectMeasures.status, 'cancelled')))
    .orderBy(asc(rectMeasures.seq));
  const open = measures.filter((m) => m.status === 'todo' || m.status === 'doing');
  if (open.length) throw invalid(`cannot start_acceptance: measure(s) not done yet: ${open.map((m) => m.id).join(', ')}`);
  const template = await tx.select().from(acceptanceTemplateItems)
    .where(and(eq(acceptanceTemplateItems.categoryId, ticket.categoryId), eq(acceptanceTemplateItems.active, true)))
    .orderBy(asc(acceptanceTemplateItems.sort), asc(acceptanceTemplateItems.createdAt));
  const [last] = await tx.select({ round: acceptanceRounds.round }).from(acceptanceRounds)
    .where(eq(acceptanceRounds.ticketId, ticket.id)).orderBy(desc(acceptanceRounds.round)).limit(1);
  const round = (last?.round ?? 0) + 1;
  const roundId = newId(now.getTime());
  await tx.insert(acceptanceRounds).values({
    id: roundId, ticketId: ticket.id, planId: plan.id, round, status: 'open', startedBy: actor.userId, startedAt: now,
  });
  const items = [
    ...measures.map((m) => ({ measureId: m.id, templateItemId: null, item: m.action, criterion: m.criterion, method: null })),
    ...template.map((t) => ({
      measureId: null, templateItemId: t.id, item: t.item, criterion: { kind: 'text' as const, text: t.criterion }, method: t.method,
    })),
  ];
  if (items.length) {
    await tx.insert(acceptanceItems).values(items.map((it, seq) => ({ id: newId(now.getTime()), roundId, ticketId: ticket.id, seq, ...it })));
  }
  return {
    patch: {},
    events: [domainEvent('acceptance.round_started', { ...refOf(ticket), roundId, round, items: items.length }, { actor, at: now, cause: o.cause })],
    outbox: [],
  };
}

export async function openRound(tx: Tx, ticketId: string) {
  const [r] = await tx.select().from(acceptanceRounds)
    .where(and(eq(acceptanceRounds.ticketId, ticketId), eq(acceptanceRounds.status, 'open'))).limit(1);
  return r ?? null;
}

export async function completeRound(o: Base & { pass: boolean; result: string | null }): Promise<StepResult> {
  const { tx, ticket, actor, now, pass } = o;
  const round = await openRound(tx, ticket.id);
  if (!round) throw invalid('the ticket has no open acceptance round');
  const items = await tx.select({ id: acceptanceItems.id, seq: acceptanceItems.seq, result: acceptanceItems.result, measureId: acceptanceItems.measureId })
    .from(acceptanceItems).where(eq(acceptanceItems.roundId, round.id));
  const failed = items.filter((i) => i.result === 'fail');
  if (pass) {
    const notOk = items.filter((i) => i.result !== 'pass' && i.result !== 'na');
    if (notOk.length) {
      throw invalid(`cannot pass_acceptance: item(s) ${notOk.map((i) => i.seq + 1).join(', ')} not recorded as pass or not applicable`);
    }
  } else if (!failed.length) {
    throw invalid('cannot fail_acceptance: no item of the round is recorded as fail');
  }
  await tx.update(acceptanceRounds).set({
    status: pass ? 'passed' : 'failed', completedBy: actor.userId, completedAt: now, result: o.result,
  }).where(eq(acceptanceRounds.id, round.id));
  if (pass) {
    return {
      patch: {},
      events: [domainEvent('acceptance.passed', { ...refOf(ticket), roundId: round.id, round: round.round }, { actor, at: now, cause: o.cause })],
      outbox: [],
    };
  }
  const measureIds = [...new Set(failed.flatMap((i) => (i.measureId ? [i.measureId] : [])))];
  const reopened = measureIds.length ? await tx.update(rectMeasures).set({
    status: 'todo', completedAt: null, completedBy: null, onBehalf: false, startedAt: null, updatedAt: now,
  }).where(and(inArray(rectMeasures.id, measureIds), eq(rectMeasures.status, 'done')))
    .returning({ id: rectMeasures.id, ownerId: rectMeasures.ownerId, action: rectMeasures.action, dueDate: rectMeasures.dueDate }) : [];
  const reworkCount = ticket.reworkCount + 1;
  return {
    patch: { measuresDone: Math.max(0, ticket.measuresDone - reopened.length) },
    events: [domainEvent('acceptance.failed', {
      ...refOf(ticket), roundId: round.id, round: round.round, reopenedMeasureIds: reopened.map((m) => m.id), reworkCount,
    }, { actor, at: now, cause: o.cause })],
    outbox: reopened.flatMap((m) => (m.ownerId ? [{
      ...measureAssigned(refOf(ticket), { id: m.id, ownerId: m.ownerId, action: m.action, dueDate: m.dueDate ?? '—' }),
    }] : [])).map((n) => ({
      ...n, dedupeKey: `${n.dedupeKey}:rework${reworkCount}`, payload: { ...n.payload, sourceKey: `${n.payload.sourceKey}:rework${reworkCount}` },
    })),
  };
}
