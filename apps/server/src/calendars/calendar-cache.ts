/**
 * Compiled calendars for the hot paths (SLA due times at intake, clock sweeps), kept for under
 * a second like the other reference data. A change made here drops them at once; other
 * instances follow within REFERENCE_TTL_MS. The compiled form (with its per-day cache) is kept
 * per calendar version, so a row reload does not throw the compiled days away.
 */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { calendars } from '../db/schema.js';
import { cachePerDatabase, REFERENCE_TTL_MS } from '../cache/ttl-cache.js';
import { compileCalendar, type CompiledCalendar } from './business-time.js';
import { ensureCalendars } from './ensure-calendars.js';

export interface CalendarEntry {
  id: string;
  code: string;
  /** Record it with a computed due time: it says which rules produced it. */
  version: number;
  calendar: CompiledCalendar;
}

const entryCache = cachePerDatabase<CalendarEntry | null>(REFERENCE_TTL_MS, 200);
const compiledByVersion = new Map<string, CompiledCalendar>();

export function forgetCalendars(): void {
  entryCache.clearAll();
}

function entryOf(row: typeof calendars.$inferSelect): CalendarEntry {
  const key = `${row.id}@${row.version}`;
  let calendar = compiledByVersion.get(key);
  if (!calendar) {
    if (compiledByVersion.size >= 200) compiledByVersion.clear();
    calendar = compileCalendar(row.definition);
    compiledByVersion.set(key, calendar);
  }
  return { id: row.id, code: row.code, version: row.version, calendar };
}

export async function calendarEntryById(db: DbOrTx, id: string): Promise<CalendarEntry | null> {
  return entryCache(db).get(id, async () => {
    const [row] = await db.select().from(calendars).where(eq(calendars.id, id)).limit(1);
    return row ? entryOf(row) : null;
  });
}

/**
 * The default calendar. Start-up creates the standard calendars; should anything ask before
 * that (tests, the CLI on a fresh database) they are created here, once.
 */
export async function defaultCalendarEntry(db: DbOrTx): Promise<CalendarEntry> {
  const load = () => entryCache(db).get('default', async () => {
    const [row] = await db.select().from(calendars).where(eq(calendars.isDefault, true)).limit(1);
    return row ? entryOf(row) : null;
  });
  const found = await load();
  if (found) return found;
  await ensureCalendars({ db });
  const seeded = await load();
  if (!seeded) throw new Error('no default calendar: the calendars table has rows but none is the default');
  return seeded;
}

export async function calendarById(db: DbOrTx, id: string): Promise<CompiledCalendar | null> {
  return (await calendarEntryById(db, id))?.calendar ?? null;
}

export async function defaultCalendar(db: DbOrTx): Promise<CompiledCalendar> {
  return (await defaultCalendarEntry(db)).calendar;
}
