/**
 * Business calendars (工作日历): working periods per weekday, dated exceptions (public holidays,
 * China's make-up working days 调休) and a time zone. SLA targets are counted in the working time
 * of a calendar; the server's `calendars/business-time.ts` does that maths.
 */
import { z } from 'zod';
import { zId, zInstant, zText } from './common.js';

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Minutes since local midnight of an 'HH:MM' (24:00 = end of the day). */
export function minutesOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** A valid IANA zone name as the runtime's Intl knows it (works the same in Node and browsers). */
export function isTimeZone(name: string): boolean {
  // Names only: Intl would also take offsets like '+08:00', which do not follow a zone's rules.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone.length > 0;
  } catch {
    return false;
  }
}

/** 'YYYY-MM-DD' that is a real calendar date (no 2026-02-30). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** One working period of a local day, start inclusive, end exclusive; end may be 24:00. */
export const zWorkPeriod = z.object({
  start: z.string().regex(HHMM, 'expected HH:MM'),
  end: z.string().regex(HHMM, 'expected HH:MM (24:00 for the end of the day)'),
});
export type WorkPeriod = z.infer<typeof zWorkPeriod>;

/** Sorted, non-overlapping periods of one day; touching periods are allowed (they count as one). */
const zDayPeriods = z.array(zWorkPeriod).max(12).superRefine((periods, ctx) => {
  let previousEnd = -1;
  periods.forEach((p, i) => {
    if (!HHMM.test(p.start) || !HHMM.test(p.end)) return;
    const start = minutesOfDay(p.start);
    const end = minutesOfDay(p.end);
    if (p.start === '24:00') {
      ctx.addIssue({ code: 'custom', path: [i, 'start'], message: 'a period cannot start at 24:00' });
    } else if (end <= start) {
      ctx.addIssue({ code: 'custom', path: [i, 'end'], message: 'must be later than start' });
    } else if (start < previousEnd) {
      ctx.addIssue({ code: 'custom', path: [i, 'start'], message: 'overlaps the previous period or is out of order' });
    }
    previousEnd = Math.max(previousEnd, end);
  });
});

export const DAY_EXCEPTION_KINDS = ['holiday', 'workday'] as const;
/** Where a dated exception came from: `official` ones are rewritten by the official fill. */
export const DAY_EXCEPTION_SOURCES = ['official', 'manual'] as const;

export const zDayException = z.object({
  date: z.string().refine(isCalendarDate, 'expected a real date YYYY-MM-DD'),
  /** holiday: no working time that day; workday: a working day (调休) even on a weekend. */
  kind: z.enum(DAY_EXCEPTION_KINDS),
  name: z.string().trim().max(40).default(''),
  /** Only for a workday: its own periods; without them the normal Monday–Friday periods apply. */
  periods: zDayPeriods.optional(),
  source: z.enum(DAY_EXCEPTION_SOURCES).default('manual'),
}).superRefine((d, ctx) => {
  if (d.kind === 'holiday' && d.periods !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['periods'], message: 'a holiday has no working periods' });
  }
});
export type DayException = z.infer<typeof zDayException>;

export const zCalendarDefinition = z.object({
  timezone: z.string().refine(isTimeZone, 'unknown IANA time zone').default('Asia/Shanghai'),
  /** Open around the clock (7×24 hotline): week and days are ignored. */
  alwaysOpen: z.boolean().default(false),
  /** Monday … Sunday, each the day's working periods (empty = a day off). */
  week: z.array(zDayPeriods).length(7, 'expected 7 days, Monday to Sunday'),
  days: z.array(zDayException).max(2000).default([]),
}).superRefine((def, ctx) => {
  const seen = new Set<string>();
  def.days.forEach((d, i) => {
    if (seen.has(d.date)) ctx.addIssue({ code: 'custom', path: ['days', i, 'date'], message: `${d.date} is listed twice` });
    seen.add(d.date);
  });
});
export type CalendarDefinition = z.output<typeof zCalendarDefinition>;
export type CalendarDefinitionInput = z.input<typeof zCalendarDefinition>;

export const zCalendarCode = z.string().trim().regex(/^[a-z0-9_-]{2,32}$/, '2–32 lower-case letters, digits, _ -');

export const zCalendar = z.object({
  id: zId,
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  definition: zCalendarDefinition,
  isDefault: z.boolean(),
  version: z.number().int(),
  createdAt: zInstant,
  updatedAt: zInstant,
});
export type Calendar = z.infer<typeof zCalendar>;

/** Which years the maintained official holiday data knows (the State Council publishes each late in the year before). */
export const zOfficialYear = z.object({ year: z.number().int(), available: z.boolean() });
export type OfficialYear = z.infer<typeof zOfficialYear>;

export const zCalendarList = z.object({
  items: z.array(zCalendar),
  /** The current and the next year (Asia/Shanghai), and whether their official schedule is known. */
  officialYears: z.array(zOfficialYear),
});

export const zCalendarCreate = z.object({
  code: zCalendarCode,
  name: zText(64),
  nameEn: z.string().trim().max(64).optional(),
  definition: zCalendarDefinition,
  /** true: this becomes the default calendar (the previous default stops being it). */
  isDefault: z.boolean().default(false),
});
export type CalendarCreate = z.output<typeof zCalendarCreate>;

/** Written out rather than `.partial()`: zod 4 would fill the create defaults into a patch. */
export const zCalendarUpdate = z.object({
  name: zText(64).optional(),
  nameEn: z.string().trim().max(64).optional(),
  definition: zCalendarDefinition.optional(),
  /** Only `true`: there is always exactly one default, so it is moved, never removed. */
  isDefault: z.literal(true).optional(),
  /** The version the editor started from; a different current version answers 409. */
  version: z.number().int().optional(),
});
export type CalendarUpdate = z.output<typeof zCalendarUpdate>;

export const zOfficialHolidaysFill = z.object({
  year: z.number().int().min(2004).max(2100),
});

export const zOfficialHolidaysResult = z.object({
  calendar: zCalendar,
  year: z.number().int(),
  /** false: the data package has no official schedule for the year yet; nothing was changed. */
  available: z.boolean(),
  /** false: the calendar already had this schedule (or the year is not available); nothing was written. */
  changed: z.boolean(),
  holidays: z.number().int(),
  workdays: z.number().int(),
  /** Hand-made entries of the year that the official schedule overrode (their dates). */
  replaced: z.array(z.string()),
});
export type OfficialHolidaysResult = z.infer<typeof zOfficialHolidaysResult>;
