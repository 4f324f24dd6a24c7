/**
 * Creates an API token for the caller. The secret (`clt_` + 32 random bytes) is returned once;
 * the database keeps its sha256 and a short prefix to recognise it by. A token never carries a
 * scope its creator lacks, so a token cannot mint a stronger one.
 */
import type { TokenCreate, TokenCreated } from '@closeloop/contract';
import { appendEvent } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { apiTokens } from '../db/schema.js';
import { newId } from '../db/util.js';
import { forbidden, invalidField } from '../http/app-error.js';
import { isStaff, type Actor } from './actor.js';
import { randomSecret, sha256, TOKEN_PREFIX } from './secrets.js';
import { toToken, tokenSnapshot } from './token-view.js';

const DAY_MS = 24 * 60 * 60 * 1000;
export const TOKEN_DISPLAY_PREFIX_LENGTH = 8;

export async function createToken(opts: { db: Db; actor: Actor; input: TokenCreate }): Promise<TokenCreated> {
  const { db, actor, input } = opts;
  if (!actor.userId || !isStaff(actor)) throw forbidden('customers cannot create API tokens');
  const scopes = [...new Set(input.scopes)];
  const extra = scopes.filter((s) => !actor.scopes.includes(s));
  if (extra.length) throw invalidField('scopes', `not yours to give: ${extra.join(', ')}`);
  const secret = `${TOKEN_PREFIX}${randomSecret(32)}`;
  const userId = actor.userId;
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(apiTokens).values({
      id: newId(),
      name: input.name,
      prefix: secret.slice(0, TOKEN_DISPLAY_PREFIX_LENGTH),
      tokenHash: sha256(secret),
      userId,
      scopes,
      createdBy: userId,
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null,
    }).returning();
    await appendEvent({ tx, actor, chain: `token:${row!.id}`, type: 'token.created', after: tokenSnapshot(row!) });
    return { ...toToken(row!), token: secret };
  });
}
