/**
 * Changes a category (admin). There is no delete: tickets keep pointing at their category, so
 * retiring one is `active: false`, which hides it from new intake.
 */
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Category, zCategoryUpdate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { categories } from '../db/schema.js';
import { appendEvent } from '../audit/append-event.js';
import { canonicalJson } from '../audit/hash.js';
import { invalidField, notFound } from '../http/app-error.js';
import { toCategory } from './category-view.js';
import { checkCategoryDefaults } from './check-category-defaults.js';
import { checkCustomFields, normalizeCustomFields } from './check-custom-fields.js';
import { forgetAfterPublish, publishFormVersion } from '../forms/form-store.js';
import { fromLegacyFields } from '../forms/legacy-fields.js';
import { categoryChain } from './create-category.js';

export type CategoryUpdateInput = z.output<typeof zCategoryUpdate>;

type Changes = Partial<Omit<Category, 'id' | 'code'>>;

function changesOf(input: CategoryUpdateInput): Changes {
  const c: Changes = {};
  if (input.name !== undefined) c.name = input.name;
  if (input.nameEn !== undefined) c.nameEn = input.nameEn || null;
  if (input.processTemplate !== undefined) c.processTemplate = input.processTemplate;
  if (input.defaultDepartmentId !== undefined) c.defaultDepartmentId = input.defaultDepartmentId;
  if (input.defaultOwnerId !== undefined) c.defaultOwnerId = input.defaultOwnerId;
  if (input.defaultPriority !== undefined) c.defaultPriority = input.defaultPriority;
  if (input.customFields !== undefined) c.customFields = normalizeCustomFields(input.customFields);
  if (input.sort !== undefined) c.sort = input.sort;
  if (input.active !== undefined) c.active = input.active;
  return c;
}

export async function updateCategory(opts: { db: Db; actor: Actor; id: string; input: CategoryUpdateInput }): Promise<Category> {
  const { db, actor, id, input } = opts;
  const wanted = changesOf(input);
  if (Object.keys(wanted).length === 0) throw invalidField('body', 'nothing to change');
  await checkCategoryDefaults({
    db,
    defaultDepartmentId: wanted.defaultDepartmentId,
    defaultOwnerId: wanted.defaultOwnerId,
    problems: wanted.customFields ? checkCustomFields(wanted.customFields) : [],
  });

  const result = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(categories).where(eq(categories.id, id)).for('update').limit(1);
    if (!row) throw notFound('category');
    const current = toCategory(row);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(wanted) as [keyof Changes, unknown][]) {
      if (canonicalJson(current[key]) === canonicalJson(value)) continue;
      before[key] = current[key];
      after[key] = value;
    }
    // Saving the form unchanged is not an event.
    if (Object.keys(after).length === 0) return current;
    const [updated] = await tx.update(categories).set(after as Partial<typeof categories.$inferInsert>)
      .where(eq(categories.id, id)).returning();
    await appendEvent({ tx, actor, chain: categoryChain(id), type: 'category.updated', before, after });
    // The old whole-list field API: a changed list is published as the form's next version.
    if (after.customFields) await publishFormVersion({ tx, actor, categoryId: id, fields: fromLegacyFields(wanted.customFields!) });
    return toCategory(updated!);
  });
  forgetAfterPublish();
  return result;
}
