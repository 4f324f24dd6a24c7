/**
 * Creates or changes a tag (admin). A parent must exist, and the hierarchy stays at most three
 * levels deep and free of cycles; names are unique among siblings.
 */
import { eq } from 'drizzle-orm';
import type { Tag, TagCreate, TagUpdate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { tags } from '../db/schema.js';
import { isUniqueViolation, newId } from '../db/util.js';
import { AppError, invalidField, notFound } from '../http/app-error.js';
import { listTags } from './list-tags.js';
import { forgetRouting, loadRoutingData } from './routing-cache.js';

const MAX_DEPTH = 3;

async function checkParent(db: Db, id: string | null, parentId: string | null | undefined): Promise<void> {
  if (!parentId) return;
  const data = await loadRoutingData(db);
  let depth = 1;
  for (let cur = data.tags.get(parentId); cur; cur = cur.parentId ? data.tags.get(cur.parentId) : undefined) {
    if (cur.id === id) throw invalidField('parentId', 'a tag cannot be placed below itself');
    depth += 1;
  }
  if (!data.tags.has(parentId)) throw invalidField('parentId', 'no such tag');
  if (depth > MAX_DEPTH) throw invalidField('parentId', `tags nest at most ${MAX_DEPTH} levels`);
}

const taken = () => new AppError('CONFLICT', 'a tag of this name already exists here', [{ path: 'name', message: 'already used', code: 'conflict' }]);

export async function saveTag(opts: { db: Db; actor: Actor; id?: string; input: TagCreate | TagUpdate }): Promise<Tag> {
  const { db, actor, input } = opts;
  forgetRouting();
  await checkParent(db, opts.id ?? null, input.parentId);
  const id = opts.id ?? newId();
  try {
    await db.transaction(async (tx) => {
      if (opts.id) {
        const [before] = await tx.select().from(tags).where(eq(tags.id, id)).for('update');
        if (!before) throw notFound('tag');
        const [after] = await tx.update(tags).set({ ...input, updatedAt: new Date() }).where(eq(tags.id, id)).returning();
        await appendEvent({ tx, actor, chain: `tag:${id}`, type: 'tag.updated', before, after: after! });
      } else {
        const c = input as TagCreate;
        const [row] = await tx.insert(tags).values({
          id, name: c.name, parentId: c.parentId ?? null, keywords: c.keywords, synonyms: c.synonyms, active: c.active,
        }).returning();
        await appendEvent({ tx, actor, chain: `tag:${id}`, type: 'tag.created', after: row! });
      }
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
  forgetRouting();
  const tag = (await listTags({ db })).find((t) => t.id === id);
  if (!tag) throw notFound('tag');
  return tag;
}
