/**
 * The follow-up e-mail's link, computed when the e-mail is sent: the token is recomputed from
 * the link row and the secret, so it is stored nowhere (e-mail data holds only the link id).
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { followUpLinks } from '../db/schema.js';
import { followupSecret, followupUrl, signFollowupToken } from './link-token.js';

export async function followupEmailLink(db: Db, data: Record<string, unknown>, baseUrl: string): Promise<string | null> {
  const linkId = typeof data.linkId === 'string' ? data.linkId : null;
  if (!linkId) return null;
  const [link] = await db.select({ ticketId: followUpLinks.ticketId, expiresAt: followUpLinks.expiresAt })
    .from(followUpLinks).where(eq(followUpLinks.id, linkId));
  if (!link) return null;
  const token = signFollowupToken(await followupSecret(db), { linkId, ticketId: link.ticketId, expiresAt: link.expiresAt });
  return followupUrl(baseUrl, token);
}
