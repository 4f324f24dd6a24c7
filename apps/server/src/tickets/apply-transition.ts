/**
 * Carries out one lifecycle command on a ticket: the only writer of `tickets.status`.
 * Locks the row, asks the transition table (lifecycle.ts), writes the change, its audit event
 * and its published domain events (outbox rows for the subscribers) in one transaction, so a
 * refused or failed command leaves nothing behind and subscribers see only committed changes.
 */
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { EventCause, FieldError, Transition } from '@closeloop/contract';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { approvalGateOnTransition, holdForApproval } from '../approvals/open-gate.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Db, Tx } from '../db/client.js';
import { departments, tickets, users } from '../db/schema.js';
import { AppError, notFound } from '../http/app-error.js';
import { enqueueMany } from '../jobs/outbox.js';
import { eventOutboxRows } from '../events/publish.js';
import { canSeeTicket } from './access.js';
import { decideTransition, type SystemTransition, type TicketChange } from './lifecycle.js';
import { publishedEvents } from './transition-events.js';
import { rectificationStep } from '../rectification/rectification-step.js';
import { ticketRowColumns, type TicketRow } from './ticket-row.js';

/** Denormalised lists are not worth repeating in every event. */
const NOT_IN_BEFORE_AFTER = new Set<keyof TicketChange>(['measureOwnerIds']);

export interface ApplyTransitionOptions {
  db: Db;
  actor: Actor;
  ticketId: string;
  transition: Transition | SystemTransition;
  now?: Date;
  /** Set when automation (a subscriber) issues the command. */
  cause?: EventCause;
}

export async function applyTransition(opts: ApplyTransitionOptions): Promise<TicketRow> {
  const { db } = opts;
  // Whole milliseconds, so the row and the audit event carry the same instant.
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  return db.transaction((tx) => applyTransitionInTx(tx, { ...opts, now }));
}

/**
 * The same inside a caller's transaction (the approval engine issues approve_plan / reject_plan
 * when an instance ends, in the transaction of the action that ended it).
 */
export async function applyTransitionInTx(tx: Tx, opts: Omit<ApplyTransitionOptions, 'db'> & { now: Date }): Promise<TicketRow> {
  const { actor, ticketId, transition, now } = opts;
  { // (kept at the indentation of the transaction body it was, so the diff stays small)
    const [ticket] = await tx.select(ticketRowColumns).from(tickets).where(eq(tickets.id, ticketId)).for('update');
    if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');

    const decision = decideTransition({ ticket, actor, transition, now });
    if (!decision.ok) {
      const fields = decision.field ? [{ path: decision.field, message: decision.message }] : undefined;
      throw new AppError(decision.code, decision.message, fields);
    }
    // A gated command (staff cancel) starts the category's flow and waits for its outcome.
    if (decision.approvalGate && await holdForApproval(tx, { gate: decision.approvalGate, ticket, actor, transition, now })) {
      const [held] = await tx.update(tickets).set({ updatedAt: now, version: ticket.version + 1 })
        .where(eq(tickets.id, ticketId)).returning(ticketRowColumns);
      return held!;
    }
    await checkReferences(tx, transition);
    // Plan versions, measures and acceptance rounds (rectification/, acceptance/).
    const rect = await rectificationStep(tx, { ticket, actor, transition, now, cause: opts.cause });

    const [updated] = await tx.update(tickets)
      .set({ ...decision.patch, ...rect.patch, updatedAt: now, version: ticket.version + 1 })
      .where(eq(tickets.id, ticketId))
      .returning(ticketRowColumns);
    const { before, after } = changedFields(ticket, updated!, decision.patch);
    const { command: _command, ...data } = transition;
    // The ticket row is locked FOR UPDATE: no other writer of its chain can interleave.
    await appendEvent({
      tx, actor, chain: ticketChain(ticketId), ticketId, type: decision.eventType, before, after, data, at: now,
      chainLocked: true,
    });

    await enqueueMany(tx, [...eventOutboxRows([...publishedEvents({
      before: ticket, after: updated!, command: decision.command, data, patch: decision.patch,
      origin: { actor, at: now, cause: opts.cause },
    }), ...rect.events]), ...rect.outbox]);
    // Approval gates (approvals/): entering plan_review starts the category's flow; no flow passes.
    const next = await approvalGateOnTransition(tx, { actor, before: ticket, after: updated!, command: decision.command, now });
    if (next) return applyTransitionInTx(tx, { actor: SYSTEM_ACTOR, ticketId, transition: next, now, cause: opts.cause });
    return updated!;
  }
}

/** Before/after of the columns the command changed (the stage documents left out). */
function changedFields(old: TicketRow, now: TicketRow, patch: TicketChange) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const key of Object.keys(patch) as (keyof TicketChange)[]) {
    if (NOT_IN_BEFORE_AFTER.has(key)) continue;
    if (JSON.stringify(old[key]) === JSON.stringify(now[key])) continue;
    before[key] = old[key];
    after[key] = now[key];
  }
  return Object.keys(after).length ? { before, after } : { before: null, after: null };
}

/** Users and departments named in the input must exist; people given work must be active staff. */
async function checkReferences(tx: Tx, t: ApplyTransitionOptions['transition']): Promise<void> {
  const fields: FieldError[] = [];
  const staff: { path: string; id: string }[] = [];
  const depts: { path: string; id: string }[] = [];
  if (t.command === 'reassign') {
    if (t.ownerId) staff.push({ path: 'ownerId', id: t.ownerId });
    if (t.departmentId) depts.push({ path: 'departmentId', id: t.departmentId });
  } else if (t.command === 'submit_plan') {
    t.plan.measures.forEach((m, i) => { if (m.ownerId) staff.push({ path: `plan.measures.${i}.ownerId`, id: m.ownerId }); });
    if (t.analysis?.responsibleDepartmentId) {
      depts.push({ path: 'analysis.responsibleDepartmentId', id: t.analysis.responsibleDepartmentId });
    }
  }
  if (staff.length) {
    const found = await tx.select({ id: users.id }).from(users).where(and(
      inArray(users.id, staff.map((s) => s.id)), eq(users.active, true), ne(users.role, 'customer'),
    ));
    const ok = new Set(found.map((u) => u.id));
    for (const s of staff) if (!ok.has(s.id)) fields.push({ path: s.path, message: 'not an active staff user' });
  }
  if (depts.length) {
    const found = await tx.select({ id: departments.id }).from(departments).where(inArray(departments.id, depts.map((d) => d.id)));
    const ok = new Set(found.map((d) => d.id));
    for (const d of depts) if (!ok.has(d.id)) fields.push({ path: d.path, message: 'no such department' });
  }
  if (fields.length) throw new AppError('VALIDATION_FAILED', `${fields[0]!.path}: ${fields[0]!.message}`, fields);
}
