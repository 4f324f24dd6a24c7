/** The category list: for the intake form's picker and the settings page. */
import { asc, eq } from 'drizzle-orm';
import type { Category } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { categories } from '../db/schema.js';
import { toCategory } from './category-view.js';

export interface ListCategoriesOptions {
  db: DbOrTx;
  /** true: only categories new tickets may use. */
  activeOnly?: boolean;
}

export async function listCategories(opts: ListCategoriesOptions): Promise<Category[]> {
  const rows = await opts.db.select().from(categories)
    .where(opts.activeOnly ? eq(categories.active, true) : undefined)
    .orderBy(asc(categories.sort), asc(categories.name), asc(categories.id));
  return rows.map(toCategory);
}
