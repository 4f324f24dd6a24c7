/**
 * The one business-time module: every SLA computation converts between instants and business
 * minutes of a calendar here, so due times, elapsed times and pauses agree everywhere.
 *
 * Semantics
 * - Working time is the set of instants whose local wall-clock time (in the calendar's zone) lies
 *   in a working period of that local day: start inclusive, end exclusive.
 * - A day's periods: a dated exception wins (holiday: none; workday 调休: its own periods, else
 *   the normal Monday–Friday periods), otherwise the weekday's periods.
 * - `addBusinessMinutes(from, n)` is the earliest instant t with exactly n business minutes in
 *   [from, t). For n > 0 it never lies in a non-working gap: the millisecond before it is working
 *   time (the end of a working period is a valid due time). n = 0 gives `from` itself.
 * - `businessMinutesBetween(from, to)` is antisymmetric: negative when to < from, 0 when equal.
 * - Minutes may be fractional; the maths is in whole milliseconds (n is rounded to the ms).
 * - Daylight-saving time: a period start or end that falls in a skipped hour moves to the end of
 *   the gap; in a repeated hour the first occurrence counts.
 *
 * Speed: each local day is compiled once into UTC millisecond intervals (cached per compiled
 * calendar), and the walks step whole days, never minutes. Intl is only called when a new day is
 * compiled.
 */
import {
  minutesOfDay, type CalendarDefinition, type CalendarDefinitionInput, type WorkPeriod, zCalendarDefinition,
} from '@closeloop/contract';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Compiled days kept per calendar before the cache starts over (about 55 years of days). */
const MAX_CACHED_DAYS = 20_000;

/** A local day compiled to instants: [startUtc, endUtc) is the whole day, `spans` its working periods. */
interface CompiledDay {
  readonly day: number;
  readonly startUtc: number;
  readonly endUtc: number;
  /** Flat [start0, end0, start1, end1, …] in UTC ms, sorted, non-empty spans. */
  readonly spans: readonly number[];
  readonly total: number;
}

export interface CompiledCalendar {
  readonly timezone: string;
  readonly alwaysOpen: boolean;
  /** @internal minutes-of-day pairs per weekday, Monday = 0. */
  readonly week: readonly (readonly number[])[];
  /** @internal minutes-of-day pairs per local day number (days since 1970-01-01). */
  readonly exceptions: ReadonlyMap<number, readonly number[]>;
  /** @internal the last day with working time from an exception, when the week has none. */
  readonly lastWorkingException: number;
  readonly hasWeeklyTime: boolean;
  /** @internal */
  readonly days: Map<number, CompiledDay>;
  /** @internal offset (ms) last seen, to guess the local day of an instant without Intl. */
  lastOffset: number;
  readonly formatter: Intl.DateTimeFormat;
}

export class NoWorkingTimeError extends Error {
  constructor(timezone: string) {
    super(`calendar (${timezone}) has no working time from this point on: no weekly periods and no later working day`);
    this.name = 'NoWorkingTimeError';
  }
}

/** Merged minute pairs of a day's periods (touching periods become one). */
function minutePairs(periods: readonly WorkPeriod[]): number[] {
  const out: number[] = [];
  for (const p of [...periods].sort((a, b) => minutesOfDay(a.start) - minutesOfDay(b.start))) {
    const s = minutesOfDay(p.start);
    const e = minutesOfDay(p.end);
    if (e <= s) continue;
    const last = out.length - 1;
    if (last > 0 && s <= out[last]!) out[last] = Math.max(out[last]!, e);
    else out.push(s, e);
  }
  return out;
}

export function dayNumberOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY;
}

/** Monday = 0 … Sunday = 6; day 0 (1970-01-01) was a Thursday. */
const weekdayOf = (day: number) => (((day + 3) % 7) + 7) % 7;

/**
 * Compiles a definition (already parsed, or raw input that is parsed here) for fast maths.
 * Invalid definitions throw the contract's validation error.
 */
