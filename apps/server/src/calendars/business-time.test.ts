import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CalendarDefinitionInput } from '@closeloop/contract';
import {
  addBusinessMinutes, businessMinutesBetween, compileCalendar, isWorkingInstant, nextWorkingInstant,
  NoWorkingTimeError, workingMinutesOfDate,
} from './business-time.js';

const office = [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '18:00' }];
const weekdays = (periods: { start: string; end: string }[]) => [periods, periods, periods, periods, periods, [], []];

/** 2026 as the State Council published it, the part these tests touch. */
const standardDef: CalendarDefinitionInput = {
  timezone: 'Asia/Shanghai',
  week: weekdays(office),
  days: [
    { date: '2026-09-20', kind: 'workday', name: '国庆节调休' },
    { date: '2026-09-25', kind: 'holiday', name: '中秋节' },
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}`, kind: 'holiday' as const, name: '国庆节' })),
    { date: '2026-10-10', kind: 'workday', name: '国庆节调休' },
  ],
};
const standard = compileCalendar(standardDef);
const hotline = compileCalendar({ alwaysOpen: true, week: [[], [], [], [], [], [], []] });

const at = (s: string) => new Date(s);
const add = (from: string, minutes: number, cal = standard) => addBusinessMinutes(cal, at(from), minutes).toISOString();
const iso = (s: string) => at(s).toISOString();

describe('addBusinessMinutes on the standard calendar (Mon–Fri 09:00–12:00, 13:30–18:00, Asia/Shanghai)', () => {
  it('crosses the lunch break', () => {
    expect(add('2026-12-02T11:00:00+08:00', 120)).toBe(iso('2026-12-02T14:30:00+08:00'));
  });

  it('crosses a weekend', () => {
    expect(add('2026-12-04T17:00:00+08:00', 120)).toBe(iso('2026-12-07T10:00:00+08:00'));
  });

  it('skips 国庆 (2026-10-01..07) and may end exactly at the end of a period', () => {
    // 60 minutes on 30 September, then 180 on 8 October: 09:00–12:00.
    expect(add('2026-09-30T17:00:00+08:00', 240)).toBe(iso('2026-10-08T12:00:00+08:00'));
  });

  it('works on a 调休 make-up Saturday with the normal periods', () => {
    expect(add('2026-10-09T17:00:00+08:00', 120)).toBe(iso('2026-10-10T10:00:00+08:00'));
    expect(add('2026-10-10T11:30:00+08:00', 60)).toBe(iso('2026-10-10T14:00:00+08:00'));
    // and on the make-up Sunday before 国庆
    expect(add('2026-09-19T10:00:00+08:00', 30)).toBe(iso('2026-09-20T09:30:00+08:00'));
  });

  it('skips a holiday that falls on a Friday (中秋 2026-09-25)', () => {
    expect(add('2026-09-24T17:30:00+08:00', 60)).toBe(iso('2026-09-28T09:30:00+08:00'));
  });

  it('starts counting at the next working period for a ticket created outside working hours', () => {
    expect(add('2026-12-02T20:15:00+08:00', 60)).toBe(iso('2026-12-03T10:00:00+08:00'));
    expect(add('2026-12-02T12:30:00+08:00', 30)).toBe(iso('2026-12-02T14:00:00+08:00'));
    expect(add('2026-12-06T03:00:00+08:00', 1)).toBe(iso('2026-12-07T09:01:00+08:00'));
    expect(add('2026-12-02T06:00:00+08:00', 450)).toBe(iso('2026-12-02T18:00:00+08:00'));
  });

  it('counts five working days without stepping minutes', () => {
    expect(add('2026-12-07T09:00:00+08:00', 5 * 450)).toBe(iso('2026-12-11T18:00:00+08:00'));
    expect(add('2026-12-07T10:00:00+08:00', 5 * 450)).toBe(iso('2026-12-14T10:00:00+08:00'));
  });

  it('keeps fractional minutes to the millisecond', () => {
    expect(add('2026-12-02T11:59:00+08:00', 1.5)).toBe(iso('2026-12-02T13:30:30+08:00'));
    expect(add('2026-12-02T09:00:00+08:00', 0.001)).toBe('2026-12-02T01:00:00.060Z');
  });

  it('returns from itself for 0 and refuses negative or non-finite targets', () => {
    expect(add('2026-12-05T03:00:00+08:00', 0)).toBe(iso('2026-12-05T03:00:00+08:00'));
    expect(() => add('2026-12-02T09:00:00+08:00', -1)).toThrow(RangeError);
    expect(() => add('2026-12-02T09:00:00+08:00', Number.NaN)).toThrow(RangeError);
    expect(() => addBusinessMinutes(standard, new Date('not a date'), 60)).toThrow(/from is not a valid date/);
    expect(() => businessMinutesBetween(standard, new Date(), new Date(Number.NaN))).toThrow(/to is not a valid date/);
    expect(() => isWorkingInstant(hotline, new Date(Number.NaN))).toThrow(RangeError);
  });

  it('uses the periods a 调休 day names instead of the normal ones', () => {
    const cal = compileCalendar({
      ...standardDef,
      days: [{ date: '2026-12-05', kind: 'workday', name: '加班', periods: [{ start: '10:00', end: '11:00' }] }],
    });
    expect(add('2026-12-04T17:30:00+08:00', 60, cal)).toBe(iso('2026-12-05T10:30:00+08:00'));
    expect(workingMinutesOfDate(cal, '2026-12-05')).toBe(60);
  });
});

describe('businessMinutesBetween', () => {
  it('measures a pause that spans a night and the 国庆 holiday', () => {
    // 16:00–18:00 on 30 September, nothing 1–7 October, 09:00–10:00 on 8 October.
    expect(businessMinutesBetween(standard, at('2026-09-30T16:00:00+08:00'), at('2026-10-08T10:00:00+08:00'))).toBe(180);
  });

  it('measures a pause across one night', () => {
    expect(businessMinutesBetween(standard, at('2026-12-02T17:00:00+08:00'), at('2026-12-03T09:45:00+08:00'))).toBe(105);
  });

  it('is zero inside non-working time and antisymmetric', () => {
    expect(businessMinutesBetween(standard, at('2026-12-02T12:05:00+08:00'), at('2026-12-02T13:25:00+08:00'))).toBe(0);
    expect(businessMinutesBetween(standard, at('2026-12-03T10:00:00+08:00'), at('2026-12-02T17:00:00+08:00'))).toBe(-120);
    expect(businessMinutesBetween(standard, at('2026-12-03T10:00:00+08:00'), at('2026-12-03T10:00:00+08:00'))).toBe(0);
  });

  it('counts a whole year: 2026 weekdays minus the holidays listed, plus the make-up days', () => {
    // 261 weekdays in 2026; the test calendar lists 6 weekday holidays (25 Sep, 1–2 and 5–7 Oct) and 2 make-up days.
    expect(businessMinutesBetween(standard, at('2026-01-01T00:00:00+08:00'), at('2027-01-01T00:00:00+08:00')))
      .toBe((261 - 6 + 2) * 450);
  });
});

describe('the 7×24 hotline calendar', () => {
  it('is always open', () => {
    expect(add('2026-10-01T23:30:00+08:00', 90, hotline)).toBe(iso('2026-10-02T01:00:00+08:00'));
    expect(businessMinutesBetween(hotline, at('2026-09-30T16:00:00+08:00'), at('2026-10-08T10:00:00+08:00'))).toBe(11_160);
    expect(isWorkingInstant(hotline, at('2026-10-01T03:00:00+08:00'))).toBe(true);
    expect(nextWorkingInstant(hotline, at('2026-10-01T03:00:00+08:00')).toISOString()).toBe(iso('2026-10-01T03:00:00+08:00'));
  });
});

describe('nextWorkingInstant and isWorkingInstant', () => {
  it('treats a period start as working and its end as not', () => {
    expect(isWorkingInstant(standard, at('2026-12-02T09:00:00+08:00'))).toBe(true);
    expect(isWorkingInstant(standard, at('2026-12-02T11:59:59.999+08:00'))).toBe(true);
    expect(isWorkingInstant(standard, at('2026-12-02T12:00:00+08:00'))).toBe(false);
    expect(isWorkingInstant(standard, at('2026-10-10T09:30:00+08:00'))).toBe(true);
    expect(isWorkingInstant(standard, at('2026-10-05T10:00:00+08:00'))).toBe(false);
  });

  it('returns the instant itself inside a period, else the next start', () => {
    expect(nextWorkingInstant(standard, at('2026-12-02T10:17:00+08:00')).toISOString()).toBe(iso('2026-12-02T10:17:00+08:00'));
    expect(nextWorkingInstant(standard, at('2026-12-02T12:00:00+08:00')).toISOString()).toBe(iso('2026-12-02T13:30:00+08:00'));
    expect(nextWorkingInstant(standard, at('2026-09-30T18:00:00+08:00')).toISOString()).toBe(iso('2026-10-08T09:00:00+08:00'));
  });
});

describe('time zones and daylight-saving time', () => {
  const berlin = compileCalendar({ timezone: 'Europe/Berlin', week: weekdays([{ start: '09:00', end: '17:00' }]) });

  it('crosses the autumn change in Berlin (25 October 2026) with local working hours', () => {
    // Friday 16:00 CEST = 14:00Z; Monday 09:00 CET = 08:00Z.
    expect(add('2026-10-23T14:00:00Z', 120, berlin)).toBe('2026-10-26T09:00:00.000Z');
    expect(nextWorkingInstant(berlin, at('2026-10-24T12:00:00Z')).toISOString()).toBe('2026-10-26T08:00:00.000Z');
    expect(nextWorkingInstant(berlin, at('2026-10-22T17:30:00Z')).toISOString()).toBe('2026-10-23T07:00:00.000Z');
  });

  it('loses the skipped hour of the spring change in New York (8 March 2026)', () => {
    const night = [{ start: '01:00', end: '05:00' }];
    const ny = compileCalendar({ timezone: 'America/New_York', week: [night, night, night, night, night, night, night] });
    expect(workingMinutesOfDate(ny, '2026-03-07')).toBe(240);
    expect(workingMinutesOfDate(ny, '2026-03-08')).toBe(180);
    expect(workingMinutesOfDate(ny, '2026-11-01')).toBe(300); // the repeated hour 01:00–02:00 works twice
    // 01:00 EST = 06:00Z; 02:00 EST jumps to 03:00 EDT = 07:00Z; 60 + 60 minutes → 04:00 EDT = 08:00Z.
    expect(add('2026-03-08T06:00:00Z', 120, ny)).toBe('2026-03-08T08:00:00.000Z');
  });

  it('moves a period that starts in the skipped hour to the end of the gap', () => {
    const p = [{ start: '02:30', end: '04:00' }];
    const ny = compileCalendar({ timezone: 'America/New_York', week: [p, p, p, p, p, p, p] });
    expect(nextWorkingInstant(ny, at('2026-03-08T05:00:00Z')).toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(workingMinutesOfDate(ny, '2026-03-08')).toBe(60);
  });
});

describe('a calendar without working time', () => {
  const empty = compileCalendar({ week: [[], [], [], [], [], [], []] });

  it('throws a clear error instead of searching forever', () => {
    expect(() => addBusinessMinutes(empty, at('2026-12-02T09:00:00+08:00'), 60)).toThrow(NoWorkingTimeError);
    expect(() => nextWorkingInstant(empty, at('2026-12-02T09:00:00+08:00'))).toThrow(/no working time/);
    expect(businessMinutesBetween(empty, at('2026-12-01T00:00:00Z'), at('2026-12-31T00:00:00Z'))).toBe(0);
  });

  it('finds the working days it does have, then gives up after the last one', () => {
    const onlyExceptions = compileCalendar({
      week: [[], [], [], [], [], [], []],
      days: [{ date: '2027-03-01', kind: 'workday', name: '' }],
    });
    // No Monday–Friday periods to borrow and none given: that day has none either.
    expect(() => addBusinessMinutes(onlyExceptions, at('2026-12-02T09:00:00+08:00'), 1)).toThrow(NoWorkingTimeError);
    const withPeriods = compileCalendar({
      week: [[], [], [], [], [], [], []],
      days: [{ date: '2027-03-01', kind: 'workday', name: '', periods: [{ start: '10:00', end: '11:00' }] }],
    });
    expect(add('2026-12-02T09:00:00+08:00', 30, withPeriods)).toBe(iso('2027-03-01T10:30:00+08:00'));
    expect(() => add('2027-03-01T10:30:00+08:00', 31, withPeriods)).toThrow(NoWorkingTimeError);
  });
});

describe('compileCalendar', () => {
  it('refuses an invalid definition', () => {
    expect(() => compileCalendar({ timezone: 'Mars/Olympus', week: weekdays(office) })).toThrow(/time zone/);
    expect(() => compileCalendar({ timezone: '+08:00', week: weekdays(office) })).toThrow(/time zone/);
    expect(() => compileCalendar({ week: weekdays([{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }]) }))
      .toThrow(/overlaps/);
  });

  it('merges touching periods', () => {
    const cal = compileCalendar({ week: weekdays([{ start: '09:00', end: '12:00' }, { start: '12:00', end: '13:00' }]) });
    expect(workingMinutesOfDate(cal, '2026-12-02')).toBe(240);
    expect(isWorkingInstant(cal, at('2026-12-02T12:00:00+08:00'))).toBe(true);
  });
});

describe('properties', () => {
  const berlin = compileCalendar({
    timezone: 'Europe/Berlin',
    week: [office, office, office, office, [{ start: '08:00', end: '14:00' }], [], [{ start: '02:00', end: '03:30' }]],
    days: [{ date: '2026-12-24', kind: 'holiday', name: 'Heiligabend' }],
  });
  const nyDay = [{ start: '01:30', end: '02:30' }, { start: '09:00', end: '17:00' }];
  const newYork = compileCalendar({ timezone: 'America/New_York', week: [nyDay, nyDay, nyDay, nyDay, nyDay, nyDay, nyDay] });
  const allDay = [{ start: '00:00', end: '24:00' }];
  const calendars = [
    { name: 'standard (Shanghai, holidays, 调休)', cal: standard },
    { name: 'Berlin with a night period across DST changes', cal: berlin },
    { name: 'New York with a period in the skipped and the repeated hour', cal: newYork },
    { name: 'every day 00:00–24:00 in Berlin', cal: compileCalendar({ timezone: 'Europe/Berlin', week: [allDay, allDay, allDay, allDay, allDay, allDay, allDay] }) },
    { name: '7×24', cal: hotline },
  ];
  const instant = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }).map((t) => new Date(t));
  // Whole milliseconds expressed in minutes, up to about 40 working days.
  const target = fc.integer({ min: 1, max: 40 * 450 * 60_000 }).map((ms) => ms / 60_000);

  describe.each(calendars)('$name', ({ cal }) => {
    it('measuring back the due time of N minutes gives N', () => {
      fc.assert(fc.property(instant, target, (from, n) => {
        expect(businessMinutesBetween(cal, from, addBusinessMinutes(cal, from, n))).toBe(n);
      }), { numRuns: 500 });
    });

    it('a due time is never inside a non-working period and is the earliest such instant', () => {
      fc.assert(fc.property(instant, target, (from, n) => {
        const due = addBusinessMinutes(cal, from, n);
        const justBefore = new Date(due.getTime() - 1);
        expect(isWorkingInstant(cal, justBefore)).toBe(true);
        expect(businessMinutesBetween(cal, from, justBefore)).toBeLessThan(n);
      }), { numRuns: 500 });
    });

    it('is monotonic in the target and in the start', () => {
      fc.assert(fc.property(instant, instant, target, target, (a, b, n, m) => {
        const [from1, from2] = a <= b ? [a, b] : [b, a];
        const [n1, n2] = n <= m ? [n, m] : [m, n];
        expect(addBusinessMinutes(cal, from1, n1).getTime()).toBeLessThanOrEqual(addBusinessMinutes(cal, from1, n2).getTime());
        expect(addBusinessMinutes(cal, from1, n1).getTime()).toBeLessThanOrEqual(addBusinessMinutes(cal, from2, n1).getTime());
      }), { numRuns: 300 });
    });

    it('splits additively: between(a, b) + between(b, c) = between(a, c)', () => {
      fc.assert(fc.property(instant, instant, instant, (a, b, c) => {
        const ms = (x: Date, y: Date) => Math.round(businessMinutesBetween(cal, x, y) * 60_000);
        expect(ms(a, b) + ms(b, c)).toBe(ms(a, c));
      }), { numRuns: 300 });
    });

    it('nextWorkingInstant is working time and no business time passes before it', () => {
      fc.assert(fc.property(instant, (t) => {
        const next = nextWorkingInstant(cal, t);
        expect(isWorkingInstant(cal, next)).toBe(true);
        expect(next.getTime()).toBeGreaterThanOrEqual(t.getTime());
        expect(businessMinutesBetween(cal, t, next)).toBe(0);
      }), { numRuns: 500 });
    });
  });
});

describe('speed', () => {
  it('computes 100,000 due times of five working days quickly', () => {
    const cal = compileCalendar(standardDef);
    const start = Date.parse('2026-01-01T00:00:00Z');
    const t0 = performance.now();
    let last = 0;
    for (let i = 0; i < 100_000; i++) {
      last = addBusinessMinutes(cal, new Date(start + i * 300_000), 5 * 450).getTime();
    }
    const ms = performance.now() - t0;
    expect(last).toBeGreaterThan(start);
    // Generous for a shared 2-core machine; a per-minute loop would take minutes.
    expect(ms).toBeLessThan(3_000);
  });
});
