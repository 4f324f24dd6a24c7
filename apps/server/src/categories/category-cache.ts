/**
 * Categories as intake reads them (defaults, process template, custom fields), kept for under a
 * second. Creating or editing a category drops them at once here; other instances follow
 * within REFERENCE_TTL_MS.
 */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { categories } from '../db/schema.js';
import { cachePerDatabase, REFERENCE_TTL_MS } from '../cache/ttl-cache.js';

export type CategoryRow = typeof categories.$inferSelect;

const categoryCache = cachePerDatabase<CategoryRow | null>(REFERENCE_TTL_MS, 1_000);

export function forgetCategories(): void {
  categoryCache.clearAll();
}

export async function categoryById(db: DbOrTx, id: string): Promise<CategoryRow | null> {
  return categoryCache(db).get(id, async () => {
    const [row] = await db.select().from(categories).where(eq(categories.id, id));
    return row ?? null;
  });
}
