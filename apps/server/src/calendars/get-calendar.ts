/** One calendar by id; 404 when missing. */
import { eq } from 'drizzle-orm';
import type { Calendar } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { calendars } from '../db/schema.js';
import { notFound } from '../http/app-error.js';
import { toCalendar } from './calendar-view.js';

export async function getCalendar(opts: { db: DbOrTx; id: string }): Promise<Calendar> {
  const [row] = await opts.db.select().from(calendars).where(eq(calendars.id, opts.id)).limit(1);
  if (!row) throw notFound('calendar');
  return toCalendar(row);
}