export function compileCalendar(def: CalendarDefinition | CalendarDefinitionInput): CompiledCalendar {
  const parsed = zCalendarDefinition.parse(def);
  const week = parsed.week.map(minutePairs);
  // The normal working day a 调休 Saturday borrows: the first of Monday–Friday that has periods.
  const normalDay = week.slice(0, 5).find((p) => p.length > 0) ?? [];
  const exceptions = new Map<number, number[]>();
  let lastWorkingException = -Infinity;
  for (const d of parsed.days) {
    const day = dayNumberOf(d.date);
    const pairs = d.kind === 'holiday' ? [] : d.periods ? minutePairs(d.periods) : normalDay;
    exceptions.set(day, pairs);
    if (pairs.length > 0) lastWorkingException = Math.max(lastWorkingException, day);
  }
  return {
    timezone: parsed.timezone,
    alwaysOpen: parsed.alwaysOpen,
    week,
    exceptions,
    lastWorkingException,
    hasWeeklyTime: week.some((p) => p.length > 0),
    days: new Map(),
    lastOffset: 0,
    formatter: new Intl.DateTimeFormat('en-US', {
      timeZone: parsed.timezone,
      hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    }),
  };
}

/** Local time minus UTC at instant t, in ms. */
function offsetAt(cal: CompiledCalendar, t: number): number {
  const f: Record<string, number> = {};
  for (const part of cal.formatter.formatToParts(new Date(t))) {
    if (part.type !== 'literal') f[part.type] = Number(part.value);
  }
  const wall = Date.UTC(f.year!, f.month! - 1, f.day!, f.hour! % 24, f.minute!, f.second!);
  return wall - (t - (((t % 1000) + 1000) % 1000));
}

