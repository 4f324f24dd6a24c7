/**
 * Uploads are staged before their type is checked; a crash between staging and the move into
 * storage leaves the staged file behind. Run at start-up. Only files older than an hour are
 * removed, because another instance sharing the folder may be receiving an upload right now.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { stagingDir } from './storage.js';

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
