/** Creates a calendar (admin). The code is the stable handle SLA policies and imports refer to. */
import { eq } from 'drizzle-orm';
import type { Calendar, CalendarCreate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { calendars } from '../db/schema.js';
import { isUniqueViolation, newId } from '../db/util.js';
import { appendEvent } from '../audit/append-event.js';
import { AppError } from '../http/app-error.js';
import { forgetCalendars } from './calendar-cache.js';
import { calendarChain, toCalendar } from './calendar-view.js';
import { clearOtherDefault } from './move-default.js';

const codeTaken = (code: string) =>
  new AppError('CONFLICT', `calendar code ${code} is already used`, [{ path: 'code', message: 'already used', code: 'conflict' }]);

export async function createCalendar(opts: { db: Db; actor: Actor; input: CalendarCreate }): Promise<Calendar> {
  const { db, actor, input } = opts;
  const [existing] = await db.select({ id: calendars.id }).from(calendars).where(eq(calendars.code, input.code)).limit(1);
  if (existing) throw codeTaken(input.code);
  const id = newId();
  try {
    const created = await db.transaction(async (tx) => {
      const at = new Date();
      const [anyDefault] = await tx.select({ id: calendars.id }).from(calendars).where(eq(calendars.isDefault, true)).limit(1);
      // There is always exactly one default: the first calendar becomes it whatever was asked.
      const isDefault = input.isDefault || !anyDefault;
      if (input.isDefault) await clearOtherDefault({ tx, actor, exceptId: id, at });
      const [row] = await tx.insert(calendars).values({
        id, code: input.code, name: input.name, nameEn: input.nameEn || null,
        definition: input.definition, isDefault, createdAt: at, updatedAt: at,
      }).returning();
      const calendar = toCalendar(row!);
      await appendEvent({ tx, actor, chain: calendarChain(id), type: 'calendar.created', after: calendar, at });
      return calendar;
    });
    return created;
  } catch (err) {
    if (isUniqueViolation(err)) throw codeTaken(input.code);
    throw err;
  } finally {
    forgetCalendars();
  }
}
