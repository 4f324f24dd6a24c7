import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeStaleUploads } from './remove-stale-uploads.js';
import { stagingDir } from './storage.js';

describe('removeStaleUploads', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'closeloop-stale-'));
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('removes staged files older than an hour and keeps fresh ones', async () => {
    const dir = stagingDir({ dataDir });
    fs.mkdirSync(dir, { recursive: true });
    const old = path.join(dir, 'old-upload');
    const fresh = path.join(dir, 'fresh-upload');
    fs.writeFileSync(old, 'x');
    fs.writeFileSync(fresh, 'y');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(old, twoHoursAgo, twoHoursAgo);

    expect(await removeStaleUploads({ config: { dataDir } })).toBe(1);
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
  });

  it('does nothing when nothing was ever uploaded', async () => {
    expect(await removeStaleUploads({ config: { dataDir: path.join(dataDir, 'never') } })).toBe(0);
  });
});
