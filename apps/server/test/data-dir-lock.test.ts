/**
 * One process per embedded data folder: a second closeloop process (here the CLI, as an operator
 * would run it next to the server) is refused while the folder is open, and works once it is not.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'closeloop-lock-'));
  dirs.push(d);
  return d;
};
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

/** `npm run cli -- verify-audit` as a separate process on the given data folder. */
function runCliProcess(dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'apps/server/src/cli.ts', 'verify-audit'], {
      cwd: repoRoot,
      env: { ...process.env, CLOSELOOP_DATA_DIR: dataDir, DATABASE_URL: '', CLOSELOOP_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the embedded data folder lock', () => {
  it('refuses a second process while the folder is open, and lets it in afterwards', async () => {
    const dir = tempDir();
    const database = await openDatabase({ dataDir: dir });
    let closed = false;
    try {
      const refused = await runCliProcess(dir);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('in use by another closeloop process');
      expect(refused.stderr).toContain(`pid ${process.pid}`);
      await database.close();
      closed = true;
      const after = await runCliProcess(dir);
      expect(after.stderr).toBe('');
      expect(after.code).toBe(0);
      expect(after.stdout).toContain('audit log intact');
    } finally {
      if (!closed) await database.close();
    }
  }, 120_000);

  it('takes over a lock left by a process that is gone', async () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', '']);
    expect(dead.pid).toBeGreaterThan(0);
    fs.writeFileSync(path.join(dir, 'closeloop.lock'), String(dead.pid));
    const database = await openDatabase({ dataDir: dir });
    try {
      expect(fs.readFileSync(path.join(dir, 'closeloop.lock'), 'utf8')).toBe(String(process.pid));
    } finally {
      await database.close();
    }
    expect(fs.existsSync(path.join(dir, 'closeloop.lock'))).toBe(false);
  }, 60_000);
});
