/**
 * One pass of the SLA timer runner, safe with any number of instances on one database:
 * 1. claim a bounded batch of due timers (FOR UPDATE SKIP LOCKED, leased; a timer whose runner
 *    died is taken over when its lease expires) — its own short statement;
 * 2. fire the batch in ONE transaction: lock the batch's tickets (in id order; the lock every
 *    SLA writer and ticket command takes), re-read their clocks, decide each timer against the
 *    clock as it is now, and write everything in one statement: the firing keys
 *    (clock, cycle, kind — unique, with no ON CONFLICT: should two runners ever decide the same
 *    action, the second transaction fails whole and writes nothing), clocks, the tickets'
 *    SLA columns, audit events, notifications (outbox, deterministic source keys), automatic
 *    progress comments, the next timers, and the claimed timers done.
 * Budget per batch, whatever its size: claim; BEGIN, tickets, clocks, firings, people, chain
 * heads, write, COMMIT.
 */
import type { DomainEvent } from '@closeloop/contract';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { addBusinessMinutes } from '../calendars/business-time.js';
import { sqlOf, type Db } from '../db/client.js';
import { newId } from '../db/util.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import type { MessageLocale } from '../notifications/messages.js';
import { clockTimers, clockTimes, isFinished, ticketSlaSummary, type Clock } from './clock-math.js';
import { CLOCK_COLUMNS, toClock, toRawClock, updateTicketSlaSql, upsertClocksSql, upsertTimersSql, type RawClock } from './clock-rows.js';
import { slaCalendars, type CalendarLookup } from './sla-calendars.js';
import { slaConfig } from './sla-config.js';
import { escalationText, progressCommentZh, type EscalationKind } from './sla-messages.js';
import { SLA_SUBSCRIBER } from './subscriber.js';
import { insertAuditSql, ticketAuditRows, type TicketAuditEvent } from './ticket-audit-rows.js';
import type { TimerRow } from './apply-clock-happenings.js';

export interface RunTimersOnceOptions {
  db: Db;
  instanceId: string;
  batchSize?: number;
  leaseMs?: number;
  now?: () => Date;
}

export const TIMER_DEFAULTS = { batchSize: 500, leaseMs: 30_000 } as const;

interface ClaimedTimer {
  id: string; kind: string; ticket_id: string; reference: string; due_at: Date; payload: Record<string, unknown>;
}

const CLAIM = `update timers set status = 'running', locked_by = $1::text, attempts = attempts + 1,
    locked_until = now() + $2::double precision * interval '1 millisecond'
  where id in (select id from timers where status = 'pending' and due_at <= now()
      order by due_at limit $3::integer for update skip locked)
    or id in (select id from timers where status = 'running' and locked_until < now()
      order by locked_until limit $3::integer for update skip locked)
  returning id, kind, ticket_id, reference, due_at, payload`;

const LOCK_TICKETS = `select id, number, title, status, owner_id, department_id, customer_id, waiting_on_customer
  from tickets where id = any($1::uuid[]) order by id for update`;
const CLOCKS_OF = `select ${CLOCK_COLUMNS} from sla_clocks where ticket_id = any($1::uuid[])`;
const FIRINGS_OF = 'select clock_id, cycle, kind from sla_firings where clock_id = any($1::uuid[])';
/** Level 1: the department's heads and managers; level 2: the heads of its parent (else its own). */
const DEPARTMENT_PEOPLE = `with d as (select id, coalesce(parent_id, id) as up from departments where id = any($1::uuid[])),
  heads as (
    select x.id as dept, u.id as user_id from departments x join users u on u.id = x.head_user_id where u.active
    union select ud.department_id, ud.user_id from user_departments ud join users u on u.id = ud.user_id
      where ud.is_head and u.active)
  select d.id as department_id, 1 as level, ud.user_id from d join user_departments ud on ud.department_id = d.id
    join users u on u.id = ud.user_id where u.active and (ud.is_head or u.role = 'manager')
  union select d.id, 1, h.user_id from d join heads h on h.dept = d.id
  union select d.id, 2, h.user_id from d join heads h on h.dept = d.up`;
const PEOPLE = `select id, display_name, phone, locale, role, active, customer_id from users
  where (id = any($1::uuid[]) or customer_id = any($2::uuid[])) and active`;

