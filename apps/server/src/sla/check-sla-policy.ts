/** References of a policy (calendar, categories) must exist: 400 naming the field otherwise. */
import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { calendars, categories } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { FieldError } from '@closeloop/contract';

export async function checkSlaPolicyReferences(db: DbOrTx, p: { calendarId?: string | null; categoryIds?: string[] }): Promise<void> {
  const fields: FieldError[] = [];
  if (p.calendarId) {
    const found = await db.select({ id: calendars.id }).from(calendars).where(inArray(calendars.id, [p.calendarId]));
    if (!found.length) fields.push({ path: 'calendarId', message: 'no such calendar' });
  }
  if (p.categoryIds?.length) {
    const found = new Set((await db.select({ id: categories.id }).from(categories).where(inArray(categories.id, p.categoryIds))).map((c) => c.id));
    p.categoryIds.forEach((id, i) => { if (!found.has(id)) fields.push({ path: `categoryIds.${i}`, message: 'no such category' }); });
  }
  if (fields.length) throw new AppError('VALIDATION_FAILED', `${fields[0]!.path}: ${fields[0]!.message}`, fields);
}

/** A policy with no target at all would start no clock: refused. */
export function checkTargets(t: { firstResponse: number | null; update: number | null; resolution: number | null }): void {
  if (t.firstResponse === null && t.update === null && t.resolution === null) {
    throw new AppError('VALIDATION_FAILED', 'targets: give at least one target', [{ path: 'targets', message: 'give at least one target' }]);
  }
}
