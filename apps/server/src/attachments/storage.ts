/**
 * Where attachment bytes live, behind a tiny interface so S3-compatible storage can replace the
 * local disk when several instances share the work (SPEC §8). Keys are made by the server
 * (`yyyy/mm/<attachment id>`), never from user input.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import { notFound } from '../http/app-error.js';

export interface AttachmentStorage {
  /** Takes over a checked file from the staging folder; the staged file is gone afterwards. */
  put(key: string, stagedPath: string): Promise<void>;
  /** The stored bytes; 404 NOT_FOUND when they are missing. */
  open(key: string): Promise<Readable>;
  /** Removes the bytes; a missing key is not an error. */
  remove(key: string): Promise<void>;
}

const KEY = /^\d{4}\/\d{2}\/[0-9a-f-]{36}$/;

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
  };
}

/** The storage configured for this instance: local disk under the data folder. */
export function attachmentStorage(config: Pick<Config, 'dataDir'>): AttachmentStorage {
  return localDiskStorage(path.join(config.dataDir, 'attachments'));
}
