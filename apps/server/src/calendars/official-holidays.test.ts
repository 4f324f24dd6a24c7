import { describe, expect, it } from 'vitest';
import type { DayException } from '@closeloop/contract';
import { mergeOfficialDays, officialSchedule, officialYears } from './official-holidays.js';

describe('officialSchedule', () => {
  it('knows 2026: 国庆 1–7 October off, 20 September and 10 October worked', () => {
    const s = officialSchedule(2026);
    expect(s.available).toBe(true);
    const byDate = new Map(s.days.map((d) => [d.date, d]));
    for (let d = 1; d <= 7; d++) expect(byDate.get(`2026-10-0${d}`)).toMatchObject({ kind: 'holiday', name: '国庆节', source: 'official' });
    expect(byDate.get('2026-09-20')).toMatchObject({ kind: 'workday', name: '国庆节调休' });
    expect(byDate.get('2026-10-10')).toMatchObject({ kind: 'workday', name: '国庆节调休' });
    expect(byDate.get('2026-02-14')).toMatchObject({ kind: 'workday', name: '春节调休' });
    expect(byDate.get('2026-01-01')).toMatchObject({ kind: 'holiday', name: '元旦' });
    expect(byDate.has('2026-10-08')).toBe(false);
    expect(s.days.filter((d) => d.kind === 'holiday')).toHaveLength(33);
    expect(s.days.filter((d) => d.kind === 'workday')).toHaveLength(6);
  });

  it('has no schedule for 2027 yet', () => {
    expect(officialSchedule(2027)).toEqual({ year: 2027, available: false, days: [] });
    expect(officialYears([2026, 2027])).toEqual([{ year: 2026, available: true }, { year: 2027, available: false }]);
  });
});

describe('mergeOfficialDays', () => {
  const manual = (date: string, kind: DayException['kind'], name = '自定'): DayException => ({ date, kind, name, source: 'manual' });

  it('keeps hand edits the schedule does not contradict and replaces those it does', () => {
    const existing: DayException[] = [
      manual('2025-12-31', 'holiday', '年终盘点'),
      manual('2026-03-06', 'holiday', '公司年会'),
      { ...manual('2026-10-10', 'workday', '调休半天'), periods: [{ start: '09:00', end: '12:00' }] },
      manual('2026-10-03', 'workday', '值班'),
      { date: '2026-04-10', kind: 'holiday', name: '旧的官方条目', source: 'official' },
    ];
    const { days, replaced } = mergeOfficialDays(existing, officialSchedule(2026));
    const byDate = new Map(days.map((d) => [d.date, d]));
    expect(byDate.get('2025-12-31')?.name).toBe('年终盘点');
    expect(byDate.get('2026-03-06')?.name).toBe('公司年会');
    expect(byDate.get('2026-10-10')).toMatchObject({ name: '调休半天', source: 'manual', periods: [{ start: '09:00', end: '12:00' }] });
    expect(byDate.get('2026-10-03')).toMatchObject({ kind: 'holiday', source: 'official' });
    expect(byDate.has('2026-04-10')).toBe(false);
    expect(replaced).toEqual(['2026-10-03']);
    expect(days.map((d) => d.date)).toEqual(days.map((d) => d.date).sort());
  });

  it('is idempotent', () => {
    const once = mergeOfficialDays([manual('2026-03-06', 'holiday')], officialSchedule(2026)).days;
    const twice = mergeOfficialDays(once, officialSchedule(2026));
    expect(twice.days).toEqual(once);
    expect(twice.replaced).toEqual([]);
  });

  it('changes nothing for a year without a schedule', () => {
    const existing = [manual('2027-02-10', 'holiday', '春节（待公布）')];
    expect(mergeOfficialDays(existing, officialSchedule(2027))).toEqual({ days: existing, replaced: [] });
  });
});
