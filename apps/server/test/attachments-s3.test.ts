/**
 * Shared files for several instances: two app instances on one database, each with its own data
 * folder, store attachments in one S3-compatible bucket (s3rver, started here on 127.0.0.1) and
 * serve each other's uploads; a large file goes up in parts; a missing object is a 404; the
 * start-up clean-up removes bytes no attachment refers to and keeps the others.
 */
import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { FastifyInstance } from 'fastify';
import S3rver from 's3rver';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES } from '@closeloop/contract';
import { buildApp } from '../src/app.js';
import { removeOrphanedFiles } from '../src/attachments/remove-stale-uploads.js';
import { attachmentStorage, storageKey } from '../src/attachments/storage.js';
import { randomSecret, sha256 } from '../src/auth/secrets.js';
import { loadConfig, type Config } from '../src/config.js';
import { openDatabase, type Database, type Db } from '../src/db/client.js';
import { apiTokens, attachments, tickets } from '../src/db/schema.js';
import { newId } from '../src/db/util.js';
import { backends, createPgDatabase } from './backends.js';
import { ORIGIN, makeCategory, makeCustomer, makeUser } from './harness.js';

const hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** s3rver on a free port of 127.0.0.1, or the reason it could not start. */
async function startS3(dir: string): Promise<{ server: S3rver; endpoint: string } | { error: string }> {
  try {
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
    const { port } = await server.run();
    return { server, endpoint: `http://127.0.0.1:${port}` };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function multipart(filename: string, content: Buffer) {
  const boundary = `----closeloop${randomSecret(8)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const s3Dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'closeloop-s3rver-'));
const s3 = await startS3(s3Dir);
if ('error' in s3) process.stdout.write(`[closeloop] S3 tests skipped: s3rver could not start on 127.0.0.1 (${s3.error})\n`);

describe.skipIf('error' in s3).each(backends)('attachments on S3 shared by two instances on $name', (backend) => {
  const endpoint = 'endpoint' in s3 ? s3.endpoint : '';
  // A bucket per backend: the clean-up must see only this database's files.
  const BUCKET = `closeloop-${backend.name}`;
  let databases: Database[] = [];
  let drop: (() => Promise<void>) | null = null;
  let a: FastifyInstance;
  let b: FastifyInstance;
  let configA: Config;
  let db: Db;
  let auth: Record<string, string>;
  let ticketId: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((err: Error) => {
      if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err;
    });
    client.destroy();
    // One database, two connections to it (PostgreSQL: two pools, as two processes would have).
    if (backend.name === 'postgres') {
      const created = await createPgDatabase();
      drop = created.drop;
      databases = [await openDatabase({ databaseUrl: created.url }), await openDatabase({ databaseUrl: created.url })];
    } else {
      const one = await openDatabase({});
      databases = [one, one];
    }
    const instance = async (database: Database) => {
      const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'closeloop-instance-'));
      dirs.push(dataDir);
      const config = loadConfig({
        CLOSELOOP_DATA_DIR: dataDir, CLOSELOOP_LOG_LEVEL: 'silent', CLOSELOOP_BASE_URL: ORIGIN, CLOSELOOP_MAX_UPLOAD_MB: '40',
        CLOSELOOP_S3_ENDPOINT: endpoint, CLOSELOOP_S3_BUCKET: BUCKET, CLOSELOOP_S3_REGION: 'us-east-1',
        CLOSELOOP_S3_ACCESS_KEY_ID: 'S3RVER', CLOSELOOP_S3_SECRET_ACCESS_KEY: 'S3RVER', CLOSELOOP_S3_FORCE_PATH_STYLE: 'true',
      });
      const app = await buildApp({ config, database, logger: false });
      await app.ready();
      return { app, config };
    };
    const first = await instance(databases[0]!);
    const second = await instance(databases[1]!);
    a = first.app;
    b = second.app;
    configA = first.config;
    db = databases[0]!.db;
    const token = `clt_${randomSecret()}`;
    const admin = await makeUser(db, 'admin');
    await db.insert(apiTokens).values({ id: newId(), name: 't', prefix: token.slice(0, 8), tokenHash: sha256(token), userId: admin.id, scopes: [...TOKEN_SCOPES] });
    auth = { authorization: `Bearer ${token}` };
    const customer = await makeCustomer(db);
    const category = await makeCategory(db);
    ticketId = newId();
    await db.insert(tickets).values({
      id: ticketId, number: `SH-20261202-${ticketId.slice(-6)}`, title: '外机异响', description: '夜间噪音大', channel: 'web',
      status: 'registered', priority: 'P3', priorityRank: 3, urgency: 'medium', processTemplate: 'full',
      categoryId: category.id, customerId: customer.id, product: { model: 'KFR-35GW' }, occurredAt: new Date(),
    });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const d of new Set(databases)) await d.close();
    await drop?.();
    for (const d of dirs) await fsp.rm(d, { recursive: true, force: true });
  });

  const upload = (app: FastifyInstance, filename: string, content: Buffer) => {
    const body = multipart(filename, content);
    return app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/attachments`, headers: { ...auth, ...body.headers }, payload: body.payload });
  };

  it('serves on instance B a file uploaded on instance A, and the other way round', async () => {
    const text = Buffer.from('现场照片说明：外机底座螺丝松动。\n');
    const up = await upload(a, '说明.txt', text);
    expect(up.statusCode).toBe(201);
    const [item] = up.json().items;
    const down = await b.inject({ method: 'GET', url: `/api/v1/attachments/${item.id}`, headers: auth });
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(text)).toBe(true);
    // Nothing of it is on either instance's disk: the bucket holds it.
    const [row] = await db.select().from(attachments).where(eq(attachments.id, item.id));
    for (const dir of dirs) await expect(fsp.stat(path.join(dir, 'attachments', ...row!.storageKey.split('/')))).rejects.toThrow('ENOENT');
    expect(await fsp.readdir(path.join(dirs[0]!, 'attachments', 'tmp'))).toEqual([]);

    const back = (await upload(b, 'reply.txt', Buffer.from('ok'))).json().items[0];
    expect((await a.inject({ method: 'GET', url: `/api/v1/attachments/${back.id}`, headers: auth })).body).toBe('ok');
  });

  it('stores a large file in parts and serves it back byte for byte', async () => {
    const big = Buffer.alloc(17 * 1024 * 1024, 'closeloop 售后日志\n');
    const up = await upload(a, 'device.log', big);
    expect(up.statusCode).toBe(201);
    const [item] = up.json().items;
    expect(item.size).toBe(big.length);
    const down = await b.inject({ method: 'GET', url: `/api/v1/attachments/${item.id}`, headers: auth });
    expect(down.headers['content-length']).toBe(String(big.length));
    expect(hex(down.rawPayload)).toBe(hex(big));
  });

  it('answers 404 when the object is gone from the bucket', async () => {
    const [item] = (await upload(a, 'gone.txt', Buffer.from('x'))).json().items;
    const [row] = await db.select().from(attachments).where(eq(attachments.id, item.id));
    const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: row!.storageKey }));
    client.destroy();
    const res = await b.inject({ method: 'GET', url: `/api/v1/attachments/${item.id}`, headers: auth });
    expect(res.statusCode).toBe(404);
  });

  it('the clean-up removes stored bytes no attachment names and keeps every attachment', async () => {
    const [kept] = (await upload(a, 'kept.txt', Buffer.from('kept'))).json().items;
    const orphanKey = storageKey(newId(), new Date());
    const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: orphanKey, Body: 'left by a crash' }));
    const storage = attachmentStorage(configA);
    // Young bytes may belong to an upload committing right now: kept.
    expect(await removeOrphanedFiles({ db, storage })).toBe(0);
    // Two hours later the orphan is stale.
    const removed = await removeOrphanedFiles({ db, storage, now: new Date(Date.now() + 2 * 3600_000) });
    const keys = ((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key);
    client.destroy();
    expect(keys).not.toContain(orphanKey);
    expect(removed).toBe(1);
    expect(keys).toHaveLength((await db.select().from(attachments)).length - 1); // the previous test's object is gone
    expect((await b.inject({ method: 'GET', url: `/api/v1/attachments/${kept.id}`, headers: auth })).body).toBe('kept');
  });
});

afterAll(async () => {
  if ('server' in s3) await s3.server.close();
  await fsp.rm(s3Dir, { recursive: true, force: true });
});
