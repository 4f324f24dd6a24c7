/**
 * Where attachment bytes live, behind a tiny interface so S3-compatible storage can replace the
 * local disk when several instances share the work (SPEC §8). Keys are made by the server
 * (`yyyy/mm/<attachment id>`), never from user input.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { notFound } from '../http/app-error.js';
import { s3Storage } from './s3-storage.js';
import { STORAGE_KEY, type AttachmentStorage, type StoredObject } from './storage-types.js';

export { STORAGE_KEY, type AttachmentStorage, type StoredObject };

const KEY = STORAGE_KEY;

export function storageKey(id: string, at: Date): string {
  const yyyy = String(at.getUTCFullYear()).padStart(4, '0');
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  return `${yyyy}/${mm}/${id}`;
}

/** Uploads are written here first, then moved into storage once their type is checked. */
export function stagingDir(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'attachments', 'tmp');
}

export function localDiskStorage(root: string): AttachmentStorage {
  const fileOf = (key: string) => {
    // Keys come from storageKey(); anything else must not reach the file system.
    if (!KEY.test(key)) throw new Error(`bad storage key ${key}`);
    return path.join(root, ...key.split('/'));
  };
  return {
    async put(key, stagedPath) {
      const target = fileOf(key);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      // Same file system as the staging folder: a rename, no second copy of a large video.
      await fsp.rename(stagedPath, target);
    },
    async open(key) {
      let handle: fsp.FileHandle;
      try {
        handle = await fsp.open(fileOf(key), 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('attachment file');
        throw err;
      }
      return handle.createReadStream({ autoClose: true });
    },
    async remove(key) {
      await fsp.rm(fileOf(key), { force: true });
    },
    async *list(monthPrefix) {
      const dir = path.join(root, ...monthPrefix.split('/').filter(Boolean));
      const names = await fsp.readdir(dir).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return [] as string[];
        throw err;
      });
      for (const id of names) {
        const key = `${monthPrefix}${id}`;
        if (!KEY.test(key)) continue;
        const stat = await fsp.stat(path.join(dir, id)).catch(() => null);
        if (stat?.isFile()) yield { key, modifiedAt: stat.mtime };
      }
    },
  };
}

const shared = new WeakMap<object, AttachmentStorage>();

/**
 * The storage configured for this instance: S3-compatible when CLOSELOOP_S3_BUCKET is set (one
 * client per configuration), else local disk under the data folder. Staging stays on local disk.
 */
export function attachmentStorage(config: Pick<Config, 'dataDir'> & { s3?: Config['s3'] }): AttachmentStorage {
  if (!config.s3) return localDiskStorage(path.join(config.dataDir, 'attachments'));
  let storage = shared.get(config.s3);
  if (!storage) {
    storage = s3Storage(config.s3);
    shared.set(config.s3, storage);
  }
  return storage;
}
