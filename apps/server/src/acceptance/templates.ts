/** Acceptance templates per category (admin): the items every acceptance of the category checks. */
import { and, asc, eq } from 'drizzle-orm';
import type { AcceptanceTemplateItem } from '@closeloop/contract';
import type { zAcceptanceTemplateInput, zAcceptanceTemplatePatch } from '@closeloop/contract';
import type { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db, DbOrTx } from '../db/client.js';
import { acceptanceTemplateItems, categories } from '../db/schema.js';
import { newId } from '../db/util.js';
import { notFound } from '../http/app-error.js';

type Row = typeof acceptanceTemplateItems.$inferSelect;
const view = (r: Row): AcceptanceTemplateItem => ({
  id: r.id, categoryId: r.categoryId, item: r.item, criterion: r.criterion, method: r.method, sort: r.sort, active: r.active,
});
const chain = (categoryId: string) => `category:${categoryId}`;

export async function listTemplateItems(db: DbOrTx, categoryId: string, onlyActive = false): Promise<AcceptanceTemplateItem[]> {
  const rows = await db.select().from(acceptanceTemplateItems)
    .where(onlyActive ? and(eq(acceptanceTemplateItems.categoryId, categoryId), eq(acceptanceTemplateItems.active, true))
      : eq(acceptanceTemplateItems.categoryId, categoryId))
    .orderBy(asc(acceptanceTemplateItems.sort), asc(acceptanceTemplateItems.createdAt));
  return rows.map(view);
}

export async function createTemplateItem(opts: {
  db: Db; actor: Actor; categoryId: string; input: z.infer<typeof zAcceptanceTemplateInput>;
}): Promise<AcceptanceTemplateItem> {
  return opts.db.transaction(async (tx) => {
    const [c] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.id, opts.categoryId));
    if (!c) throw notFound('category');
    const [row] = await tx.insert(acceptanceTemplateItems).values({
      id: newId(), categoryId: c.id, item: opts.input.item, criterion: opts.input.criterion, method: opts.input.method ?? null, sort: opts.input.sort,
    }).returning();
    await appendEvent({ tx, actor: opts.actor, chain: chain(c.id), type: 'acceptance.template_item_created', data: view(row!) });
    return view(row!);
  });
}

export async function updateTemplateItem(opts: {
  db: Db; actor: Actor; itemId: string; patch: z.infer<typeof zAcceptanceTemplatePatch>;
}): Promise<AcceptanceTemplateItem> {
  return opts.db.transaction(async (tx) => {
    const [row] = await tx.update(acceptanceTemplateItems).set(opts.patch).where(eq(acceptanceTemplateItems.id, opts.itemId)).returning();
    if (!row) throw notFound('acceptance template item');
    await appendEvent({ tx, actor: opts.actor, chain: chain(row.categoryId), type: 'acceptance.template_item_updated', data: { id: row.id, ...opts.patch } });
    return view(row);
  });
}

/** Rounds already built keep their copy of the item's text; only the link is cleared. */
export async function deleteTemplateItem(opts: { db: Db; actor: Actor; itemId: string }): Promise<void> {
  await opts.db.transaction(async (tx) => {
    const [row] = await tx.delete(acceptanceTemplateItems).where(eq(acceptanceTemplateItems.id, opts.itemId)).returning();
    if (!row) throw notFound('acceptance template item');
    await appendEvent({ tx, actor: opts.actor, chain: chain(row.categoryId), type: 'acceptance.template_item_deleted', data: view(row) });
  });
}
