/**
 * The applied SLA clock as pure functions: start, pause, resume, retarget, restart, meet, and
 * which timers a clock needs. All business-time maths goes through calendars/business-time.ts;
 * a due time is always `started_at + target + paused` business minutes of the clock's calendar,
 * so a pause moves the due time by exactly the business time it lasted, whatever the calendar.
 */
import type { SlaClockStatus, SlaMetric, SlaState } from '@closeloop/contract';
import { addBusinessMinutes, businessMinutesBetween, type CompiledCalendar } from '../calendars/business-time.js';

export interface Clock {
  id: string;
  ticketId: string;
  metric: SlaMetric;
  policyId: string | null;
  policyVersion: number | null;
  source: string;
  calendarId: string | null;
  targetMinutes: number;
  warnPercent: number;
  level2AfterPercent: number;
  startedAt: Date;
  dueAt: Date;
  warnAt: Date;
  status: SlaClockStatus;
  pausedAt: Date | null;
  pausedMinutes: number;
  metAt: Date | null;
  warnedAt: Date | null;
  breachedAt: Date | null;
  escalationLevel: number;
  cycle: number;
}

/** What a clock is counted against: its target, shares and calendar. */
export interface ClockTarget {
  policyId: string | null;
  policyVersion: number | null;
  source: string;
  calendarId: string | null;
  targetMinutes: number;
  warnPercent: number;
  level2AfterPercent: number;
}

const DONE: readonly SlaClockStatus[] = ['met', 'cancelled'];
export const isFinished = (c: Pick<Clock, 'status'>) => DONE.includes(c.status);

/** Due, warning and level-2 instants of a target counted from `startedAt`, moved by the pauses so far. */
export function clockTimes(cal: CompiledCalendar, c: Pick<Clock, 'startedAt' | 'targetMinutes' | 'warnPercent' | 'level2AfterPercent' | 'pausedMinutes'>) {
  const base = c.pausedMinutes;
  return {
    dueAt: addBusinessMinutes(cal, c.startedAt, c.targetMinutes + base),
    warnAt: addBusinessMinutes(cal, c.startedAt, (c.targetMinutes * c.warnPercent) / 100 + base),
    level2At: addBusinessMinutes(cal, c.startedAt, c.targetMinutes * (1 + c.level2AfterPercent / 100) + base),
  };
}

export function startClock(o: {
  cal: CompiledCalendar; id: string; ticketId: string; metric: SlaMetric; target: ClockTarget; at: Date;
  paused: boolean; cycle?: number;
}): Clock {
  const base = {
    ...o.target, startedAt: o.at, pausedMinutes: 0,
  };
  const { dueAt, warnAt } = clockTimes(o.cal, base);
  return {
    id: o.id, ticketId: o.ticketId, metric: o.metric, ...base, dueAt, warnAt,
    status: o.paused ? 'paused' : 'active', pausedAt: o.paused ? o.at : null,
    metAt: null, warnedAt: null, breachedAt: null, escalationLevel: 0, cycle: o.cycle ?? 0,
  };
}

/** Stops counting while the ticket waits on the customer. A finished or paused clock stays as it is. */
export function pauseClock(c: Clock, at: Date): Clock {
  if (isFinished(c) || c.pausedAt) return c;
  return { ...c, status: 'paused', pausedAt: at };
}

/** The status a running clock has, from what already happened to it. */
function runningStatus(c: Pick<Clock, 'breachedAt' | 'warnedAt'>): SlaClockStatus {
  if (c.breachedAt) return 'breached';
  return c.warnedAt ? 'warned' : 'active';
}

/** Counting again: the business minutes of the pause are added, so the due time moves by them. */
export function resumeClock(cal: CompiledCalendar, c: Clock, at: Date): Clock {
  if (isFinished(c) || !c.pausedAt) return c;
  const end = at.getTime() < c.pausedAt.getTime() ? c.pausedAt : at;
  // Whole minutes, as stored: the due time computed here is the one a later reader recomputes.
  const pausedMinutes = c.pausedMinutes + Math.round(businessMinutesBetween(cal, c.pausedAt, end));
  const next = { ...c, pausedMinutes, pausedAt: null };
  return { ...next, ...pick(clockTimes(cal, next)), status: runningStatus(next) };
}

