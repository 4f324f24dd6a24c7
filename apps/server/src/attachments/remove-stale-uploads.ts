/**
 * Uploads are staged before their type is checked; a crash between staging and the move into
 * storage leaves the staged file behind. Run at start-up. Only files older than an hour are
 * removed, because another instance sharing the folder may be receiving an upload right now.
 * With a database and a storage given, bytes a crash left in storage without their attachment
 * row (moved in, transaction never committed) go too, and on S3 multipart uploads never finished.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { inArray } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { DbOrTx } from '../db/client.js';
import { attachments } from '../db/schema.js';
import { stagingDir, storageKey, type AttachmentStorage } from './storage.js';

export const STALE_UPLOAD_MS = 60 * 60 * 1000;

export async function removeStaleUploads(opts: { config: Pick<Config, 'dataDir'>; now?: Date }): Promise<number> {
  const dir = stagingDir(opts.config);
  const cutoff = (opts.now ?? new Date()).getTime() - STALE_UPLOAD_MS;
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    const stat = await fsp.stat(file).catch(() => null);
    if (stat?.isFile() && stat.mtimeMs < cutoff) {
      await fsp.rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}

/**
 * Stored bytes older than the cutoff that no attachment row names; checked 500 keys at a time.
 * Keys start with the month they were stored in: only this month and the last are looked at, so
 * a start-up never walks years of files (a crash is found by the next start, not months later).
 */
export async function removeOrphanedFiles(opts: { db: DbOrTx; storage: AttachmentStorage; now?: Date }): Promise<number> {
  const cutoff = new Date((opts.now ?? new Date()).getTime() - STALE_UPLOAD_MS);
  let removed = (await opts.storage.abortStaleParts?.(cutoff)) ?? 0;
  let batch: string[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const known = await opts.db.select({ key: attachments.storageKey }).from(attachments).where(inArray(attachments.storageKey, batch));
    const keep = new Set(known.map((k) => k.key));
    for (const key of batch) {
      if (keep.has(key)) continue;
      await opts.storage.remove(key);
      removed++;
    }
    batch = [];
  };
  const months = [cutoff, new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth() - 1, 1))]
    .map((d) => storageKey('00000000-0000-0000-0000-000000000000', d).slice(0, 8));
  for (const month of [...new Set(months)].toReversed()) {
    for await (const o of opts.storage.list(month)) {
      if (o.modifiedAt >= cutoff) continue;
      batch.push(o.key);
      if (batch.length >= 500) await flush();
    }
  }
  await flush();
  return removed;
}
