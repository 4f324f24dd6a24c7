/** One category by id; 404 when missing. */
import { eq } from 'drizzle-orm';
import type { Category } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { categories } from '../db/schema.js';
import { notFound } from '../http/app-error.js';
import { toCategory } from './category-view.js';

export async function getCategory(opts: { db: DbOrTx; id: string }): Promise<Category> {
  const [row] = await opts.db.select().from(categories).where(eq(categories.id, opts.id)).limit(1);
  if (!row) throw notFound('category');
  return toCategory(row);
}