const pick = (t: ReturnType<typeof clockTimes>) => ({ dueAt: t.dueAt, warnAt: t.warnAt });

/**
 * Counted against another target (priority, tier or policy changed): same start, same pauses,
 * new target and calendar. A breach or warning that already happened stays on record: its
 * firing is keyed, and a clock does not become "not breached" by lowering the priority.
 */
export function retargetClock(cal: CompiledCalendar, c: Clock, target: ClockTarget): Clock {
  if (isFinished(c)) return c;
  const next = { ...c, ...target };
  return { ...next, ...pick(clockTimes(cal, next)) };
}

/** A new cycle of the update clock (a public reply to the customer): counted afresh from `at`. */
export function restartClock(cal: CompiledCalendar, c: Clock, at: Date, paused: boolean): Clock {
  if (c.status === 'cancelled') return c;
  const next = {
    ...c, startedAt: at, pausedMinutes: 0, pausedAt: paused ? at : null, metAt: null, warnedAt: null,
    breachedAt: null, escalationLevel: 0, cycle: c.cycle + 1,
  };
  return { ...next, ...pick(clockTimes(cal, next)), status: paused ? 'paused' : 'active' };
}

export function meetClock(c: Clock, at: Date): Clock {
  if (isFinished(c)) return c;
  return { ...c, status: 'met', metAt: at, pausedAt: null };
}

export function cancelClock(c: Clock): Clock {
  if (isFinished(c)) return c;
  return { ...c, status: 'cancelled', pausedAt: null };
}

export type TimerKind = 'sla.warn' | 'sla.breach' | 'sla.level2';
export const CLOCK_TIMER_KINDS: readonly TimerKind[] = ['sla.warn', 'sla.breach', 'sla.level2'];

/** The timers a clock needs now; every other clock timer kind of it is to be cancelled. */
export function clockTimers(cal: CompiledCalendar, c: Clock): Array<{ kind: TimerKind; dueAt: Date }> {
  if (isFinished(c) || c.pausedAt) return [];
  const out: Array<{ kind: TimerKind; dueAt: Date }> = [];
  if (!c.warnedAt && !c.breachedAt) out.push({ kind: 'sla.warn', dueAt: c.warnAt });
  if (!c.breachedAt) out.push({ kind: 'sla.breach', dueAt: c.dueAt });
  else if (c.escalationLevel < 2) out.push({ kind: 'sla.level2', dueAt: clockTimes(cal, c).level2At });
  return out;
}

/**
 * What the ticket row carries for lists: the nearest due time among running clocks (breached
 * ones included: their due time is past, which is what "overdue" reads) and the worst state.
 * Only paused clocks left = `paused` with no due time; none at all = null.
 */
export function ticketSlaSummary(clocks: readonly Clock[]): { dueAt: Date | null; state: SlaState | null } {
  const running = clocks.filter((c) => !isFinished(c) && !c.pausedAt);
  if (!running.length) {
    return { dueAt: null, state: clocks.some((c) => c.pausedAt && !isFinished(c)) ? 'paused' : null };
  }
  const dueAt = new Date(Math.min(...running.map((c) => c.dueAt.getTime())));
  const state: SlaState = running.some((c) => c.breachedAt) ? 'breached'
    : running.some((c) => c.warnedAt) ? 'warned' : 'active';
  return { dueAt, state };
}

/** Equal for storage purposes (so an unchanged clock is not rewritten or re-audited). */
export function sameClock(a: Clock, b: Clock): boolean {
  const keys = Object.keys(a) as (keyof Clock)[];
  return keys.every((k) => {
    const x = a[k];
    const y = b[k];
    if (x instanceof Date || y instanceof Date) return (x as Date | null)?.getTime() === (y as Date | null)?.getTime();
    return x === y;
  });
}
