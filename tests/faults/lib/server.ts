/**
 * The server under test as a child process, started the way bench/intake.ts does it (its own
 * process, so a kill -9 is real), on a database seeded with what intake needs: a category
 * routed to a department and a handler, and an agent's API token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../../bench/free-port.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inArray } from 'drizzle-orm';
import { openDatabase, type Database, type Db } from '../../../apps/server/src/db/client.js';
import { apiTokens, categories, departments, tickets, userDepartments, users } from '../../../apps/server/src/db/schema.js';
import { newId } from '../../../apps/server/src/db/util.js';
import { randomSecret, sha256, TOKEN_PREFIX } from '../../../apps/server/src/auth/secrets.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where the server keeps its data: a PGlite folder, or a PostgreSQL URL. */
export interface Store {
  dataDir: string;
  databaseUrl?: string;
}

export const openStore = (store: Store): Promise<Database> =>
  openDatabase(store.databaseUrl ? { databaseUrl: store.databaseUrl } : { dataDir: store.dataDir });

export interface Seeded { token: string; categoryId: string }

export async function seed(db: Db): Promise<Seeded> {
  // Nobody signs in as these users: their password hash is a value no password matches.
  const locked = '!faults-user-without-password';
  const deptId = newId();
  await db.insert(departments).values({ id: deptId, name: '售后服务部', code: 'after-sales' });
  const handlerId = newId();
  const agentId = newId();
  await db.insert(users).values([
    { id: handlerId, username: 'faults_handler', displayName: '李工', passwordHash: locked, role: 'handler' },
    { id: agentId, username: 'faults_agent', displayName: '客服小王', passwordHash: locked, role: 'agent' },
  ]);
  await db.insert(userDepartments).values([{ userId: handlerId, departmentId: deptId }, { userId: agentId, departmentId: deptId }]);
  const categoryId = newId();
  await db.insert(categories).values({
    id: categoryId, code: 'quality', name: '质量问题', nameEn: 'Quality problem', processTemplate: 'full',
    defaultDepartmentId: deptId, defaultOwnerId: handlerId, defaultPriority: 'P2',
  });
  const token = `${TOKEN_PREFIX}${randomSecret(32)}`;
  await db.insert(apiTokens).values({
    id: newId(), name: 'fault test', prefix: token.slice(0, 8), tokenHash: sha256(token), userId: agentId,
    scopes: ['tickets:read', 'tickets:write', 'customers:read'],
  });
  return { token, categoryId };
}

/** Which of these ticket ids are not in the database. */
export async function missingTickets(db: Db, ids: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.select({ id: tickets.id }).from(tickets).where(inArray(tickets.id, ids.slice(i, i + 500)));
    for (const r of rows) found.add(r.id);
  }
  return ids.filter((id) => !found.has(id));
}


export interface ServerProcess {
  child: ChildProcess;
  port: number;
  base: string;
  alive(): boolean;
  /** The last lines the server printed (for a failure report). */
  output(): string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function startServer(store: Store, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      CLOSELOOP_DATA_DIR: store.dataDir,
      DATABASE_URL: store.databaseUrl ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      CLOSELOOP_BASE_URL: `http://127.0.0.1:${port}`,
      CLOSELOOP_DEMO_DATA: 'false',
      CLOSELOOP_LOG_LEVEL: 'warn',
      CLOSELOOP_LOG_FORMAT: 'json',
      CLOSELOOP_ADMIN_PASSWORD: randomSecret(12),
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (d: Buffer) => { tail = (tail + d.toString()).slice(-6000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    child, port, base,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => tail,
    async kill9() {
      if (!server.alive()) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!server.alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (!server.alive()) throw new Error(`server exited with ${child.exitCode ?? child.signalCode}:\n${tail}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await server.kill9();
  throw new Error(`server did not answer /healthz within 90 s:\n${tail}`);
}