const WRITE = `with f as (
    insert into sla_firings (clock_id, cycle, kind, ticket_id, fired_by)
    select x.clock_id, x.cycle, x.kind, x.ticket_id, $9::text
    from jsonb_to_recordset($1::text::jsonb) as x(clock_id uuid, cycle integer, kind text, ticket_id uuid)
    returning 1),
  c as (${upsertClocksSql('$2')}),
  tk as (${updateTicketSlaSql('$3')}),
  ev as (${insertAuditSql('$4')}),
  ob as (insert into outbox (id, kind, payload, dedupe_key, run_at)
    select o.id, o.kind, o.payload, o.dedupe_key, now() from jsonb_to_recordset($5::text::jsonb) as o(id uuid, kind text, payload jsonb, dedupe_key text)
    on conflict (dedupe_key) do nothing returning 1),
  cm as (insert into comments (id, ticket_id, author_id, body, visibility, created_at)
    select x.id, x.ticket_id, null, x.body, 'public', x.created_at
    from jsonb_to_recordset($6::text::jsonb) as x(id uuid, ticket_id uuid, body text, created_at timestamptz) returning 1),
  ta as (${upsertTimersSql('$7')}),
  td as (update timers set status = 'done', fired_at = clock_timestamp(), locked_by = null, locked_until = null
    where id = any($8::uuid[]) and locked_by = $9::text and status = 'running' returning 1)
  select (select count(*) from f)::int as fired`;

interface LockedTicket {
  id: string; number: string; title: string; status: string; owner_id: string | null; department_id: string | null;
  customer_id: string; waiting_on_customer: boolean;
}
interface Person { id: string; display_name: string; phone: string | null; locale: MessageLocale; role: string; customer_id: string | null }

const KIND_OF_TIMER: Record<string, EscalationKind> = { 'sla.warn': 'warn', 'sla.breach': 'breach', 'sla.level2': 'level2' };
const EVENT_OF: Record<EscalationKind, 'sla.warned' | 'sla.breached' | 'sla.escalated'> = {
  warn: 'sla.warned', breach: 'sla.breached', level2: 'sla.escalated',
};
const LEVEL_OF: Record<EscalationKind, number> = { warn: 0, breach: 1, level2: 2 };
const TERMINAL = new Set(['closed', 'cancelled']);
/** A timer found early by more than this (its clock moved later) is re-armed, not fired. */
const EARLY_TOLERANCE_MS = 1_000;

export interface TimerPassResult {
  claimed: number;
  /** Actions carried out (warnings, breaches, level-2 escalations, progress messages). */
  fired: number;
}

export async function runTimersOnce(opts: RunTimersOnceOptions): Promise<TimerPassResult> {
  const { db, instanceId } = opts;
  const sql = sqlOf(db);
  const claimed = await sql.query<ClaimedTimer>(CLAIM, [
    instanceId, opts.leaseMs ?? TIMER_DEFAULTS.leaseMs, opts.batchSize ?? TIMER_DEFAULTS.batchSize,
  ], 'timers_claim_v1');
  if (!claimed.length) return { claimed: 0, fired: 0 };
  const fired = await fireTimers({ db, instanceId, timers: claimed, now: opts.now?.() ?? new Date() });
  return { claimed: claimed.length, fired };
}

