/**
 * Follow-up link tokens: `<link id>.<ticket id>.<expiry>.<HMAC>` (ids as base64url bytes, ~75 characters), signed with a server secret
 * (HMAC-SHA256 over all three parts), so a token names one link of one ticket and cannot be
 * altered to reach another ticket or to live longer. Only the token's sha256 is stored
 * (follow_up_links.token_hash). The token can be recomputed from the link row and the secret,
 * which lets the e-mail be rendered at delivery without keeping the token anywhere.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { randomSecret, sha256 } from '../auth/secrets.js';
import type { DbOrTx } from '../db/client.js';
import { serverSecrets } from '../db/schema.js';

const SECRET_NAME = 'followup_link_hmac';
const secrets = new WeakMap<object, string>();

/**
 * The HMAC key, shared by every instance through the database: created on first use (the first
 * writer wins; everyone reads the winner's). `CLOSELOOP_FOLLOWUP_SECRET` overrides it.
 */
export async function followupSecret(db: DbOrTx): Promise<string> {
  const env = process.env.CLOSELOOP_FOLLOWUP_SECRET;
  if (env && env.length >= 16) return env;
  const cached = secrets.get(db);
  if (cached) return cached;
  await db.insert(serverSecrets).values({ name: SECRET_NAME, value: randomSecret(32) })
    .onConflictDoNothing({ target: serverSecrets.name });
  const [row] = await db.select({ value: serverSecrets.value }).from(serverSecrets).where(eq(serverSecrets.name, SECRET_NAME));
  secrets.set(db, row!.value);
  return row!.value;
}

/** A uuid as 22 base64url characters (its 16 bytes), and back: short links. */
const short = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
function uuidOf(b64: string): string {
  const h = Buffer.from(b64, 'base64url').toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function signature(secret: string, link: string, ticket: string, exp: string): string {
  return createHmac('sha256', secret).update(`followup:${link}.${ticket}.${exp}`).digest('base64url').slice(0, 22);
}

export function signFollowupToken(secret: string, o: { linkId: string; ticketId: string; expiresAt: Date }): string {
  const exp = Math.floor(o.expiresAt.getTime() / 1000).toString(36);
  const l = short(o.linkId);
  const t = short(o.ticketId);
  return `${l}.${t}.${exp}.${signature(secret, l, t, exp)}`;
}

export interface VerifiedToken { linkId: string; ticketId: string; expiresAt: Date; hash: string }

/** The token's parts when its signature holds (expiry is checked by the caller), else null. */
export function verifyFollowupToken(secret: string, token: string): VerifiedToken | null {
  const m = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const [, l, t, exp, sig] = m as unknown as [string, string, string, string, string];
  const expected = Buffer.from(signature(secret, l, t, exp));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { linkId: uuidOf(l), ticketId: uuidOf(t), expiresAt: new Date(parseInt(exp, 36) * 1000), hash: sha256(token) };
}

export const tokenHash = sha256;

/** The customer's page for a token (web route outside the staff layout). */
export function followupUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/$/, '')}/f/${token}`;
}
