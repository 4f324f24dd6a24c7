/** A user's calendar must exist: refused naming the field, inside the command's transaction. */
import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { calendars } from '../db/schema.js';
import { invalidField } from '../http/app-error.js';

export async function checkCalendar(tx: Tx, id: string): Promise<void> {
  const [row] = await tx.select({ id: calendars.id }).from(calendars).where(eq(calendars.id, id)).limit(1);
  if (!row) throw invalidField('calendarId', 'no such calendar');
}
