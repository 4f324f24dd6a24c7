/**
 * When may an e-mail to a person go out: the one place that decides it. Staff are not woken at
 * 03:00: an e-mail waits for the next working minute of the recipient's business calendar
 * (their own `users.calendar_id`, else the default calendar). In-app notifications never wait;
 * only the e-mail does. A 7×24 calendar (the hotline) sends at once.
 */
import { inArray } from 'drizzle-orm';
import { calendarById, defaultCalendar } from '../calendars/calendar-cache.js';
import { nextWorkingInstant, NoWorkingTimeError, type CompiledCalendar } from '../calendars/business-time.js';
import type { DbOrTx } from '../db/client.js';
import { users } from '../db/schema.js';

export interface EmailSendTimesOptions {
  db: DbOrTx;
  /** Who gets an e-mail about something that happened `at`. */
  requests: ReadonlyArray<{ userId: string; at: Date }>;
  /** Now; an e-mail is never scheduled before it (a late redelivery must not send at night). */
  now?: Date;
}

/** The earliest send time of `at` on a calendar; a calendar with no working time left sends at once. */
export function sendTimeOn(calendar: CompiledCalendar, at: Date): Date {
  try {
    return nextWorkingInstant(calendar, at);
  } catch (err) {
    // Holding a reminder for ever would lose it; a late-night e-mail is the lesser harm.
    if (err instanceof NoWorkingTimeError) return at;
    throw err;
  }
}

/**
 * The earliest send time of each request, in order: the next working minute of the user's
 * calendar from max(at, now). One query for the users; calendars come from their cache.
 */
export async function emailSendTimes(opts: EmailSendTimesOptions): Promise<Date[]> {
  if (!opts.requests.length) return [];
  const now = (opts.now ?? new Date()).getTime();
  const ids = [...new Set(opts.requests.map((r) => r.userId))];
  const rows = await opts.db.select({ id: users.id, calendarId: users.calendarId }).from(users).where(inArray(users.id, ids));
  const calendarOf = new Map(rows.map((r) => [r.id, r.calendarId]));
  const calendars = new Map<string | null, CompiledCalendar>();
  const out: Date[] = [];
  for (const r of opts.requests) {
    const calendarId = calendarOf.get(r.userId) ?? null;
    let calendar = calendars.get(calendarId);
    if (!calendar) {
      // A calendar deleted meanwhile falls back to the default, like a user without one.
      calendar = (calendarId ? await calendarById(opts.db, calendarId) : null) ?? await defaultCalendar(opts.db);
      calendars.set(calendarId, calendar);
    }
    out.push(sendTimeOn(calendar, new Date(Math.max(r.at.getTime(), now))));
  }
  return out;
}
