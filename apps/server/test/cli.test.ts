/**
 * The operator CLI, run in-process: against a fresh PostgreSQL database when TEST_DATABASE_URL is
 * set, otherwise against a temporary PGlite data folder (each command then opens and locks it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { rowsOf } from '../src/db/util.js';
import { createPgDatabase, hasPostgres, type Backend } from './backends.js';
import { createTestApp, json, login, makeDepartment } from './harness.js';

const target = hasPostgres ? 'postgres' : 'pglite';

describe(`CLI on ${target}`, () => {
  let env: Record<string, string>;
  let open: () => Promise<Database>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'closeloop-cli-'));
    if (hasPostgres) {
      const pg = await createPgDatabase();
      env = { DATABASE_URL: pg.url, CLOSELOOP_DATA_DIR: dataDir };
      open = () => openDatabase({ databaseUrl: pg.url });
      cleanup = pg.drop;
    } else {
      env = { CLOSELOOP_DATA_DIR: dataDir };
      open = () => openDatabase({ dataDir });
      cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
    }
    env.CLOSELOOP_LOG_LEVEL = 'silent';
    const database = await open();
    await makeDepartment(database.db, { code: 'after-sales', name: '售后服务部' });
    await database.close();
  });
  afterAll(async () => { await cleanup?.(); });

  async function cli(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      env,
      stdout: { write: (s: string) => { stdout += s; } },
      stderr: { write: (s: string) => { stderr += s; } },
    });
    return { code, stdout, stderr };
  }

  /** The server on the CLI's database, for as long as `use` runs (PGlite allows one process at a time). */
  async function withApp<T>(use: (t: Awaited<ReturnType<typeof createTestApp>>) => Promise<T>): Promise<T> {
    const backend: Backend = { name: target, open };
    const t = await createTestApp(backend);
    try {
      return await use(t);
    } finally {
      await t.close();
    }
  }

  it('prints help', async () => {
    const res = await cli('help');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('create-user');
    expect(res.stdout).toContain('in use by another closeloop process');
  });

  it('creates a user who can then sign in', async () => {
    const res = await cli('create-user', '--username', 'li.lei', '--password', 'li-lei-pass', '--role', 'agent',
      '--name', '李雷', '--department', 'after-sales');
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout).toContain('created user li.lei');
    await withApp(async (t) => {
      const session = await login(t.app, 'li.lei', 'li-lei-pass');
      const me = json(await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: session }));
      expect(me).toMatchObject({ displayName: '李雷', role: 'agent', departments: [{ name: '售后服务部' }] });
    });
  });

  it('refuses bad options and duplicates on stderr with a non-zero exit', async () => {
    const dup = await cli('create-user', '--username', 'LI.LEI', '--password', 'another-pass', '--role', 'agent');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already taken');
    const bad = await cli('create-user', '--username', 'han.meimei', '--password', 'short', '--role', 'boss');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--password/);
    expect(bad.stderr).toMatch(/--role/);
    const dept = await cli('create-user', '--username', 'han.meimei', '--password', 'long-enough', '--role', 'agent', '--department', 'nope');
    expect(dept.code).toBe(2);
    expect(dept.stderr).toContain('nope');
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
    expect((await cli('reset-password', '--username', 'nobody')).code).toBe(1);
  });

  it('resets a password to a printed random one and ends the sessions', async () => {
    const cookie = await withApp(async (t) => (await login(t.app, 'li.lei', 'li-lei-pass')).cookie);
    const res = await cli('reset-password', '--username', 'li.lei');
    expect(res.code).toBe(0);
    const password = /shown once\): (\S+)/.exec(res.stdout)?.[1];
    expect(password).toHaveLength(16);
    await withApp(async (t) => {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
      const old = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'li.lei', password: 'li-lei-pass' } });
      expect(old.statusCode).toBe(401);
      await login(t.app, 'li.lei', password!);
    });
    const given = await cli('reset-password', '--username', 'li.lei', '--password', 'chosen-pass-1');
    expect(given.code).toBe(0);
    expect(given.stdout).not.toContain('chosen-pass-1');
  });

  it('verifies the audit log: exit 0 when intact, 1 with the first broken link when not', async () => {
    const ok = await cli('verify-audit');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/checked \d+ events in \d+ chains/);

    const database = await open();
    let tampered: { id: number; chain: string; seq: number };
    try {
      const rows = await database.db.execute(sql`SELECT id, chain, seq FROM audit_events WHERE seq = 2 ORDER BY id LIMIT 1`);
      tampered = rowsOf<typeof tampered>(rows)[0]!;
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`);
        await tx.execute(sql`UPDATE audit_events SET data = '{"forged":true}'::jsonb WHERE id = ${tampered.id}`);
        await tx.execute(sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`);
      });
    } finally {
      await database.close();
    }
    const broken = await cli('verify-audit');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`chain ${tampered.chain}  seq ${tampered.seq}  event ${Number(tampered.id)}  hash_mismatch`);
  });
});
