/** Every calendar, the default first, and which official schedules the data package knows. */
import { asc, desc } from 'drizzle-orm';
import type { Calendar, OfficialYear } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { calendars } from '../db/schema.js';
import { chinaYear, toCalendar } from './calendar-view.js';
import { officialYears } from './official-holidays.js';

export interface ListCalendarsResult {
  items: Calendar[];
  officialYears: OfficialYear[];
}

export async function listCalendars(opts: { db: DbOrTx; now?: Date }): Promise<ListCalendarsResult> {
  const rows = await opts.db.select().from(calendars).orderBy(desc(calendars.isDefault), asc(calendars.name), asc(calendars.id));
  const year = chinaYear(opts.now ?? new Date());
  return { items: rows.map(toCalendar), officialYears: officialYears([year, year + 1]) };
}
