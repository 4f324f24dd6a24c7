/** A ticket's attachments, oldest first (the order they were added to the story). */
import { asc, eq } from 'drizzle-orm';
import type { Attachment } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { attachments, users } from '../db/schema.js';
import { toAttachment } from './attachment-view.js';
import { findVisibleTicket } from '../tickets/access.js';

export async function listAttachments(opts: { db: DbOrTx; actor: Actor; ticketId: string }): Promise<Attachment[]> {
  const { db } = opts;
  await findVisibleTicket(opts);
  const rows = await db
    .select({ a: attachments, uploaderId: users.id, uploaderName: users.displayName })
    .from(attachments)
    .leftJoin(users, eq(users.id, attachments.uploadedById))
    .where(eq(attachments.ticketId, opts.ticketId))
    .orderBy(asc(attachments.createdAt), asc(attachments.id));
  return rows.map((r) => toAttachment(r.a, r.uploaderId ? { id: r.uploaderId, displayName: r.uploaderName! } : null));
}
