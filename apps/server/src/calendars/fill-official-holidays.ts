/**
 * Fills a calendar's holidays and 调休 days of one year from the official schedule (admin);
 * see official-holidays.ts for what happens to hand-made entries. Idempotent: a fill that
 * changes nothing writes nothing. A year without a published schedule changes nothing and says so.
 */
import { eq } from 'drizzle-orm';
import { zCalendarDefinition, type OfficialHolidaysResult } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { calendars } from '../db/schema.js';
import { appendEvent } from '../audit/append-event.js';
import { canonicalJson } from '../audit/hash.js';
import { notFound } from '../http/app-error.js';
import { forgetCalendars } from './calendar-cache.js';
import { calendarChain, toCalendar } from './calendar-view.js';
import { mergeOfficialDays, officialSchedule } from './official-holidays.js';

export async function fillOfficialHolidays(opts: { db: Db; actor: Actor; id: string; year: number }): Promise<OfficialHolidaysResult> {
  const { db, actor, id, year } = opts;
  const schedule = officialSchedule(year);
  const counts = {
    holidays: schedule.days.filter((d) => d.kind === 'holiday').length,
    workdays: schedule.days.filter((d) => d.kind === 'workday').length,
  };
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.select().from(calendars).where(eq(calendars.id, id)).for('update').limit(1);
      if (!row) throw notFound('calendar');
      const merged = mergeOfficialDays(row.definition.days, schedule);
      const unchanged = canonicalJson(merged.days) === canonicalJson(row.definition.days);
      if (!schedule.available || unchanged) {
        return { calendar: toCalendar(row), year, available: schedule.available, changed: false, ...counts, replaced: [] };
      }
      const definition = zCalendarDefinition.parse({ ...row.definition, days: merged.days });
      const ofYear = (days: typeof merged.days) => days.filter((d) => d.date.startsWith(`${year}-`));
      const at = new Date();
      const [updated] = await tx.update(calendars)
        .set({ definition, version: row.version + 1, updatedAt: at })
        .where(eq(calendars.id, id)).returning();
      await appendEvent({
        tx, actor, chain: calendarChain(id), type: 'calendar.official_holidays_filled', at,
        before: { version: row.version, days: ofYear(row.definition.days) },
        after: { version: row.version + 1, days: ofYear(definition.days) },
        data: { year, replaced: merged.replaced },
      });
      return { calendar: toCalendar(updated!), year, available: true, changed: true, ...counts, replaced: merged.replaced };
    });
  } finally {
    forgetCalendars();
  }
}
