/** The tag library with paths, roots first then by path (settings page, filters, pickers). */
import type { Tag } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { loadRoutingData } from './routing-cache.js';

export async function listTags(opts: { db: DbOrTx; activeOnly?: boolean }): Promise<Tag[]> {
  const data = await loadRoutingData(opts.db);
  return [...data.tags.values()]
    .filter((t) => !opts.activeOnly || t.active)
    .sort((a, b) => a.path.localeCompare(b.path, 'zh-CN'))
    .map((t) => ({ id: t.id, name: t.name, parentId: t.parentId, path: t.path, keywords: t.keywords, synonyms: t.synonyms, active: t.active }));
}
