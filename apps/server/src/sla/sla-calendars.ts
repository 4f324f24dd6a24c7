/**
 * The compiled calendars a batch of clocks is counted in, loaded once per batch from the
 * calendars domain's cache: a clock's own calendar, or the default one (null, or a calendar
 * that was deleted since: the clock keeps counting rather than stopping).
 */
import type { CompiledCalendar } from '../calendars/business-time.js';
import { calendarById, defaultCalendar } from '../calendars/calendar-cache.js';
import type { DbOrTx } from '../db/client.js';

export type CalendarLookup = (id: string | null) => CompiledCalendar;

export async function slaCalendars(db: DbOrTx, ids: Iterable<string | null>): Promise<CalendarLookup> {
  const fallback = await defaultCalendar(db);
  const found = new Map<string, CompiledCalendar>();
  for (const id of new Set(ids)) {
    if (!id) continue;
    const cal = await calendarById(db, id);
    if (cal) found.set(id, cal);
  }
  return (id) => (id ? found.get(id) ?? fallback : fallback);
}
