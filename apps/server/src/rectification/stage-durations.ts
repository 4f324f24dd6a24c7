/**
 * Time spent in each status, derived from the ticket's audit trail (every status change records
 * `after.status`), in business minutes of the default calendar and in wall-clock minutes. A
 * status entered twice (rework, reopen) adds both stays. The current status counts up to now.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { TERMINAL_STATUSES, type StageDurations, type TicketStatus } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { auditEvents } from '../db/schema.js';
import { businessMinutesBetween, type CompiledCalendar } from '../calendars/business-time.js';
import { defaultCalendarEntry } from '../calendars/calendar-cache.js';

/** Pure: the stays from the status changes (oldest first), summed per status. */
export function sumStages(o: {
  createdAt: Date; changes: { at: Date; status: TicketStatus }[]; now: Date; calendar: CompiledCalendar;
}): StageDurations['items'] {
  const sums = new Map<TicketStatus, { businessMinutes: number; minutes: number; entered: number }>();
  let status: TicketStatus = 'registered';
  let since = o.createdAt;
  const close = (until: Date) => {
    if ((TERMINAL_STATUSES as readonly string[]).includes(status)) return;
    const s = sums.get(status) ?? { businessMinutes: 0, minutes: 0, entered: 0 };
    s.entered += 1;
    s.minutes += Math.max(0, Math.round((until.getTime() - since.getTime()) / 60_000));
    s.businessMinutes += until > since ? Math.round(businessMinutesBetween(o.calendar, since, until)) : 0;
    sums.set(status, s);
  };
  for (const c of o.changes) {
    if (c.status === status) continue;
    close(c.at);
    status = c.status;
    since = c.at;
  }
  close(o.now);
  return [...sums.entries()].map(([s, v]) => ({ status: s, ...v }));
}

export async function stageDurations(db: DbOrTx, ticket: { id: string; createdAt: Date }, now = new Date()): Promise<StageDurations> {
  const rows = await db.select({ at: auditEvents.at, status: sql<string>`${auditEvents.after}->>'status'` })
    .from(auditEvents)
    .where(and(eq(auditEvents.ticketId, ticket.id), sql`${auditEvents.after} ? 'status'`))
    .orderBy(asc(auditEvents.id));
  const cal = await defaultCalendarEntry(db);
  return {
    calendarId: cal.id,
    items: sumStages({
      createdAt: ticket.createdAt, now, calendar: cal.calendar,
      changes: rows.map((r) => ({ at: r.at, status: r.status as TicketStatus })),
    }),
  };
}