/** The earliest instant whose local wall time is >= `wall` (wall time written as if it were UTC ms). */
function instantOfWall(cal: CompiledCalendar, wall: number): number {
  const before = offsetAt(cal, wall - DAY / 2);
  const after = offsetAt(cal, wall + DAY / 2);
  if (before === after) return wall - before;
  const candidates = [wall - before, wall - after].filter((t) => offsetAt(cal, t) + t === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // In a skipped hour: the wall time never happens, so the first instant after the gap.
  let lo = Math.min(wall - before, wall - after);
  let hi = Math.max(wall - before, wall - after);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2 / 1000) * 1000;
    if (offsetAt(cal, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

function compiledDay(cal: CompiledCalendar, day: number): CompiledDay {
  const cached = cal.days.get(day);
  if (cached) return cached;
  const pairs = cal.exceptions.get(day) ?? cal.week[weekdayOf(day)]!;
  const midnight = day * DAY;
  const startUtc = instantOfWall(cal, midnight);
  const endUtc = instantOfWall(cal, midnight + DAY);
  const spans: number[] = [];
  let total = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    const s = instantOfWall(cal, midnight + pairs[i]! * MINUTE);
    const e = instantOfWall(cal, midnight + pairs[i + 1]! * MINUTE);
    if (e <= s) continue; // wholly inside a skipped hour
    spans.push(s, e);
    total += e - s;
  }
  if (cal.days.size >= MAX_CACHED_DAYS) cal.days.clear();
  const compiled = { day, startUtc, endUtc, spans, total };
  cal.days.set(day, compiled);
  cal.lastOffset = midnight - startUtc;
  return compiled;
}

/** The local day containing instant t. */
function dayOf(cal: CompiledCalendar, t: number): CompiledDay {
  let d = compiledDay(cal, Math.floor((t + cal.lastOffset) / DAY));
  while (t < d.startUtc) d = compiledDay(cal, d.day - 1);
  while (t >= d.endUtc) d = compiledDay(cal, d.day + 1);
  return d;
}

/** Throws when walking on from `day` can never find working time again. */
function checkReachable(cal: CompiledCalendar, day: number): void {
  if (!cal.hasWeeklyTime && day > cal.lastWorkingException) throw new NoWorkingTimeError(cal.timezone);
}

function timeOf(d: Date, what: string): number {
  const t = d.getTime();
  if (!Number.isFinite(t)) throw new RangeError(`${what} is not a valid date`);
  return t;
}

function toMs(minutes: number, what: string): number {
  if (!Number.isFinite(minutes)) throw new RangeError(`${what} must be a finite number of minutes`);
  return Math.round(minutes * MINUTE);
}

/**
 * The due time of a target of `minutes` business minutes counted from `from` (see the module
 * comment). Negative targets are refused: count from an earlier start instead.
 */
export function addBusinessMinutes(cal: CompiledCalendar, from: Date, minutes: number): Date {
  let remaining = toMs(minutes, 'minutes');
  if (remaining < 0) throw new RangeError('minutes must not be negative');
  const t0 = timeOf(from, 'from');
  if (remaining === 0) return new Date(t0);
  if (cal.alwaysOpen) return new Date(t0 + remaining);
  let d = dayOf(cal, t0);
  for (;;) {
    const spans = d.spans;
    if (spans.length > 0 && t0 <= spans[0]!) {
      // The whole day counts: skip it at once when the target lies beyond it.
      if (remaining > d.total) remaining -= d.total;
      else return new Date(walkDay(spans, t0, remaining));
    } else {
      for (let i = 0; i < spans.length; i += 2) {
        const e = spans[i + 1]!;
        if (e <= t0) continue;
        const s = Math.max(spans[i]!, t0);
        if (remaining <= e - s) return new Date(s + remaining);
        remaining -= e - s;
      }
    }
    checkReachable(cal, d.day + 1);
    d = compiledDay(cal, d.day + 1);
  }
}

function walkDay(spans: readonly number[], t0: number, remaining: number): number {
  for (let i = 0; i < spans.length; i += 2) {
    const s = Math.max(spans[i]!, t0);
    const len = spans[i + 1]! - s;
    if (remaining <= len) return s + remaining;
    remaining -= len;
  }
  throw new Error('unreachable: remaining exceeds the day total');
}

/** Working ms of day d inside [a, b). */
function workingMsIn(d: CompiledDay, a: number, b: number): number {
  if (a <= d.startUtc && b >= d.endUtc) return d.total;
  let sum = 0;
  const spans = d.spans;
  for (let i = 0; i < spans.length; i += 2) {
    const s = Math.max(spans[i]!, a);
    const e = Math.min(spans[i + 1]!, b);
    if (e > s) sum += e - s;
  }
  return sum;
}

/**
 * Business minutes in [from, to): what a clock running from `from` has used at `to` (a pause is
 * the business minutes between its start and end). Antisymmetric: negative when to < from.
 */
export function businessMinutesBetween(cal: CompiledCalendar, from: Date, to: Date): number {
  const a = timeOf(from, 'from');
  const b = timeOf(to, 'to');
  if (b < a) return 0 - businessMinutesBetween(cal, to, from) || 0;
  if (b === a) return 0;
  if (cal.alwaysOpen) return (b - a) / MINUTE;
  let d = dayOf(cal, a);
  let sum = 0;
  for (;;) {
    sum += workingMsIn(d, a, b);
    if (b <= d.endUtc) break;
    d = compiledDay(cal, d.day + 1);
  }
  return sum / MINUTE;
}

/** `at` when it is working time, else the start of the next working period. */
export function nextWorkingInstant(cal: CompiledCalendar, at: Date): Date {
  const t = timeOf(at, 'at');
  if (cal.alwaysOpen) return new Date(t);
  let d = dayOf(cal, t);
  for (;;) {
    const spans = d.spans;
    for (let i = 0; i < spans.length; i += 2) {
      if (spans[i + 1]! <= t) continue;
      return new Date(Math.max(spans[i]!, t));
    }
    checkReachable(cal, d.day + 1);
    d = compiledDay(cal, d.day + 1);
  }
}

export function isWorkingInstant(cal: CompiledCalendar, at: Date): boolean {
  const t = timeOf(at, 'at');
  if (cal.alwaysOpen) return true;
  const spans = dayOf(cal, t).spans;
  for (let i = 0; i < spans.length; i += 2) {
    if (t >= spans[i]! && t < spans[i + 1]!) return true;
  }
  return false;
}

/** Working minutes of one local date ('YYYY-MM-DD'): for the month view and for tests. */
export function workingMinutesOfDate(cal: CompiledCalendar, date: string): number {
  if (cal.alwaysOpen) return 24 * 60;
  return compiledDay(cal, dayNumberOf(date)).total / MINUTE;
}
