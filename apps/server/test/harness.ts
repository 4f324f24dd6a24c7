/**
 * Integration-test harness: the real app on a real database, driven through HTTP with inject,
 * plus small factories that write straight to the database.
 */
import { hash } from '@node-rs/argon2';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '@closeloop/contract';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import type { Database, Db } from '../src/db/client.js';
import { categories, customers, departments, formVersions, userDepartments, users } from '../src/db/schema.js';
import { fromLegacyFields } from '../src/forms/legacy-fields.js';
import { newId } from '../src/db/util.js';
import type { Backend } from './backends.js';

export const ORIGIN = 'http://127.0.0.1:3000';
export const PASSWORD = 'test-password-1';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  database: Database;
  config: Config;
  close(): Promise<void>;
}

export async function createTestApp(backend: Backend, env: Record<string, string> = {}): Promise<TestApp> {
  const database = await backend.open();
  const config = loadConfig({
    CLOSELOOP_DATA_DIR: '/tmp/closeloop-test-unused',
    CLOSELOOP_LOG_LEVEL: 'silent',
    CLOSELOOP_BASE_URL: ORIGIN,
    ...env,
  });
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  return {
    app, db: database.db, database, config,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

let passwordHash: Promise<string> | null = null;
/** One argon2 hash per process: hashing is deliberately slow. */
export function testPasswordHash(): Promise<string> {
  passwordHash ??= hash(PASSWORD);
  return passwordHash;
}

export async function makeDepartment(db: Db, over: Partial<typeof departments.$inferInsert> = {}) {
  const id = newId();
  const code = over.code ?? `d${id.slice(-8)}`;
  const [row] = await db.insert(departments).values({ id, name: `部门${code}`, code, ...over }).returning();
  return row!;
}

export async function makeCustomer(db: Db, over: Partial<typeof customers.$inferInsert> = {}) {
  const [row] = await db.insert(customers).values({ id: newId(), name: '张三', ...over }).returning();
  return row!;
}

export async function makeUser(
  db: Db,
  role: Role,
  over: Partial<typeof users.$inferInsert> & { departmentIds?: string[] } = {},
) {
  const id = newId();
  const { departmentIds = [], ...rest } = over;
  let customerId = rest.customerId ?? null;
  if (role === 'customer' && !customerId) customerId = (await makeCustomer(db)).id;
  const [row] = await db.insert(users).values({
    id, username: `${role}_${id.slice(-8)}`, displayName: `${role} ${id.slice(-4)}`,
    passwordHash: await testPasswordHash(), role, customerId, ...rest,
  }).returning();
  for (const departmentId of departmentIds) {
    await db.insert(userDepartments).values({ userId: id, departmentId });
  }
  return row!;
}

export async function makeCategory(db: Db, over: Partial<typeof categories.$inferInsert> = {}) {
  const id = newId();
  const code = over.code ?? `c${id.slice(-8)}`;
  const [row] = await db.insert(categories).values({
    id, code, name: `分类${code}`, processTemplate: 'full', ...over,
  }).returning();
  // Form engine: a category's fields live in its form version 1 (as migration 0008 and createCategory make it).
  await db.insert(formVersions).values({ id: newId(), categoryId: id, version: 1, fields: fromLegacyFields(row!.customFields) });
  return row!;
}

/** Signs in through the API and returns headers for cookie-authenticated requests. */
export async function login(app: FastifyInstance, username: string, password = PASSWORD) {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN },
    payload: { username, password },
  });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'cl_session');
  if (!cookie) throw new Error('no session cookie');
  return { cookie: `cl_session=${cookie.value}`, origin: ORIGIN };
}

export function json<T = any>(res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T;
}
