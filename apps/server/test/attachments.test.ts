import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES } from '@closeloop/contract';
import { randomSecret, sha256 } from '../src/auth/secrets.js';
import type { Db } from '../src/db/client.js';
import { apiTokens, attachments, auditEvents, tickets } from '../src/db/schema.js';
import { newId, toNumber } from '../src/db/util.js';
import { addAttachments } from '../src/attachments/add-attachments.js';
import { attachmentStorage } from '../src/attachments/storage.js';
import { SYSTEM_ACTOR } from '../src/auth/actor.js';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, makeCustomer, makeUser, type TestApp } from './harness.js';

async function bearer(db: Db, userId: string) {
  const token = `clt_${randomSecret()}`;
  await db.insert(apiTokens).values({
    id: newId(), name: 'test', prefix: token.slice(0, 8), tokenHash: sha256(token), userId, scopes: [...TOKEN_SCOPES],
  });
  return { authorization: `Bearer ${token}` };
}

async function makeTicket(db: Db, customerId: string, categoryId: string) {
  const id = newId();
  const [row] = await db.insert(tickets).values({
    id, number: `SH-20261123-${id.slice(-6)}`, title: '外机异响', description: '夜间噪音大', channel: 'web',
    status: 'registered', priority: 'P3', priorityRank: 3, urgency: 'medium', processTemplate: 'full',
    categoryId, customerId, product: { model: 'KFR-35GW' }, occurredAt: new Date(),
  }).returning();
  return row!;
}

interface Part { filename: string; content: Buffer; type?: string; field?: string }

/** A multipart/form-data body as a browser sends it (file names as raw UTF-8). */
function multipart(parts: Part[]) {
  const boundary = `----closeloop${randomSecret(8)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${p.field ?? 'file'}"; filename="${p.filename}"\r\n` +
      `Content-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`, 'utf8'));
    chunks.push(p.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

// A real 1×1 PNG and a small but well-formed PDF.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from([
  '%PDF-1.4', '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj', '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj',
  'trailer << /Root 1 0 R >>', '%%EOF', '',
].join('\n'));
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
const hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under the attachments folder (the staging folder included). */
function storedFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'attachments');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(root, f)).isFile());
}

