/**
 * 我的整改任务: the caller's measures on approved plans across departments (a measure owner may
 * sit outside the ticket's department). Served by rect_measures_owner_idx (owner, status, due).
 */
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { zMyMeasureList, zMyMeasuresQuery } from '@closeloop/contract';
import type { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { rectMeasures, tickets } from '../db/schema.js';
import { chinaToday, isOverdue } from './views.js';

export async function listMyMeasures(opts: {
  db: DbOrTx; actor: Actor; query: z.infer<typeof zMyMeasuresQuery>; now?: Date;
}): Promise<z.infer<typeof zMyMeasureList>> {
  const { db, actor, query } = opts;
  if (!actor.userId) return { items: [] };
  const open = query.open === 'true';
  const rows = await db.select({
    m: { id: rectMeasures.id, action: rectMeasures.action, type: rectMeasures.type, status: rectMeasures.status, dueDate: rectMeasures.dueDate, criterion: rectMeasures.criterion },
    t: { id: tickets.id, number: tickets.number, title: tickets.title, status: tickets.status, priority: tickets.priority },
  }).from(rectMeasures).innerJoin(tickets, eq(tickets.id, rectMeasures.ticketId))
    .where(and(
      eq(rectMeasures.ownerId, actor.userId),
      open ? inArray(rectMeasures.status, ['todo', 'doing']) : isNotNull(rectMeasures.status),
    ))
    .orderBy(sql`(${rectMeasures.status} in ('done', 'cancelled'))`, asc(rectMeasures.dueDate), asc(rectMeasures.id))
    .limit(query.limit);
  const today = chinaToday(opts.now ?? new Date());
  return {
    items: rows.map(({ m, t }) => ({
      id: m.id, action: m.action, type: m.type, status: m.status!, dueDate: m.dueDate, criterion: m.criterion,
      overdue: isOverdue(m, today),
      ticket: { ...t, status: t.status as never },
    })),
  };
}
