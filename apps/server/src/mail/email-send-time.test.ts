import { describe, expect, it } from 'vitest';
import { compileCalendar } from '../calendars/business-time.js';
import { HOTLINE_DEFINITION, standardDefinition } from '../calendars/ensure-calendars.js';
import { sendTimeOn } from './email-send-time.js';

// The standard calendar: Mon–Fri 09:00–12:00 and 13:30–18:00 China time, official holidays and
// make-up working days (调休) of 2026.
const office = compileCalendar(standardDefinition([2026, 2027]));
const hotline = compileCalendar(HOTLINE_DEFINITION);
const at = (s: string) => sendTimeOn(office, new Date(s)).toISOString();

describe('when an e-mail to a person may go out', () => {
  it('at once in working time', () => {
    expect(at('2026-12-09T10:15:00+08:00')).toBe('2026-12-09T02:15:00.000Z');
  });

  it('after a night, a lunch break and a weekend: the next working minute', () => {
    expect(at('2026-12-09T03:00:00+08:00')).toBe('2026-12-09T01:00:00.000Z'); // 09:00
    expect(at('2026-12-09T12:30:00+08:00')).toBe('2026-12-09T05:30:00.000Z'); // 13:30
    expect(at('2026-12-04T18:01:00+08:00')).toBe('2026-12-07T01:00:00.000Z'); // Friday evening → Monday 09:00
  });

  it('across the Spring Festival holiday, and on its make-up Saturdays', () => {
    expect(at('2026-02-16T03:00:00+08:00')).toBe('2026-02-24T01:00:00.000Z'); // holiday 15–23 Feb → Tue 24th
    expect(at('2026-02-13T18:30:00+08:00')).toBe('2026-02-14T01:00:00.000Z'); // Sat 14 Feb is a working day
    expect(at('2026-02-27T19:00:00+08:00')).toBe('2026-02-28T01:00:00.000Z'); // and so is Sat 28 Feb
  });

  it('never waits on a 7×24 calendar', () => {
    const night = new Date('2026-12-09T03:00:00+08:00');
    expect(sendTimeOn(hotline, night).toISOString()).toBe(night.toISOString());
  });

  it('sends at once rather than never when a calendar has no working time left', () => {
    const empty = compileCalendar({ timezone: 'Asia/Shanghai', alwaysOpen: false, week: [[], [], [], [], [], [], []], days: [] });
    const now = new Date('2026-12-09T03:00:00+08:00');
    expect(sendTimeOn(empty, now).toISOString()).toBe(now.toISOString());
  });
});
