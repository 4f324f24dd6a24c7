/**
 * The one place rules ask "is this inside business hours?". Until the calendar module is in
 * (TODO(merge): calendars/business-time.ts — isWorkingInstant(defaultCalendar(db), at), loaded
 * through a cache so intake stays at its statement budget), it is Monday–Friday 09:00–18:00
 * Asia/Shanghai without holidays.
 */
import { shanghaiHour } from './evaluate-rules.js';

export function isBusinessTime(at: Date): boolean {
  // Weekday in Shanghai: shift by +8 h, then read the UTC weekday (0 = Sunday).
  const day = new Date(at.getTime() + 8 * 3600_000).getUTCDay();
  const hour = shanghaiHour(at);
  return day >= 1 && day <= 5 && hour >= 9 && hour < 18;
}
