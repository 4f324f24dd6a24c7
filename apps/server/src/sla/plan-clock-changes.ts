/**
 * What the SLA subscriber does to one ticket's clocks for what happened to the ticket, as a
 * pure function: clocks in, happenings in (oldest first), clocks out plus the audit records of
 * recomputations. Every step is idempotent (meeting a met clock, pausing a paused one, a
 * recompute that changes nothing), because events are delivered at least once.
 */
import type { SlaMetric } from '@closeloop/contract';
import type { CompiledCalendar } from '../calendars/business-time.js';
import {
  cancelClock, clockTimes, isFinished, meetClock, pauseClock, restartClock, resumeClock, retargetClock, sameClock,
  startClock, type Clock, type ClockTarget,
} from './clock-math.js';
import { matchPolicy, targetCandidates, type PolicyRow, type SlaSubject, type TierTargetRow } from './match-policy.js';

export const METRICS: readonly SlaMetric[] = ['first_response', 'update', 'resolution'];

export interface TicketSnapshot extends SlaSubject {
  id: string;
  status: string;
  waitingOnCustomer: boolean;
  createdAt: Date;
  firstRespondedAt: Date | null;
}

export type Happening =
  | { kind: 'ensure'; at: Date }
  | { kind: 'first_response'; at: Date }
  | { kind: 'public_reply'; at: Date }
  | { kind: 'resolved'; at: Date }
  | { kind: 'reopened'; at: Date }
  | { kind: 'cancelled'; at: Date }
  | { kind: 'waiting'; waiting: boolean; at: Date }
  | { kind: 'recompute'; reason: string; at: Date };

export interface RecomputeRecord {
  at: Date;
  reason: string;
  policy: { from: string | null; to: string | null };
  clocks: Array<{
    metric: SlaMetric;
    before: { targetMinutes: number; dueAt: string; source: string } | null;
    after: { targetMinutes: number; dueAt: string; source: string; status: string } | null;
  }>;
}

export interface PlanInput {
  ticket: TicketSnapshot;
  clocks: readonly Clock[];
  happenings: readonly Happening[];
  policies: readonly PolicyRow[];
  tierTargets: readonly TierTargetRow[];
  calendarOf: (id: string | null) => CompiledCalendar;
  newId: () => string;
}

export interface PlanResult {
  clocks: Clock[];
  /** New or changed clocks, to write. */
  changed: Clock[];
  /** Clocks that did not exist before. */
  created: Clock[];
  recomputed: RecomputeRecord[];
}

const TERMINAL = new Set(['closed', 'cancelled']);

/** The candidate with the earliest due time from this start (ties: the policy's own). */
function stricter(calendarOf: PlanInput['calendarOf'], candidates: ClockTarget[], startedAt: Date, pausedMinutes: number) {
  let best: { target: ClockTarget; due: number } | null = null;
  for (const target of candidates) {
    const due = clockTimes(calendarOf(target.calendarId), { ...target, startedAt, pausedMinutes }).dueAt.getTime();
    if (!best || due < best.due) best = { target, due };
  }
  return best?.target ?? null;
}

const sameTarget = (c: Clock, t: ClockTarget) =>
  c.policyId === t.policyId && c.policyVersion === t.policyVersion && c.source === t.source
  && c.calendarId === t.calendarId && c.targetMinutes === t.targetMinutes && c.warnPercent === t.warnPercent
  && c.level2AfterPercent === t.level2AfterPercent;

const brief = (c: Clock | undefined) => (c ? { targetMinutes: c.targetMinutes, dueAt: c.dueAt.toISOString(), source: c.source } : null);

