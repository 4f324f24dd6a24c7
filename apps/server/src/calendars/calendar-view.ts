/** A calendar as the API shows it. */
import type { Calendar } from '@closeloop/contract';
import type { calendars } from '../db/schema.js';

export type CalendarRow = typeof calendars.$inferSelect;

export const calendarChain = (id: string) => `calendar:${id}`;

export function toCalendar(row: CalendarRow): Calendar {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    nameEn: row.nameEn,
    definition: row.definition,
    isDefault: row.isDefault,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The year (Asia/Shanghai) of an instant: "the current year" of the official schedule. */
export function chinaYear(at: Date): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(at));
}
