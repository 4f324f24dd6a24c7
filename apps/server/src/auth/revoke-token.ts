/** Revokes an API token (its owner or an admin); later requests with it answer 401. Idempotent. */
import { eq } from 'drizzle-orm';
import type { Token } from '@closeloop/contract';
import { appendEvent } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { apiTokens } from '../db/schema.js';
import { notFound } from '../http/app-error.js';
import type { Actor } from './actor.js';
import { forgetCallers } from './resolve-actor.js';
import { toToken, tokenSnapshot } from './token-view.js';

export async function revokeToken(opts: { db: Db; actor: Actor; id: string }): Promise<Token> {
  const { db, actor, id } = opts;
  const token = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(apiTokens).where(eq(apiTokens.id, id)).for('update');
    // Someone else's token answers like a missing one: ids are not to be probed.
    if (!before || (before.userId !== actor.userId && !actor.scopes.includes('admin'))) throw notFound('token');
    if (before.revokedAt) return toToken(before);
    const [after] = await tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id)).returning();
    await appendEvent({
      tx, actor, chain: `token:${id}`, type: 'token.revoked', before: tokenSnapshot(before), after: tokenSnapshot(after!),
    });
    return toToken(after!);
  });
  forgetCallers();
  return token;
}
