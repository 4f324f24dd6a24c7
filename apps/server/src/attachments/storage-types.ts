/**
 * The attachment storage interface and key shape, below both implementations (local disk in
 * storage.ts, S3 in s3-storage.ts) so neither imports the other's module for its types.
 */
import type { Readable } from 'node:stream';

export interface StoredObject { key: string; modifiedAt: Date }

export interface AttachmentStorage {
  /** Takes over a checked file from the staging folder; the staged file is gone afterwards. */
  put(key: string, stagedPath: string): Promise<void>;
  /** The stored bytes; 404 NOT_FOUND when they are missing. */
  open(key: string): Promise<Readable>;
  /** Removes the bytes; a missing key is not an error. */
  remove(key: string): Promise<void>;
  /** The stored keys of one month (`yyyy/mm/`), for the clean-up of bytes whose row never committed. */
  list(monthPrefix: string): AsyncIterable<StoredObject>;
  /** S3: aborts multipart uploads begun before the cutoff (a crash mid-upload); the count. */
  abortStaleParts?(cutoff: Date): Promise<number>;
}

export const STORAGE_KEY = /^\d{4}\/\d{2}\/[0-9a-f-]{36}$/;
