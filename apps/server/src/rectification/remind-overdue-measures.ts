/**
 * Overdue measures (整改任务超期): an open measure whose due date has passed (the due date is a
 * calendar day in China; it has passed once that day is over) gets one reminder to its owner per
 * due date — the e-mail goes out in the owner's working time (mail/ defers it by the owner's
 * calendar), the in-app notification at once. Small bounded batches, claimed with SKIP LOCKED,
 * so several instances never remind twice; `reminded_for` records the due date reminded.
 */
import { and, asc, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { rectMeasures, tickets } from '../db/schema.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { enqueueMany } from '../jobs/outbox.js';
import { measureOverdue } from './notify.js';
import { chinaToday } from './views.js';

export async function remindOverdueMeasures(opts: { db: Db; now?: Date; batchSize?: number }): Promise<number> {
  const now = opts.now ?? new Date();
  const today = chinaToday(now);
  return opts.db.transaction(async (tx) => {
    const due = await tx.select({
      id: rectMeasures.id, ownerId: rectMeasures.ownerId, action: rectMeasures.action, dueDate: rectMeasures.dueDate,
      ticketId: tickets.id, number: tickets.number, title: tickets.title,
    }).from(rectMeasures).innerJoin(tickets, eq(tickets.id, rectMeasures.ticketId))
      .where(and(
        inArray(rectMeasures.status, ['todo', 'doing']),
        lt(rectMeasures.dueDate, today),
        or(isNull(rectMeasures.remindedFor), ne(rectMeasures.remindedFor, rectMeasures.dueDate)),
        sql`${rectMeasures.ownerId} is not null`,
      ))
      .orderBy(asc(rectMeasures.dueDate)).limit(opts.batchSize ?? 100)
      .for('update', { of: rectMeasures, skipLocked: true });
    if (!due.length) return 0;
    await tx.update(rectMeasures).set({ remindedFor: sql`${rectMeasures.dueDate}` })
      .where(inArray(rectMeasures.id, due.map((m) => m.id)));
    const origin = { actor: SYSTEM_ACTOR, at: now };
    const items = due.map((m) => ({ ...m, ownerId: m.ownerId!, dueDate: m.dueDate! }));
    await enqueueMany(tx, [
      ...eventOutboxRows(items.map((m) => domainEvent('rectification.measure_overdue', {
        ticketId: m.ticketId, number: m.number, title: m.title, measureId: m.id, ownerId: m.ownerId, action: m.action, dueDate: m.dueDate,
      }, origin))),
      ...items.map((m) => measureOverdue({ ticketId: m.ticketId, number: m.number, title: m.title }, m)),
    ]);
    return due.length;
  });
}
