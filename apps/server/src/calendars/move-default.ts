/**
 * Takes the default mark off whichever calendar holds it (inside the caller's transaction), so
 * another can take it: the partial unique index allows one default at a time.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import type { Tx } from '../db/client.js';
import { calendars } from '../db/schema.js';
import { appendEvent } from '../audit/append-event.js';
import { calendarChain } from './calendar-view.js';

/** Returns whether some other calendar was the default. */
export async function clearOtherDefault(opts: { tx: Tx; actor: Actor; exceptId: string; at: Date }): Promise<boolean> {
  const { tx, actor, exceptId, at } = opts;
  const [previous] = await tx.select({ id: calendars.id, version: calendars.version }).from(calendars)
    .where(and(eq(calendars.isDefault, true), ne(calendars.id, exceptId))).for('update').limit(1);
  if (!previous) return false;
  await tx.update(calendars).set({ isDefault: false, version: sql`${calendars.version} + 1`, updatedAt: at })
    .where(eq(calendars.id, previous.id));
  await appendEvent({
    tx, actor, chain: calendarChain(previous.id), type: 'calendar.updated', at,
    before: { isDefault: true, version: previous.version }, after: { isDefault: false, version: previous.version + 1 },
  });
  return true;
}
