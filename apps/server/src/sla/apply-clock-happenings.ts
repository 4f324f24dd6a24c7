/**
 * Applies what happened to a batch of tickets to their SLA clocks, set-based: one transaction
 * locks the tickets (serialising every SLA writer of a ticket, and its audit chain), reads their
 * clocks, plans each ticket's changes with the pure planner, and writes clocks, timers, the
 * tickets' SLA columns and the recomputation audit events in one statement. Budget per batch:
 * BEGIN, lock+read tickets, read clocks, (chain heads when something was recomputed), write,
 * COMMIT — whatever the batch size.
 */
import type { Db } from '../db/client.js';
import { sqlOf } from '../db/client.js';
import { newId } from '../db/util.js';
import { CLOCK_TIMER_KINDS, clockTimers, isFinished, ticketSlaSummary, type Clock } from './clock-math.js';
import {
  CLOCK_COLUMNS, cancelTimersSql, toClock, toRawClock, updateTicketSlaSql, upsertClocksSql, upsertTimersSql, type RawClock,
} from './clock-rows.js';
import { planClockChanges, type Happening, type TicketSnapshot } from './plan-clock-changes.js';
import { slaCalendars } from './sla-calendars.js';
import { slaConfig } from './sla-config.js';
import { insertAuditSql, ticketAuditRows, type TicketAuditEvent } from './ticket-audit-rows.js';

const LOCK_TICKETS = `select t.id, t.status, t.priority, t.category_id, t.sla_policy_id, t.waiting_on_customer, t.created_at,
    t.first_responded_at, c.tier
  from tickets t join customers c on c.id = t.customer_id
  where t.id = any($1::uuid[]) order by t.id for update of t`;
const CLOCKS_OF = `select ${CLOCK_COLUMNS} from sla_clocks where ticket_id = any($1::uuid[])`;

const WRITE = `with c as (${upsertClocksSql('$1')}),
  tu as (${upsertTimersSql('$2')}),
  tc as (${cancelTimersSql('$3')}),
  tk as (${updateTicketSlaSql('$4')}),
  ev as (${insertAuditSql('$5')})
  select (select count(*) from c)::int as clocks`;

interface LockedTicket {
  id: string; status: string; priority: TicketSnapshot['priority']; category_id: string; sla_policy_id: string | null;
  waiting_on_customer: boolean; created_at: Date; first_responded_at: Date | null; tier: TicketSnapshot['tier'];
}

export interface TimerRow { id: string; kind: string; ticket_id: string; reference: string; due_at: string; payload: Record<string, unknown> }
export interface TimerRef { ticket_id: string; kind: string; reference: string }

/** Timers to arm and to cancel for clocks that changed (progress messages follow the update clock). */
export function timerChangesOf(o: {
  changed: readonly Clock[]; created: readonly Clock[]; calendarOf: (id: string | null) => import('../calendars/business-time.js').CompiledCalendar;
  customerUpdates: (policyId: string | null) => boolean;
}): { arm: TimerRow[]; cancel: TimerRef[] } {
  const arm: TimerRow[] = [];
  const cancel: TimerRef[] = [];
  const createdIds = new Set(o.created.map((c) => c.id));
  for (const c of o.changed) {
    const wanted = clockTimers(o.calendarOf(c.calendarId), c);
    for (const kind of CLOCK_TIMER_KINDS) {
      const w = wanted.find((t) => t.kind === kind);
      if (w) {
        arm.push({
          id: newId(), kind, ticket_id: c.ticketId, reference: c.metric, due_at: w.dueAt.toISOString(),
          payload: { clockId: c.id, cycle: c.cycle },
        });
      } else {
        cancel.push({ ticket_id: c.ticketId, kind, reference: c.metric });
      }
    }
    if (c.metric !== 'update') continue;
    if (isFinished(c)) cancel.push({ ticket_id: c.ticketId, kind: 'sla.progress', reference: 'update' });
    else if (createdIds.has(c.id) && o.customerUpdates(c.policyId)) {
      // The first progress message goes out as the clock starts; each one schedules the next.
      arm.push({
        id: newId(), kind: 'sla.progress', ticket_id: c.ticketId, reference: 'update', due_at: c.startedAt.toISOString(),
        payload: { clockId: c.id, n: 0 },
      });
    }
  }
  return { arm, cancel };
}

export async function applyClockHappenings(opts: { db: Db; happenings: Map<string, Happening[]> }): Promise<number> {
  const { db } = opts;
  const ids = [...opts.happenings.keys()].sort();
  if (!ids.length) return 0;
  // Reference data before the transaction: on PGlite nothing but the transaction may run inside it.
  const config = await slaConfig(db);
  const configured = [...config.policies.map((p) => p.calendarId), ...config.tierTargets.map((t) => t.calendarId)];
  let calendarOf = await slaCalendars(db, configured);

  return db.transaction(async (tx) => {
    const sql = sqlOf(tx);
    const locked = await sql.query<LockedTicket>(LOCK_TICKETS, [ids], 'sla_lock_tickets_v1');
    const raw = await sql.query<RawClock>(CLOCKS_OF, [ids], 'sla_clocks_of_v1');
    const clocks = raw.map(toClock);
    const known = new Set(configured);
    const missing = clocks.map((c) => c.calendarId).filter((id) => id && !known.has(id));
    if (missing.length) calendarOf = await slaCalendars(tx, [...configured, ...missing]);

    const byTicket = new Map<string, Clock[]>();
    for (const c of clocks) byTicket.set(c.ticketId, [...(byTicket.get(c.ticketId) ?? []), c]);
    const customerUpdates = (policyId: string | null) => !!config.policies.find((p) => p.id === policyId)?.customerUpdates;

    const write: Clock[] = [];
    const arm: TimerRow[] = [];
    const cancel: TimerRef[] = [];
    const summaries: Array<{ id: string; due_at: string | null; state: string | null }> = [];
    const audits: TicketAuditEvent[] = [];
    for (const t of locked) {
      const happenings = [...(opts.happenings.get(t.id) ?? [])].sort((a, b) => a.at.getTime() - b.at.getTime());
      const plan = planClockChanges({
        ticket: {
          id: t.id, status: t.status, priority: t.priority, tier: t.tier, categoryId: t.category_id,
          slaPolicyId: t.sla_policy_id, waitingOnCustomer: t.waiting_on_customer, createdAt: new Date(t.created_at),
          firstRespondedAt: t.first_responded_at ? new Date(t.first_responded_at) : null,
        },
        clocks: byTicket.get(t.id) ?? [], happenings, policies: config.policies, tierTargets: config.tierTargets,
        calendarOf, newId: () => newId(),
      });
      if (!plan.changed.length) continue;
      write.push(...plan.changed);
      const timers = timerChangesOf({ changed: plan.changed, created: plan.created, calendarOf, customerUpdates });
      arm.push(...timers.arm);
      cancel.push(...timers.cancel);
      const summary = ticketSlaSummary(plan.clocks);
      summaries.push({ id: t.id, due_at: summary.dueAt?.toISOString() ?? null, state: summary.state });
      for (const r of plan.recomputed) {
        audits.push({ ticketId: t.id, type: 'sla.recomputed', at: r.at, data: { ...r, at: undefined } });
      }
    }
    if (!write.length) return 0;
    const auditRows = await ticketAuditRows(sql, audits);
    await sql.query(WRITE, [
      JSON.stringify(write.map(toRawClock)), JSON.stringify(arm), JSON.stringify(cancel), JSON.stringify(summaries),
      JSON.stringify(auditRows),
    ], 'sla_apply_write_v1');
    return write.length;
  });
}
