/**
 * Streams one uploaded file into the staging folder, computing its sha256, size and (for text
 * names) UTF-8 validity on the way, so nothing is held in memory and nothing is read twice.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { pipeline } from 'node:stream/promises';
import { newId } from '../db/util.js';
import { AppError } from '../http/app-error.js';
import { TEXT_NAME } from './sniff-content-type.js';

export interface StagedFile {
  tempPath: string;
  /** Already sanitised. */
  filename: string;
  size: number;
  sha256: string;
  validUtf8: boolean;
  /** The size limit cut the file short: it must be refused. */
  truncated: boolean;
}

export interface StageUploadOptions {
  stream: Readable;
  filename: string;
  dir: string;
}

export async function stageUpload(opts: StageUploadOptions): Promise<StagedFile> {
  await fsp.mkdir(opts.dir, { recursive: true });
  const tempPath = path.join(opts.dir, `${newId()}.part`);
  const hash = createHash('sha256');
  let size = 0;
  let decoder: TextDecoder | null = TEXT_NAME.test(opts.filename) ? new TextDecoder('utf-8', { fatal: true }) : null;
  let validUtf8 = decoder !== null;
  const measure = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      if (decoder) {
        try {
          decoder.decode(chunk, { stream: true });
        } catch {
          validUtf8 = false;
          decoder = null;
        }
      }
      done(null, chunk);
    },
    flush(done) {
      if (decoder) {
        try {
          decoder.decode(); // an incomplete sequence at the very end is invalid too
        } catch {
          validUtf8 = false;
        }
      }
      done();
    },
  });
  try {
    await pipeline(opts.stream, measure, fs.createWriteStream(tempPath, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    await fsp.rm(tempPath, { force: true });
    throw err;
  }
  return {
    tempPath,
    filename: opts.filename,
    size,
    sha256: hash.digest('hex'),
    validUtf8,
    truncated: (opts.stream as Readable & { truncated?: boolean }).truncated === true,
  };
}

/**
 * A multipart body the parser gave up on (truncated, no or an unusable boundary, broken part
 * headers, a client that went away) is the client's fault: 400, not 500. Errors that already
 * carry a status, and file-system errors while staging (a full disk: ours), are left as they are.
 */
export function malformedMultipart(err: unknown): AppError | null {
  if (!(err instanceof Error) || err instanceof AppError) return null;
  const e = err as Error & { statusCode?: number; syscall?: string };
  if (typeof e.statusCode === 'number' || typeof e.syscall === 'string') return null;
  return new AppError('VALIDATION_FAILED', `malformed multipart/form-data body: ${err.message}`, [
    { path: 'body', message: 'malformed multipart/form-data' },
  ]);
}