async function fireTimers(o: { db: Db; instanceId: string; timers: ClaimedTimer[]; now: Date }): Promise<number> {
  const { db, instanceId, timers, now } = o;
  const config = await slaConfig(db);
  const configured = [...config.policies.map((p) => p.calendarId), ...config.tierTargets.map((t) => t.calendarId)];
  let calendarOf: CalendarLookup = await slaCalendars(db, configured);
  const ticketIds = [...new Set(timers.map((t) => t.ticket_id))].sort();

  return db.transaction(async (tx) => {
    const sql = sqlOf(tx);
    const tickets = new Map((await sql.query<LockedTicket>(LOCK_TICKETS, [ticketIds], 'timers_lock_tickets_v1')).map((t) => [t.id, t]));
    const clockList = (await sql.query<RawClock>(CLOCKS_OF, [ticketIds], 'timers_clocks_of_v1')).map(toClock);
    const missing = clockList.map((c) => c.calendarId).filter((id) => id && !configured.includes(id));
    if (missing.length) calendarOf = await slaCalendars(tx, [...configured, ...missing]);
    const clocks = new Map(clockList.map((c) => [c.id, c]));
    const firedKeys = new Set((await sql.query<{ clock_id: string; cycle: number; kind: string }>(
      FIRINGS_OF, [clockList.map((c) => c.id)], 'timers_firings_of_v1',
    )).map((f) => `${f.clock_id}:${f.cycle}:${f.kind}`));

    // Decide every timer against its clock as it is now.
    type Fire = { timer: ClaimedTimer; ticket: LockedTicket; clock: Clock; kind: EscalationKind | 'progress'; cycle: number };
    const fires: Fire[] = [];
    const arm = new Map<string, TimerRow>();
    const armKey = (t: { ticket_id: string; kind: string; reference: string }) => `${t.ticket_id}|${t.kind}|${t.reference}`;
    const rearm = (timer: ClaimedTimer, dueAt: Date, payload: Record<string, unknown>) => arm.set(armKey(timer), {
      id: newId(), kind: timer.kind, ticket_id: timer.ticket_id, reference: timer.reference, due_at: dueAt.toISOString(), payload,
    });
    for (const timer of timers) {
      const ticket = tickets.get(timer.ticket_id);
      const clock = clocks.get(String(timer.payload.clockId));
      if (!ticket || !clock || isFinished(clock) || TERMINAL.has(ticket.status)) continue;
      const cal = calendarOf(clock.calendarId);
      if (timer.kind === 'sla.progress') {
        const n = Number(timer.payload.n ?? 0);
        if (firedKeys.has(`${clock.id}:${n}:progress`)) continue;
        // While the ticket waits on the customer there is no progress to report: try an interval later.
        if (clock.pausedAt || ticket.waiting_on_customer) {
          rearm(timer, addBusinessMinutes(cal, now, clock.targetMinutes), { clockId: clock.id, n });
          continue;
        }
        fires.push({ timer, ticket, clock, kind: 'progress', cycle: n });
        continue;
      }
      const kind = KIND_OF_TIMER[timer.kind];
      if (!kind || clock.pausedAt || Number(timer.payload.cycle) !== clock.cycle) continue;
      if (firedKeys.has(`${clock.id}:${clock.cycle}:${kind}`)) continue;
      const times = clockTimes(cal, clock);
      const dueAt = kind === 'warn' ? clock.warnAt : kind === 'breach' ? clock.dueAt : times.level2At;
      if (dueAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS) {
        rearm(timer, dueAt, { clockId: clock.id, cycle: clock.cycle });
        continue;
      }
      if (kind === 'level2' && !clock.breachedAt) continue;
      fires.push({ timer, ticket, clock, kind, cycle: clock.cycle });
    }

    // Who hears of it, in their language.
    const deptIds = [...new Set(fires.filter((f) => f.kind !== 'progress').map((f) => f.ticket.department_id).filter((d): d is string => !!d))];
    const deptPeople = deptIds.length
      ? await sql.query<{ department_id: string; level: number; user_id: string }>(DEPARTMENT_PEOPLE, [deptIds], 'timers_department_people_v1')
      : [];
    const owners = fires.map((f) => f.ticket.owner_id).filter((d): d is string => !!d);
    const customers = fires.filter((f) => f.kind === 'progress').map((f) => f.ticket.customer_id);
    const people = new Map((fires.length
      ? await sql.query<Person>(PEOPLE, [[...new Set([...owners, ...deptPeople.map((p) => p.user_id)])], [...new Set(customers)]], 'timers_people_v1')
      : []).map((p) => [p.id, p]));
    const staff = (id: string | null | undefined) => {
      const p = id ? people.get(id) : undefined;
      return p && p.role !== 'customer' ? p : undefined;
    };
    const levelPeople = (dept: string | null, level: number) =>
      deptPeople.filter((p) => p.department_id === dept && p.level === level).map((p) => p.user_id);

    const firings: Array<{ clock_id: string; cycle: number; kind: string; ticket_id: string }> = [];
    const audits: TicketAuditEvent[] = [];
    const outbox: Array<{ id: string; kind: string; payload: unknown; dedupe_key: string }> = [];
    const comments: Array<{ id: string; ticket_id: string; body: string; created_at: string }> = [];
    const events: DomainEvent[] = [];
    const origin = { actor: SYSTEM_ACTOR, at: now, cause: { depth: 1, automations: [SLA_SUBSCRIBER] } };

    for (const f of fires) {
      const { ticket, timer } = f;
      let clock = clocks.get(f.clock.id)!;
      const cal = calendarOf(clock.calendarId);
      const ref = { ticketId: ticket.id, number: ticket.number, title: ticket.title };
      firings.push({ clock_id: clock.id, cycle: f.cycle, kind: f.kind, ticket_id: ticket.id });
      if (f.kind === 'progress') {
        const owner = staff(ticket.owner_id);
        const fr = clockList.find((c) => c.ticketId === ticket.id && c.metric === 'first_response');
        const body = progressCommentZh({
          n: f.cycle, ownerName: owner?.display_name ?? null, ownerPhone: owner?.phone ?? null,
          responseMinutes: fr?.targetMinutes ?? null, intervalMinutes: clock.targetMinutes,
        });
        const commentId = newId(now.getTime());
        comments.push({ id: commentId, ticket_id: ticket.id, body, created_at: now.toISOString() });
        audits.push({ ticketId: ticket.id, type: 'comment.added', at: now, data: { commentId, visibility: 'public', excerpt: body, automatic: 'sla.progress', n: f.cycle } });
        events.push(domainEvent('comment.added', {
          ...ref, commentId, visibility: 'public', authorRole: 'system', ownerId: ticket.owner_id, excerpt: body,
        }, origin));
        const sourceKey = `sla:${clock.id}:${f.cycle}:progress`;
        for (const p of people.values()) {
          if (p.customer_id !== ticket.customer_id) continue;
          outbox.push({
            id: newId(), kind: 'notify.users', dedupe_key: `${sourceKey}:${p.id}`,
            payload: { userIds: [p.id], kind: 'sla_progress', title: `工单 ${ticket.number} 处理进度`, body, ticketId: ticket.id, sourceKey },
          });
        }
        rearm(timer, addBusinessMinutes(cal, now, clock.targetMinutes), { clockId: clock.id, n: f.cycle + 1 });
        continue;
      }
      const kind = f.kind;
      const dueAt = kind === 'warn' ? clock.warnAt : kind === 'breach' ? clock.dueAt : clockTimes(cal, clock).level2At;
      if (kind === 'warn') clock = { ...clock, warnedAt: now, status: clock.status === 'active' ? 'warned' : clock.status };
      else if (kind === 'breach') clock = { ...clock, breachedAt: clock.dueAt, status: 'breached', escalationLevel: Math.max(1, clock.escalationLevel) };
      else clock = { ...clock, escalationLevel: 2 };
      clocks.set(clock.id, clock);
      for (const t of clockTimers(cal, clock)) {
        if (t.kind === 'sla.level2') {
          arm.set(armKey({ ticket_id: ticket.id, kind: t.kind, reference: clock.metric }), {
            id: newId(), kind: t.kind, ticket_id: ticket.id, reference: clock.metric, due_at: t.dueAt.toISOString(),
            payload: { clockId: clock.id, cycle: clock.cycle },
          });
        }
      }
      // Warning: the owner (nobody owns it: the group's managers); breach: the group's managers
      // and the owner; level 2: the department head one level up.
      const ownerId = staff(ticket.owner_id)?.id ?? null;
      const recipients = kind === 'warn' ? (ownerId ? [ownerId] : levelPeople(ticket.department_id, 1))
        : kind === 'breach' ? [...levelPeople(ticket.department_id, 1), ...(ownerId ? [ownerId] : [])]
          : levelPeople(ticket.department_id, 2);
      const unique = [...new Set(recipients)].filter((id) => staff(id)).sort();
      const payload = { ...ref, metric: clock.metric, level: LEVEL_OF[kind], cycle: clock.cycle, dueAt: dueAt.toISOString() };
      audits.push({ ticketId: ticket.id, type: EVENT_OF[kind], at: now, data: { ...payload, ticketId: undefined, number: undefined, title: undefined, recipients: unique } });
      events.push(domainEvent(EVENT_OF[kind], payload, origin));
      const sourceKey = `sla:${clock.id}:${clock.cycle}:${kind}`;
      for (const userId of unique) {
        const text = escalationText(staff(userId)!.locale, kind, { number: ticket.number, title: ticket.title, metric: clock.metric, dueAt });
        outbox.push({
          id: newId(), kind: 'notify.users', dedupe_key: `${sourceKey}:${userId}`,
          payload: {
            userIds: [userId], kind: `sla_${kind}`, title: text.title, body: text.body, ticketId: ticket.id, sourceKey,
            // The e-mail is rendered when sent, in the recipient's language of that moment.
            email: {
              template: `sla_${kind}`,
              data: { number: ticket.number, title: ticket.title, metric: clock.metric, dueAt: dueAt.toISOString(), level: LEVEL_OF[kind] },
            },
          },
        });
      }
    }

    const changedClocks = [...new Map(fires.filter((f) => f.kind !== 'progress').map((f) => [f.clock.id, clocks.get(f.clock.id)!])).values()];
    const summaries = [...new Set(changedClocks.map((c) => c.ticketId))].map((id) => {
      const s = ticketSlaSummary([...clocks.values()].filter((c) => c.ticketId === id));
      return { id, due_at: s.dueAt?.toISOString() ?? null, state: s.state };
    });
    for (const row of eventOutboxRows(events)) outbox.push({ id: row.id, kind: row.kind, payload: row.payload, dedupe_key: row.dedupeKey });
    const auditRows = await ticketAuditRows(sql, audits);
    const armed = [...arm.values()];
    const armedKeys = new Set(armed.map(armKey));
    const done = timers.filter((t) => !armedKeys.has(armKey(t))).map((t) => t.id);
    const [result] = await sql.query<{ fired: number }>(WRITE, [
      JSON.stringify(firings), JSON.stringify(changedClocks.map(toRawClock)), JSON.stringify(summaries),
      JSON.stringify(auditRows), JSON.stringify(outbox), JSON.stringify(comments), JSON.stringify(armed), done, instanceId,
    ], 'timers_fire_write_v1');
    return result?.fired ?? 0;
  });
}
