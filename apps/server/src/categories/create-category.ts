/** Creates a category (admin). The code is the stable handle rules and imports refer to. */
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Category, zCategoryCreate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { categories } from '../db/schema.js';
import { isUniqueViolation, newId } from '../db/util.js';
import { appendEvent } from '../audit/append-event.js';
import { AppError } from '../http/app-error.js';
import { toCategory } from './category-view.js';
import { checkCategoryDefaults } from './check-category-defaults.js';
import { checkCustomFields, normalizeCustomFields } from './check-custom-fields.js';
import { forgetAfterPublish, publishFormVersion } from '../forms/form-store.js';
import { fromLegacyFields } from '../forms/legacy-fields.js';

export type CategoryCreateInput = z.output<typeof zCategoryCreate>;

export const categoryChain = (id: string) => `category:${id}`;

const codeTaken = (code: string) =>
  new AppError('CONFLICT', `category code ${code} is already used`, [{ path: 'code', message: 'already used', code: 'conflict' }]);

export async function createCategory(opts: { db: Db; actor: Actor; input: CategoryCreateInput }): Promise<Category> {
  const { db, actor, input } = opts;
  await checkCategoryDefaults({
    db,
    defaultDepartmentId: input.defaultDepartmentId,
    defaultOwnerId: input.defaultOwnerId,
    problems: checkCustomFields(input.customFields),
  });
  const [existing] = await db.select({ id: categories.id }).from(categories).where(eq(categories.code, input.code)).limit(1);
  if (existing) throw codeTaken(input.code);

  const id = newId();
  try {
    const created = await db.transaction(async (tx) => {
      const [row] = await tx.insert(categories).values({
        id,
        code: input.code,
        name: input.name,
        nameEn: input.nameEn || null,
        processTemplate: input.processTemplate,
        defaultDepartmentId: input.defaultDepartmentId ?? null,
        defaultOwnerId: input.defaultOwnerId ?? null,
        defaultPriority: input.defaultPriority,
        customFields: normalizeCustomFields(input.customFields),
        sort: input.sort,
      }).returning();
      const category = toCategory(row!);
      await appendEvent({ tx, actor, chain: categoryChain(id), type: 'category.created', after: category });
      // Form engine: every category has a form version 1 for its tickets to point at.
      await publishFormVersion({ tx, actor, categoryId: id, fields: fromLegacyFields(category.customFields) });
      return category;
    });
    forgetAfterPublish();
    return created;
  } catch (err) {
    // Two admins creating the same code at once: the unique index decides.
    if (isUniqueViolation(err)) throw codeTaken(input.code);
    throw err;
  }
}
