/**
 * The calendars every installation starts with, created when the table is empty (configuration,
 * not demo data): 标准工作日历 (the default; Asia/Shanghai, Mon–Fri 09:00–12:00 and 13:30–18:00,
 * China's holidays and 调休 of the current and the next year as far as the official data knows
 * them) and 7×24 热线日历 for the hotline.
 */
import { sql } from 'drizzle-orm';
import type { CalendarDefinition, DayException } from '@closeloop/contract';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { calendars } from '../db/schema.js';
import { newId } from '../db/util.js';
import { appendEvent } from '../audit/append-event.js';
import { calendarChain, chinaYear, toCalendar } from './calendar-view.js';
import { officialSchedule } from './official-holidays.js';

const OFFICE = [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '18:00' }];

export function standardDefinition(years: number[]): CalendarDefinition {
  const days: DayException[] = years.flatMap((y) => officialSchedule(y).days);
  return { timezone: 'Asia/Shanghai', alwaysOpen: false, week: [OFFICE, OFFICE, OFFICE, OFFICE, OFFICE, [], []], days };
}

export const HOTLINE_DEFINITION: CalendarDefinition = {
  timezone: 'Asia/Shanghai', alwaysOpen: true, week: [[], [], [], [], [], [], []], days: [],
};

export interface EnsureCalendarsResult {
  created: boolean;
}

export async function ensureCalendars(opts: { db: DbOrTx; now?: Date }): Promise<EnsureCalendarsResult> {
  const { db } = opts;
  const [any] = await db.select({ id: calendars.id }).from(calendars).limit(1);
  if (any) return { created: false };
  const year = chinaYear(opts.now ?? new Date());
  return db.transaction(async (tx) => {
    // Several instances may start on one empty database at once.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('calendars:seed'))`);
    const [again] = await tx.select({ id: calendars.id }).from(calendars).limit(1);
    if (again) return { created: false };
    const rows = await tx.insert(calendars).values([
      { id: newId(), code: 'standard', name: '标准工作日历', nameEn: 'Standard office calendar', definition: standardDefinition([year, year + 1]), isDefault: true },
      { id: newId(), code: 'hotline-24x7', name: '7×24 热线日历', nameEn: '24×7 hotline', definition: HOTLINE_DEFINITION, isDefault: false },
    ]).returning();
    for (const row of rows) {
      await appendEvent({ tx, actor: SYSTEM_ACTOR, chain: calendarChain(row.id), type: 'calendar.created', after: toCalendar(row) });
    }
    return { created: true };
  });
}
