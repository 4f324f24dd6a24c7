/**
 * The one place rules ask "is this inside business hours?": working time of the default
 * calendar (工作日历 — lunch break, weekends, holidays and 调休 included), from the calendars'
 * cache, so intake keeps its statement budget.
 */
import { isWorkingInstant } from '../calendars/business-time.js';
import { defaultCalendar } from '../calendars/calendar-cache.js';
import type { DbOrTx } from '../db/client.js';

export async function businessHours(db: DbOrTx): Promise<(at: Date) => boolean> {
  const calendar = await defaultCalendar(db);
  return (at) => isWorkingInstant(calendar, at);
}
