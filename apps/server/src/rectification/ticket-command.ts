/**
 * The frame of every rectification / acceptance command that is not a lifecycle transition:
 * one transaction that locks the ticket row (serialising its audit chain), checks the caller
 * may see it, runs the use case, then writes the ticket columns it changed (with updatedAt and
 * version), its audit events, its published domain events and its outbox notifications.
 */
import { eq } from 'drizzle-orm';
import type { DomainEvent, EventCause } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Db, Tx } from '../db/client.js';
import { tickets } from '../db/schema.js';
import { eventOutboxRows } from '../events/publish.js';
import { notFound } from '../http/app-error.js';
import { enqueueMany } from '../jobs/outbox.js';
import { canSeeTicket } from '../tickets/access.js';
import type { TicketChange } from '../tickets/lifecycle.js';
import { ticketRowColumns, type TicketRow } from '../tickets/ticket-row.js';
import type { NotifyItem } from './notify.js';

export interface CommandScope {
  tx: Tx;
  ticket: TicketRow;
  actor: Actor;
  now: Date;
  audit(type: string, data: Record<string, unknown>): void;
  publish(...events: DomainEvent[]): void;
  notify(...items: NotifyItem[]): void;
  patch(p: TicketChange): void;
  /** Writes the audit events so far now (before a step that appends its own, e.g. an approval start). */
  flush(): Promise<void>;
}

export async function runTicketCommand<T>(
  opts: { db: Db; actor: Actor; ticketId: string; now?: Date },
  fn: (s: CommandScope) => Promise<T>,
): Promise<T> {
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  return opts.db.transaction(async (tx) => {
    const [ticket] = await tx.select(ticketRowColumns).from(tickets).where(eq(tickets.id, opts.ticketId)).for('update');
    if (!ticket || !canSeeTicket(opts.actor, ticket)) throw notFound('ticket');
    return runTicketCommandInTx(tx, { ticket, actor: opts.actor, now }, fn);
  });
}

/**
 * The same inside a caller's transaction that already holds the ticket row FOR UPDATE (an
 * approval flow's outcome deciding a dispute, in the transaction of the action that ended it).
 */
export async function runTicketCommandInTx<T>(
  tx: Tx, opts: { ticket: TicketRow; actor: Actor; now: Date; cause?: EventCause },
  fn: (s: CommandScope) => Promise<T>,
): Promise<T> {
  const { ticket, now } = opts;
  const audits: { type: string; data: Record<string, unknown> }[] = [];
  const events: DomainEvent[] = [];
  const notes: NotifyItem[] = [];
  let change: TicketChange = {};
  let audited = false;
  const flush = async () => {
    for (const a of audits.splice(0)) {
      audited = true;
      await appendEvent({
        tx, actor: opts.actor, chain: ticketChain(ticket.id), ticketId: ticket.id, type: a.type, data: a.data, at: now,
        chainLocked: true,
      });
    }
  };
  const result = await fn({
    tx, ticket, actor: opts.actor, now,
    audit: (type, data) => { audits.push({ type, data }); },
    publish: (...e) => { events.push(...e); },
    notify: (...n) => { notes.push(...n); },
    patch: (p) => { change = { ...change, ...p }; },
    flush,
  });
  await flush();
  if (audited || Object.keys(change).length) {
    await tx.update(tickets).set({ ...change, updatedAt: now, version: ticket.version + 1 }).where(eq(tickets.id, ticket.id));
  }
  await enqueueMany(tx, [...eventOutboxRows(events), ...notes]);
  return result;
}
