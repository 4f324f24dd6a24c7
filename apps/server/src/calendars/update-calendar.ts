/**
 * Changes a calendar (admin): names, the definition, or makes it the default. There is no
 * delete yet: SLA clocks will point at calendars. Every real change bumps `version`; an editor
 * that sends the version it started from gets 409 when someone else saved in between.
 */
import { eq } from 'drizzle-orm';
import type { Calendar, CalendarUpdate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { calendars } from '../db/schema.js';
import { appendEvent } from '../audit/append-event.js';
import { canonicalJson } from '../audit/hash.js';
import { AppError, invalidField, notFound } from '../http/app-error.js';
import { forgetCalendars } from './calendar-cache.js';
import { calendarChain, toCalendar } from './calendar-view.js';
import { clearOtherDefault } from './move-default.js';

type Changes = Partial<Pick<Calendar, 'name' | 'nameEn' | 'definition' | 'isDefault'>>;

function changesOf(input: CalendarUpdate): Changes {
  const c: Changes = {};
  if (input.name !== undefined) c.name = input.name;
  if (input.nameEn !== undefined) c.nameEn = input.nameEn || null;
  if (input.definition !== undefined) c.definition = input.definition;
  if (input.isDefault !== undefined) c.isDefault = input.isDefault;
  return c;
}

export async function updateCalendar(opts: { db: Db; actor: Actor; id: string; input: CalendarUpdate }): Promise<Calendar> {
  const { db, actor, id, input } = opts;
  const wanted = changesOf(input);
  if (Object.keys(wanted).length === 0) throw invalidField('body', 'nothing to change');
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.select().from(calendars).where(eq(calendars.id, id)).for('update').limit(1);
      if (!row) throw notFound('calendar');
      if (input.version !== undefined && input.version !== row.version) {
        throw new AppError('CONFLICT', `calendar was changed meanwhile (now version ${row.version})`,
          [{ path: 'version', message: `is ${row.version} now`, code: 'conflict' }]);
      }
      const current = toCalendar(row);
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(wanted) as [keyof Changes, unknown][]) {
        if (canonicalJson(current[key]) === canonicalJson(value)) continue;
        before[key] = current[key];
        after[key] = value;
      }
      if (Object.keys(after).length === 0) return current;
      const at = new Date();
      if (after.isDefault === true) await clearOtherDefault({ tx, actor, exceptId: id, at });
      before.version = row.version;
      after.version = row.version + 1;
      const [updated] = await tx.update(calendars)
        .set({ ...(after as Partial<typeof calendars.$inferInsert>), updatedAt: at })
        .where(eq(calendars.id, id)).returning();
      await appendEvent({ tx, actor, chain: calendarChain(id), type: 'calendar.updated', before, after, at });
      return toCalendar(updated!);
    });
  } finally {
    forgetCalendars();
  }
}
