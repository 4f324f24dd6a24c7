/** SLA clock rows as stored ↔ the Clock of clock-math.ts, and the set-based upsert of many. */
import type { SlaClockStatus, SlaMetric } from '@closeloop/contract';
import type { Clock } from './clock-math.js';

export interface RawClock {
  id: string; ticket_id: string; metric: SlaMetric; policy_id: string | null; policy_version: number | null;
  source: string; calendar_id: string | null; target_minutes: number; warn_percent: number; level2_after_percent: number;
  started_at: Date; due_at: Date; warn_at: Date; status: SlaClockStatus; paused_at: Date | null; paused_minutes: number;
  met_at: Date | null; warned_at: Date | null; breached_at: Date | null; escalation_level: number; cycle: number;
}

const d = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

export function toClock(r: RawClock): Clock {
  return {
    id: r.id, ticketId: r.ticket_id, metric: r.metric, policyId: r.policy_id, policyVersion: r.policy_version,
    source: r.source, calendarId: r.calendar_id, targetMinutes: r.target_minutes, warnPercent: r.warn_percent,
    level2AfterPercent: r.level2_after_percent, startedAt: d(r.started_at)!, dueAt: d(r.due_at)!, warnAt: d(r.warn_at)!,
    status: r.status, pausedAt: d(r.paused_at), pausedMinutes: Number(r.paused_minutes), metAt: d(r.met_at),
    warnedAt: d(r.warned_at), breachedAt: d(r.breached_at), escalationLevel: r.escalation_level, cycle: r.cycle,
  };
}

export function toRawClock(c: Clock): Record<string, unknown> {
  const iso = (v: Date | null) => v?.toISOString() ?? null;
  return {
    id: c.id, ticket_id: c.ticketId, metric: c.metric, policy_id: c.policyId, policy_version: c.policyVersion,
    source: c.source, calendar_id: c.calendarId, target_minutes: c.targetMinutes, warn_percent: c.warnPercent,
    level2_after_percent: c.level2AfterPercent, started_at: iso(c.startedAt), due_at: iso(c.dueAt), warn_at: iso(c.warnAt),
    status: c.status, paused_at: iso(c.pausedAt), paused_minutes: Math.round(c.pausedMinutes), met_at: iso(c.metAt),
    warned_at: iso(c.warnedAt), breached_at: iso(c.breachedAt), escalation_level: c.escalationLevel, cycle: c.cycle,
  };
}

export const CLOCK_COLUMNS = `id, ticket_id, metric, policy_id, policy_version, source, calendar_id, target_minutes, warn_percent,
  level2_after_percent, started_at, due_at, warn_at, status, paused_at, paused_minutes, met_at, warned_at, breached_at,
  escalation_level, cycle`;

/** Upsert of many clocks (jsonb array of toRawClock) as a CTE body over `$n`. */
export const upsertClocksSql = (param: string) => `insert into sla_clocks (${CLOCK_COLUMNS}, updated_at)
  select ${CLOCK_COLUMNS}, now() from jsonb_to_recordset(${param}::text::jsonb) as x(id uuid, ticket_id uuid, metric text,
    policy_id uuid, policy_version integer, source text, calendar_id uuid, target_minutes integer, warn_percent smallint,
    level2_after_percent smallint, started_at timestamptz, due_at timestamptz, warn_at timestamptz, status text,
    paused_at timestamptz, paused_minutes integer, met_at timestamptz, warned_at timestamptz, breached_at timestamptz,
    escalation_level smallint, cycle integer)
  on conflict (ticket_id, metric) do update set policy_id = excluded.policy_id, policy_version = excluded.policy_version,
    source = excluded.source, calendar_id = excluded.calendar_id, target_minutes = excluded.target_minutes,
    warn_percent = excluded.warn_percent, level2_after_percent = excluded.level2_after_percent,
    started_at = excluded.started_at, due_at = excluded.due_at, warn_at = excluded.warn_at, status = excluded.status,
    paused_at = excluded.paused_at, paused_minutes = excluded.paused_minutes, met_at = excluded.met_at,
    warned_at = excluded.warned_at, breached_at = excluded.breached_at, escalation_level = excluded.escalation_level,
    cycle = excluded.cycle, updated_at = now()
  returning 1`;

/** Timers to (re)arm: jsonb array of {id, kind, ticket_id, reference, due_at, payload}. */
export const upsertTimersSql = (param: string) => `insert into timers (id, kind, ticket_id, reference, due_at, payload, status)
  select x.id, x.kind, x.ticket_id, x.reference, x.due_at, x.payload, 'pending'
  from jsonb_to_recordset(${param}::text::jsonb) as x(id uuid, kind text, ticket_id uuid, reference text, due_at timestamptz, payload jsonb)
  on conflict (ticket_id, kind, reference) do update set due_at = excluded.due_at, payload = excluded.payload,
    status = 'pending', attempts = 0, locked_by = null, locked_until = null, last_error = null, fired_at = null
  returning 1`;

/** Timers to cancel by reference: jsonb array of {ticket_id, kind, reference}. */
export const cancelTimersSql = (param: string) => `update timers t set status = 'cancelled', locked_by = null, locked_until = null
  from jsonb_to_recordset(${param}::text::jsonb) as x(ticket_id uuid, kind text, reference text)
  where t.ticket_id = x.ticket_id and t.kind = x.kind and t.reference = x.reference and t.status in ('pending', 'running')
  returning 1`;

/** The tickets' denormalised SLA columns: jsonb array of {id, due_at, state}. No version bump. */
export const updateTicketSlaSql = (param: string) => `update tickets t set sla_due_at = x.due_at, sla_state = x.state
  from jsonb_to_recordset(${param}::text::jsonb) as x(id uuid, due_at timestamptz, state text)
  where t.id = x.id and (t.sla_due_at is distinct from x.due_at or t.sla_state is distinct from x.state)
  returning 1`;
