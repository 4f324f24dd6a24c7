/**
 * Effectiveness checks (有效性验证) of closed quality tickets: scheduled when a ticket of a
 * category with `effectivenessDays` closes, a task of the ticket owner from its due time
 * (GET /me/effectiveness-checks reads the owner's pending checks through their partial index),
 * recorded as effective / ineffective / inconclusive with a note. Ineffective reopens the ticket
 * at analysis (reopen_count + 1) on the domain's authority, with the person who recorded it in
 * the audit trail.
 *
 * Reopen window: `reopen` is refused for tickets closed over REOPEN_WINDOW_DAYS (90) ago, and
 * effectivenessDays is at most 90, so a check is due inside the window. One recorded later than
 * that is kept as ineffective with `reopened: false`; the answer says so and the web asks for a
 * new ticket (a repeat complaint of this one) instead.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { EffectivenessCheck, EffectivenessOutcomeInput } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Db, DbOrTx } from '../db/client.js';
import { effectivenessChecks, tickets } from '../db/schema.js';
import { newId } from '../db/util.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { AppError, notFound } from '../http/app-error.js';
import { enqueueMany } from '../jobs/outbox.js';
import { canSeeTicket } from '../tickets/access.js';
import { applyTransition } from '../tickets/apply-transition.js';
import { REOPEN_WINDOW_DAYS } from '../tickets/lifecycle.js';
import { ticketRowColumns } from '../tickets/ticket-row.js';

const DAY_MS = 86_400_000;
type Row = typeof effectivenessChecks.$inferSelect;

export function toCheck(r: Row, t: { number: string; title: string }, now = new Date()): EffectivenessCheck {
  return {
    id: r.id, ticketId: r.ticketId, ticket: { number: t.number, title: t.title }, ownerId: r.ownerId,
    dueAt: r.dueAt.toISOString(), due: r.dueAt.getTime() <= now.getTime(), status: r.status, outcome: r.outcome ?? null, note: r.note, reopened: r.reopened,
    checkedAt: r.checkedAt?.toISOString() ?? null,
  };
}

/** At closure: one pending check per closure (a reopen cancels the pending ones). */
export async function scheduleEffectivenessCheck(opts: {
  db: DbOrTx; ticketId: string; ownerId: string | null; closedAt: Date; days: number;
}): Promise<void> {
  const { db, ticketId } = opts;
  const dueAt = new Date(opts.closedAt.getTime() + Math.min(opts.days, REOPEN_WINDOW_DAYS) * DAY_MS);
  const [pending] = await db.select({ id: effectivenessChecks.id }).from(effectivenessChecks)
    .where(and(eq(effectivenessChecks.ticketId, ticketId), eq(effectivenessChecks.status, 'pending')));
  if (pending) return;
  await db.insert(effectivenessChecks).values({ id: newId(), ticketId, ownerId: opts.ownerId, dueAt });
}

export async function cancelPendingChecks(db: DbOrTx, ticketId: string): Promise<void> {
  await db.update(effectivenessChecks).set({ status: 'cancelled' })
    .where(and(eq(effectivenessChecks.ticketId, ticketId), eq(effectivenessChecks.status, 'pending')));
}

/** The caller's due checks (their tickets), oldest due first. */
export async function listMyEffectivenessChecks(opts: { db: Db; actor: Actor; now?: Date }): Promise<EffectivenessCheck[]> {
  if (!opts.actor.userId) return [];
  const now = opts.now ?? new Date();
  const rows = await opts.db.select({ c: effectivenessChecks, number: tickets.number, title: tickets.title })
    .from(effectivenessChecks).innerJoin(tickets, eq(tickets.id, effectivenessChecks.ticketId))
    .where(and(eq(effectivenessChecks.ownerId, opts.actor.userId), eq(effectivenessChecks.status, 'pending')))
    .orderBy(asc(effectivenessChecks.dueAt)).limit(200);
  return rows.filter((r) => r.c.dueAt.getTime() <= now.getTime()).map((r) => toCheck(r.c, r, now));
}

export async function listTicketChecks(db: DbOrTx, ticketId: string, t: { number: string; title: string }) {
  const rows = await db.select().from(effectivenessChecks)
    .where(and(eq(effectivenessChecks.ticketId, ticketId), inArray(effectivenessChecks.status, ['pending', 'done'])))
    .orderBy(asc(effectivenessChecks.createdAt));
  return rows.map((r) => toCheck(r, t));
}

export async function recordEffectivenessCheck(opts: {
  db: Db; actor: Actor; ticketId: string; checkId: string; input: EffectivenessOutcomeInput; now?: Date;
}): Promise<EffectivenessCheck> {
  const { db, actor, ticketId, checkId, input } = opts;
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  return db.transaction(async (tx) => {
    const [ticket] = await tx.select(ticketRowColumns).from(tickets).where(eq(tickets.id, ticketId)).for('update');
    if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');
    const [check] = await tx.select().from(effectivenessChecks)
      .where(and(eq(effectivenessChecks.id, checkId), eq(effectivenessChecks.ticketId, ticketId))).for('update');
    if (!check) throw notFound('effectiveness check');
    const mayRecord = actor.role === 'manager' || actor.role === 'admin' || (!!actor.userId && actor.userId === (check.ownerId ?? ticket.ownerId));
    if (!mayRecord) throw new AppError('FORBIDDEN', 'only the ticket owner, a manager or an admin may record the effectiveness check');
    if (check.status !== 'pending') throw new AppError('CONFLICT', 'this effectiveness check was recorded already');
    if (check.dueAt.getTime() > now.getTime()) throw new AppError('CONFLICT', `this effectiveness check is due from ${check.dueAt.toISOString()}`);

    const inWindow = ticket.status === 'closed' && !!ticket.closedAt
      && now.getTime() - ticket.closedAt.getTime() <= REOPEN_WINDOW_DAYS * DAY_MS;
    const reopen = input.outcome === 'ineffective' && inWindow;
    let after = ticket;
    if (reopen) {
      // The owner may not issue `reopen` by role (agents and managers do): the check's outcome
      // does it, and the audit event names the person who recorded it.
      after = await applyTransition({
        db: tx, actor: { ...actor, role: 'admin' }, ticketId, now,
        transition: { command: 'reopen', reason: `effectiveness check: ineffective — ${input.note}` },
      });
    }
    const [row] = await tx.update(effectivenessChecks).set({
      status: 'done', outcome: input.outcome, note: input.note, reopened: reopen,
      checkedById: actor.userId, checkedAt: now,
    }).where(eq(effectivenessChecks.id, checkId)).returning();
    const data = { checkId, outcome: input.outcome, note: input.note, reopened: reopen };
    await appendEvent({ tx, actor, chain: ticketChain(ticketId), ticketId, type: 'effectiveness.checked', data, at: now, chainLocked: true });
    await enqueueMany(tx, eventOutboxRows([domainEvent('effectiveness.checked', {
      ticketId, number: after.number, title: after.title, checkId, outcome: input.outcome, reopened: reopen,
    }, { actor, at: now })]));
    return toCheck(row!, after);
  });
}
