/** An attachment's stored bytes, for a caller who may see its ticket (404 otherwise). */
import type { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { attachments, tickets } from '../db/schema.js';
import { notFound } from '../http/app-error.js';
import { canSeeTicket } from '../tickets/access.js';
import type { AttachmentRow } from './attachment-view.js';
import type { AttachmentStorage } from './storage.js';

export interface OpenAttachmentOptions {
  db: DbOrTx;
  storage: AttachmentStorage;
  actor: Actor;
  id: string;
}

export async function openAttachment(opts: OpenAttachmentOptions): Promise<{ attachment: AttachmentRow; stream: Readable }> {
  const [row] = await opts.db
    .select({
      a: attachments, customerId: tickets.customerId, departmentId: tickets.departmentId,
      ownerId: tickets.ownerId, createdById: tickets.createdById, measureOwnerIds: tickets.measureOwnerIds,
      responsibleDepartmentId: tickets.responsibleDepartmentId,
    })
    .from(attachments)
    .innerJoin(tickets, eq(tickets.id, attachments.ticketId))
    .where(eq(attachments.id, opts.id))
    .limit(1);
  if (!row || !canSeeTicket(opts.actor, row)) throw notFound('attachment');
  return { attachment: row.a, stream: await opts.storage.open(row.a.storageKey) };
}
