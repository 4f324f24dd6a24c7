/**
 * One pass over the follow-up domain's due timers (silence → auto-close), safe with several
 * instances: each timer is claimed and carried out in its own transaction (FOR UPDATE SKIP
 * LOCKED on the partial index of pending timers, oldest due first), so a pass never reads the
 * tickets table to find work. A ticket that left follow_up meanwhile just ends its timer.
 */
import { sql } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Db, Tx } from '../db/client.js';
import { rowsOf } from '../db/util.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { AppError } from '../http/app-error.js';
import { enqueueMany } from '../jobs/outbox.js';
import { applyTransition } from '../tickets/apply-transition.js';


interface DueTimer { id: string; ticket_id: string; kind: string; payload: Record<string, unknown> }

export async function runFollowUpTimersOnce(opts: { db: Db; now?: Date; max?: number }): Promise<number> {
  const max = opts.max ?? 50;
  let done = 0;
  for (let i = 0; i < max; i++) {
    const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
    const handled = await opts.db.transaction(async (tx) => {
      const [timer] = rowsOf<DueTimer>(await tx.execute(sql`
        select id, ticket_id, kind, payload from follow_up_timers
        where status = 'pending' and due_at <= ${now.toISOString()}::timestamptz
        order by due_at limit 1 for update skip locked`));
      if (!timer) return false;
      await tx.execute(sql`update follow_up_timers set status = 'done', fired_at = ${now.toISOString()}::timestamptz where id = ${timer.id}::uuid`);
      if (timer.kind === 'silence') await autoClose(tx, timer, now);
      return true;
    });
    if (!handled) break;
    done += 1;
  }
  return done;
}

async function autoClose(tx: Tx, timer: DueTimer, now: Date): Promise<void> {
  const silentDays = Number(timer.payload.silentDays ?? 0);
  const reason = `no answer to the follow-up for ${silentDays} days`;
  try {
    const ticket = await applyTransition({
      db: tx, actor: SYSTEM_ACTOR, ticketId: timer.ticket_id, now,
      transition: { command: 'auto_close', reason },
    });
    await appendEvent({
      tx, actor: SYSTEM_ACTOR, chain: ticketChain(ticket.id), ticketId: ticket.id, type: 'ticket.auto_closed',
      data: { reason: 'follow_up_silence', silentDays }, at: now, chainLocked: true,
    });
    await enqueueMany(tx, eventOutboxRows([domainEvent('ticket.auto_closed', {
      ticketId: ticket.id, number: ticket.number, title: ticket.title, reason: 'follow_up_silence', silentDays,
    }, { actor: SYSTEM_ACTOR, at: now })]));
  } catch (err) {
    // Answered, reopened or cancelled meanwhile: the timer is simply over.
    if (err instanceof AppError && (err.code === 'INVALID_TRANSITION' || err.code === 'NOT_FOUND')) return;
    throw err;
  }
}