describe.each(backends)('attachments on $name', (backend) => {
  let t: TestApp;
  let dataDir: string;
  let agent: Record<string, string>;
  let owner: Record<string, string>;
  let stranger: Record<string, string>;
  let ticketId: string;
  let otherTicketId: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-attach-'));
    t = await createTestApp(backend, { CLOSELOOP_DATA_DIR: dataDir, CLOSELOOP_MAX_UPLOAD_MB: '1' });
    const category = await makeCategory(t.db);
    const customer = await makeCustomer(t.db);
    agent = await bearer(t.db, (await makeUser(t.db, 'agent')).id);
    owner = await bearer(t.db, (await makeUser(t.db, 'customer', { customerId: customer.id })).id);
    stranger = await bearer(t.db, (await makeUser(t.db, 'customer')).id);
    ticketId = (await makeTicket(t.db, customer.id, category.id)).id;
    otherTicketId = (await makeTicket(t.db, (await makeCustomer(t.db)).id, category.id)).id;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const upload = (headers: Record<string, string>, parts: Part[], id = ticketId) => {
    const body = multipart(parts);
    return t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/attachments`, headers: { ...headers, ...body.headers }, payload: body.payload });
  };
  const rowCount = async () => toNumber((await t.db.select({ n: count() }).from(attachments))[0]!.n);

  it('stores a photo and a PDF by their real type and gives back the identical bytes', async () => {
    const res = await upload(agent, [
      { filename: '现场照片.png', content: PNG },
      // The client's claimed type is ignored: the bytes say PDF.
      { filename: '检测报告.pdf', content: PDF, type: 'image/png' },
    ]);
    expect(res.statusCode).toBe(201);
    const [photo, report] = json(res).items;
    expect(photo).toMatchObject({ ticketId, filename: '现场照片.png', contentType: 'image/png', size: PNG.length, sha256: hex(PNG) });
    expect(photo.url).toBe(`/api/v1/attachments/${photo.id}`);
    expect(photo.uploadedBy).not.toBeNull();
    expect(report).toMatchObject({ filename: '检测报告.pdf', contentType: 'application/pdf', sha256: hex(PDF) });

    const down = await t.app.inject({ method: 'GET', url: photo.url, headers: agent });
    expect(down.statusCode).toBe(200);
    expect(hex(down.rawPayload)).toBe(hex(PNG));
    expect(down.headers['content-type']).toBe('image/png');
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(down.headers['content-disposition']).toBe(
      `attachment; filename="____.png"; filename*=UTF-8''${encodeURIComponent('现场照片.png')}`);
    expect(down.headers['cache-control']).toBe('private, max-age=3600');
    expect(down.headers['content-security-policy']).toBe("sandbox; default-src 'none'");

    // Images may be previewed in place; a PDF stays a download even when asked.
    const preview = await t.app.inject({ method: 'GET', url: `${photo.url}?inline=1`, headers: agent });
    expect(String(preview.headers['content-disposition'])).toMatch(/^inline; /);
    const pdf = await t.app.inject({ method: 'GET', url: `${report.url}?inline=1`, headers: agent });
    expect(hex(pdf.rawPayload)).toBe(hex(PDF));
    expect(String(pdf.headers['content-disposition'])).toMatch(/^attachment; /);

    const list = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/attachments`, headers: agent }));
    expect(list.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([photo.id, report.id]));

    const events = await t.db.select().from(auditEvents).where(eq(auditEvents.chain, `ticket:${ticketId}`));
    const added = events.filter((e) => e.type === 'attachment.added');
    expect(added.map((e) => e.data)).toEqual(expect.arrayContaining([
      { id: photo.id, filename: '现场照片.png', size: PNG.length, contentType: 'image/png' },
      { id: report.id, filename: '检测报告.pdf', size: PDF.length, contentType: 'application/pdf' },
    ]));
    expect(added.every((e) => e.ticketId === ticketId)).toBe(true);
  });

  it('refuses a file over the size limit with 413, leaving no row and no file', async () => {
    const before = await rowCount();
    const filesBefore = storedFiles(dataDir);
    const big = Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]);
    const res = await upload(agent, [{ filename: 'big.png', content: big }]);
    expect(res.statusCode).toBe(413);
    expect(json(res).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await rowCount()).toBe(before);
    expect(storedFiles(dataDir)).toEqual(filesBefore);
  });

  it.each([
    ['an .exe renamed to .jpg', 'photo.jpg', EXE],
    ['an HTML page named .jpg', 'photo.jpg', HTML],
    ['an SVG image (it can carry script)', 'logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['text that is not UTF-8', 'notes.txt', Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x41])],
  ])('refuses %s with 415 naming file, keeping nothing', async (_what, filename, content) => {
    const before = await rowCount();
    const filesBefore = storedFiles(dataDir);
    const res = await upload(agent, [{ filename, content, type: 'image/jpeg' }]);
    expect(res.statusCode).toBe(415);
    expect(json(res).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(json(res).error.fields[0].path).toBe('file');
    expect(await rowCount()).toBe(before);
    expect(storedFiles(dataDir)).toEqual(filesBefore);
  });

  it('adds all files of a request or none', async () => {
    const before = await rowCount();
    const filesBefore = storedFiles(dataDir);
    const res = await upload(agent, [{ filename: 'ok.png', content: PNG }, { filename: 'setup.pdf', content: EXE }]);
    expect(res.statusCode).toBe(415);
    expect(await rowCount()).toBe(before);
    expect(storedFiles(dataDir)).toEqual(filesBefore);
  });

  it('accepts UTF-8 text under a text name and strips path parts from names', async () => {
    const csv = Buffer.from('型号,故障\nKFR-35GW,异响\n', 'utf8');
    const res = await upload(agent, [{ filename: '../../etc/维修记录.csv', content: csv }]);
    expect(res.statusCode).toBe(201);
    expect(json(res).items[0]).toMatchObject({ filename: '维修记录.csv', contentType: 'text/plain' });
    const down = await t.app.inject({ method: 'GET', url: json(res).items[0].url, headers: agent });
    expect(down.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(down.rawPayload.toString('utf8')).toBe(csv.toString('utf8'));
  });

  it('lets a customer attach to their own ticket but not see or touch anyone else\'s', async () => {
    const own = await upload(owner, [{ filename: '我的照片.png', content: PNG }]);
    expect(own.statusCode).toBe(201);
    const url = json(own).items[0].url;
    expect((await t.app.inject({ method: 'GET', url, headers: owner })).statusCode).toBe(200);

    const before = await rowCount();
    const intrude = await upload(stranger, [{ filename: 'x.png', content: PNG }]);
    expect(intrude.statusCode).toBe(404);
    expect(await rowCount()).toBe(before);
    expect((await t.app.inject({ method: 'GET', url, headers: stranger })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/attachments`, headers: stranger })).statusCode).toBe(404);
    // The owner's reach ends at their own tickets too.
    expect((await upload(owner, [{ filename: 'x.png', content: PNG }], otherTicketId)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url, headers: {} })).statusCode).toBe(401);
  });

  it('works through a real socket with a browser-style FormData, including the size limit', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const send = (content: Buffer, filename: string) => {
      const form = new FormData();
      form.append('file', new Blob([content], { type: 'image/png' }), filename);
      return fetch(`${base}/api/v1/tickets/${ticketId}/attachments`, { method: 'POST', headers: agent, body: form });
    };
    const ok = await send(PNG, '售后 照片 (1).png');
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { items: { filename: string }[] }).items[0]!.filename).toBe('售后 照片 (1).png');
    const before = await rowCount();
    const filesBefore = storedFiles(dataDir);
    const tooBig = await send(Buffer.concat([PNG, Buffer.alloc(3 * 1024 * 1024)]), 'big.png');
    expect(tooBig.status).toBe(413);
    expect(await rowCount()).toBe(before);
    expect(storedFiles(dataDir)).toEqual(filesBefore);
  });

  it('removes the stored files when recording them fails', async () => {
    const dir = path.join(dataDir, 'attachments', 'tmp');
    fs.mkdirSync(dir, { recursive: true });
    const tempPath = path.join(dir, 'staged-by-test.part');
    fs.writeFileSync(tempPath, PNG);
    const filesBefore = storedFiles(dataDir).filter((f) => !f.endsWith('staged-by-test.part'));
    const before = await rowCount();
    // No such ticket: the insert fails after the file was moved into storage.
    await expect(addAttachments({
      db: t.db, storage: attachmentStorage(t.config), actor: SYSTEM_ACTOR, ticketId: newId(),
      files: [{ tempPath, filename: 'a.png', size: PNG.length, sha256: hex(PNG), validUtf8: false, truncated: false }],
    })).rejects.toThrow(/attachments/);
    expect(await rowCount()).toBe(before);
    expect(storedFiles(dataDir)).toEqual(filesBefore);
  });

  it('answers 400 naming file when no file is sent, and 404 for unknown ids', async () => {
    const empty = await upload(agent, []);
    expect(empty.statusCode).toBe(400);
    expect(json(empty).error.fields[0].path).toBe('file');
    expect((await upload(agent, [{ filename: 'a.png', content: PNG }], newId())).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/attachments/${newId()}`, headers: agent })).statusCode).toBe(404);
  });
});
