/**
 * China's official holiday schedule (国务院办公厅 公布的节假日安排) as the maintained `chinese-days`
 * package knows it, and how it is merged into a calendar's dated exceptions.
 *
 * Merge policy for one year (idempotent: filling twice gives the same days):
 * - entries of that year that came from an earlier fill (`source: 'official'`) are replaced by
 *   the package's current schedule, so a corrected schedule is picked up;
 * - a hand-made entry (`source: 'manual'`) on a date the schedule does not mention is kept
 *   (a company's own day off or overtime day);
 * - a hand-made entry of the same kind as the schedule's on its date is kept as it is (it may
 *   carry its own periods or name);
 * - a hand-made entry that contradicts the schedule (a holiday where the schedule says work, or
 *   the reverse) is replaced by the official one and reported, so an admin can re-apply it.
 * A year the package has no schedule for is left untouched and reported as not available.
 */
import chineseDays from 'chinese-days';
import type { DayException } from '@closeloop/contract';

export interface OfficialSchedule {
  year: number;
  available: boolean;
  /** Holidays (also those on weekends, so the month view can mark them) and make-up working days. */
  days: DayException[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** chinese-days names look like "National Day,国庆节,3"; plain weekday names mean "no entry". */
function officialName(detailName: string): string | null {
  const parts = detailName.split(',');
  return parts.length >= 2 ? parts[1]!.trim() : null;
}

export function officialSchedule(year: number): OfficialSchedule {
  const days: DayException[] = [];
  for (let t = Date.UTC(year, 0, 1); new Date(t).getUTCFullYear() === year; t += 86_400_000) {
    const d = new Date(t);
    const date = `${year}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const detail = chineseDays.getDayDetail(date);
    const name = officialName(detail.name);
    if (!name) continue;
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    if (!detail.work) days.push({ date, kind: 'holiday', name, source: 'official' });
    // A working weekday inside a festival's range is just a workday; only weekend work is 调休.
    else if (weekend) days.push({ date, kind: 'workday', name: `${name}调休`, source: 'official' });
  }
  return { year, available: days.some((d) => d.kind === 'holiday'), days };
}

/** Years whose schedule the package knows, among the given ones. */
export function officialYears(years: number[]): { year: number; available: boolean }[] {
  return years.map((year) => ({ year, available: officialSchedule(year).available }));
}

export interface MergeResult {
  days: DayException[];
  /** Dates of hand-made entries the schedule overrode. */
  replaced: string[];
}

export function mergeOfficialDays(existing: readonly DayException[], schedule: OfficialSchedule): MergeResult {
  if (!schedule.available) return { days: [...existing], replaced: [] };
  const prefix = `${schedule.year}-`;
  const official = new Map(schedule.days.map((d) => [d.date, d]));
  const kept: DayException[] = [];
  const replaced: string[] = [];
  for (const d of existing) {
    if (!d.date.startsWith(prefix)) { kept.push(d); continue; }
    if (d.source === 'official') continue;
    const o = official.get(d.date);
    if (!o) { kept.push(d); continue; }
    if (o.kind === d.kind) { kept.push(d); official.delete(d.date); continue; }
    replaced.push(d.date);
  }
  const days = [...kept, ...official.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { days, replaced };
}
