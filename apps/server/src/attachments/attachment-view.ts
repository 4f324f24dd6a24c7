/** Attachments as the API shows them, with the download URL the web app links to. */
import type { Attachment } from '@closeloop/contract';
import type { attachments } from '../db/schema.js';

export type AttachmentRow = typeof attachments.$inferSelect;

export const attachmentUrl = (id: string) => `/api/v1/attachments/${id}`;

export function toAttachment(row: AttachmentRow, uploader: { id: string; displayName: string } | null): Attachment {
  return {
    id: row.id,
    ticketId: row.ticketId,
    filename: row.filename,
    contentType: row.contentType,
    size: row.size,
    sha256: row.sha256,
    uploadedBy: uploader,
    createdAt: row.createdAt.toISOString(),
    url: attachmentUrl(row.id),
  };
}
