/** The caller's API tokens; an admin sees everyone's. */
import { desc, eq } from 'drizzle-orm';
import type { Token } from '@closeloop/contract';
import type { Db } from '../db/client.js';
import { apiTokens } from '../db/schema.js';
import type { Actor } from './actor.js';
import { toToken } from './token-view.js';

export async function listTokens(opts: { db: Db; actor: Actor }): Promise<Token[]> {
  const { db, actor } = opts;
  const all = actor.scopes.includes('admin');
  const rows = await db.select().from(apiTokens)
    .where(all ? undefined : eq(apiTokens.userId, actor.userId ?? ''))
    .orderBy(desc(apiTokens.createdAt))
    .limit(1000);
  return rows.map(toToken);
}