export function planClockChanges(input: PlanInput): PlanResult {
  const { ticket, calendarOf } = input;
  const state = new Map<SlaMetric, Clock>(input.clocks.map((c) => [c.metric, c]));
  const recomputed: RecomputeRecord[] = [];
  const calOf = (c: Clock) => calendarOf(c.calendarId);
  const set = (c: Clock) => state.set(c.metric, c);
  const each = (fn: (c: Clock) => Clock) => { for (const c of Array.from(state.values())) set(fn(c)); };

  const policy = () => matchPolicy(input.policies, ticket);
  const tierTarget = input.tierTargets.find((t) => t.tier === ticket.tier) ?? null;

  /** Starts the metric's clock if it has a target and none exists (first response only while unanswered). */
  const startMissing = (metric: SlaMetric, at: Date, p: PolicyRow | null) => {
    if (state.has(metric) || TERMINAL.has(ticket.status)) return;
    if (metric === 'first_response' && ticket.firstRespondedAt && ticket.firstRespondedAt <= at) return;
    const startAt = metric === 'update' ? at : ticket.createdAt;
    const target = stricter(calendarOf, targetCandidates({ policy: p, tierTarget, metric }), startAt, 0);
    if (!target) return;
    // A clock started later (a recompute, a reopen) joins a running pause of the others.
    const paused = startAt > ticket.createdAt && Array.from(state.values()).some((c) => c.pausedAt && !isFinished(c));
    set(startClock({
      cal: calendarOf(target.calendarId), id: input.newId(), ticketId: ticket.id, metric, target, at: startAt, paused,
    }));
  };

  // A ticket seen for the first time gets its clocks as of its registration.
  if (!state.size) {
    const p = policy();
    for (const metric of METRICS) startMissing(metric, ticket.createdAt, p);
  }

  for (const h of input.happenings) {
    switch (h.kind) {
      case 'ensure':
        break;
      case 'first_response': {
        const c = state.get('first_response');
        if (c) set(meetClock(c, h.at));
        break;
      }
      case 'public_reply': {
        const fr = state.get('first_response');
        if (fr) set(meetClock(fr, h.at));
        const up = state.get('update');
        if (up && !isFinished(up) && h.at.getTime() > up.startedAt.getTime()) {
          set(restartClock(calOf(up), up, h.at, !!up.pausedAt));
        }
        break;
      }
      case 'resolved':
        each((c) => meetClock(c, h.at));
        break;
      case 'reopened': {
        const p = policy();
        for (const metric of ['resolution', 'update'] as const) {
          const c = state.get(metric);
          if (c && c.status === 'met' && (!c.metAt || c.metAt <= h.at)) set(restartClock(calOf(c), c, h.at, false));
          else if (!c) startMissing(metric, h.at, p);
        }
        break;
      }
      case 'cancelled':
        each(cancelClock);
        break;
      case 'waiting':
        each((c) => (h.waiting ? pauseClock(c, h.at) : resumeClock(calOf(c), c, h.at)));
        break;
      case 'recompute': {
        const before = new Map(state);
        const p = policy();
        const fromPolicy = [...before.values()].find((c) => c.policyId)?.policyId ?? null;
        for (const metric of METRICS) {
          const c = state.get(metric);
          if (!c) {
            startMissing(metric, h.at, p);
            continue;
          }
          if (isFinished(c)) continue;
          const target = stricter(calendarOf, targetCandidates({ policy: p, tierTarget, metric }), c.startedAt, c.pausedMinutes);
          if (!target) set(cancelClock(c));
          else if (!sameTarget(c, target)) set(retargetClock(calendarOf(target.calendarId), c, target));
        }
        const clocks = METRICS.flatMap((metric) => {
          const b = before.get(metric);
          const a = state.get(metric);
          if (b && a && sameClock(a, b)) return [];
          if (!a && !b) return [];
          return [{ metric, before: brief(b), after: a ? { ...brief(a)!, status: a.status } : null }];
        });
        if (clocks.length) recomputed.push({ at: h.at, reason: h.reason, policy: { from: fromPolicy, to: p?.id ?? null }, clocks });
        break;
      }
    }
  }

  const original = new Map(input.clocks.map((c) => [c.id, c]));
  const clocks = METRICS.flatMap((m) => (state.has(m) ? [state.get(m)!] : []));
  const changed = clocks.filter((c) => !original.has(c.id) || !sameClock(original.get(c.id)!, c));
  const created = clocks.filter((c) => !original.has(c.id));
  return { clocks, changed, created, recomputed };
}
