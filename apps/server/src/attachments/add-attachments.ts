/**
 * Adds staged uploads to a ticket: checks each file's real type, moves the files into storage,
 * then records them and their `attachment.added` events in one transaction. All files of a
 * request are added or none: a refused file leaves no row and no stored bytes behind.
 */
import { eq, sql } from 'drizzle-orm';
import type { Attachment } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { attachments, tickets, users } from '../db/schema.js';
import { newId } from '../db/util.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import { AppError } from '../http/app-error.js';
import { toAttachment, type AttachmentRow } from './attachment-view.js';
import { sniffContentType } from './sniff-content-type.js';
import { storageKey, type AttachmentStorage } from './storage.js';
import type { StagedFile } from './stage-upload.js';

export interface AddAttachmentsOptions {
  db: Db;
  storage: AttachmentStorage;
  actor: Actor;
  /** A ticket the caller may see (checked by the caller). */
  ticketId: string;
  /** Staged files; those moved into storage no longer exist at their temp path. */
  files: StagedFile[];
}

export async function addAttachments(opts: AddAttachmentsOptions): Promise<Attachment[]> {
  const { db, storage, actor, ticketId, files } = opts;
  const checked: { file: StagedFile; contentType: string }[] = [];
  for (const file of files) {
    if (file.size === 0) {
      throw new AppError('VALIDATION_FAILED', `file: ${file.filename} is empty`, [{ path: 'file', message: `${file.filename} is empty` }]);
    }
    const contentType = await sniffContentType({ path: file.tempPath, filename: file.filename, validUtf8: file.validUtf8 });
    if (!contentType) {
      const message = `${file.filename}: only photos (JPEG, PNG, GIF, WebP), videos (MP4, MOV), PDF, Word, Excel, PowerPoint and UTF-8 text files are accepted`;
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', `file: ${message}`, [{ path: 'file', message }]);
    }
    checked.push({ file, contentType });
  }

  const now = new Date();
  const rows: AttachmentRow[] = checked.map(({ file, contentType }) => {
    const id = newId(now.getTime());
    return {
      id, ticketId, uploadedById: actor.userId, filename: file.filename, contentType, size: file.size,
      sha256: file.sha256, storageKey: storageKey(id, now), createdAt: now,
    };
  });
  const stored: string[] = [];
  try {
    for (const [i, row] of rows.entries()) {
      await storage.put(row.storageKey, checked[i]!.file.tempPath);
      stored.push(row.storageKey);
    }
    await db.transaction(async (tx) => {
      await tx.insert(attachments).values(rows);
      for (const row of rows) {
        await appendEvent({
          tx, actor, chain: ticketChain(ticketId), ticketId, type: 'attachment.added', at: now,
          data: { id: row.id, filename: row.filename, size: row.size, contentType: row.contentType },
        });
      }
      await tx.update(tickets).set({ updatedAt: sql`now()` }).where(eq(tickets.id, ticketId));
    });
  } catch (err) {
    // Bytes without a row would be unreachable and never cleaned up.
    await Promise.allSettled(stored.map((key) => storage.remove(key)));
    throw err;
  }

  const [uploader] = actor.userId
    ? await db.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.id, actor.userId)).limit(1)
    : [];
  return rows.map((row) => toAttachment(row, uploader ?? null));
}
