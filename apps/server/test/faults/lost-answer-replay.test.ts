/**
 * Retrying safely (docs/integrators.md): an integration whose connection broke before it read
 * the answer cannot know whether its ticket was registered. It retries with the same
 * Idempotency-Key and body and gets exactly one ticket: the one already committed (200 +
 * Idempotent-Replayed), or, when the first attempt never committed, a new one (201).
 * Over a real socket on a listening server, so the lost answer is a real one.
 */
import net from 'node:net';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketCreate } from '@closeloop/contract';
import { randomSecret, sha256 } from '../../src/auth/secrets.js';
import { apiTokens, idempotencyKeys, tickets } from '../../src/db/schema.js';
import { newId, toNumber } from '../../src/db/util.js';
import { backends } from '../backends.js';
import { createTestApp, makeCategory, makeDepartment, makeUser, type TestApp } from '../harness.js';
import { ticketBody } from '../ticket-fixtures.js';

describe.each(backends)('a retry after a lost answer on $name', (backend) => {
  let t: TestApp;
  let port: number;
  let token: string;
  let categoryId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as net.AddressInfo).port;
    const dept = await makeDepartment(t.db);
    const handler = await makeUser(t.db, 'handler', { departmentIds: [dept.id] });
    categoryId = (await makeCategory(t.db, { defaultDepartmentId: dept.id, defaultOwnerId: handler.id })).id;
    const agent = await makeUser(t.db, 'agent', { departmentIds: [dept.id] });
    token = `clt_${randomSecret()}`;
    await t.db.insert(apiTokens).values({
      id: newId(), name: 'erp', prefix: token.slice(0, 8), tokenHash: sha256(token), userId: agent.id,
      scopes: ['tickets:read', 'tickets:write'],
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const keyRow = async (key: string) => (await t.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key)))[0];
  const ticketCount = async () => toNumber((await t.db.select({ n: count() }).from(tickets))[0]!.n);

  /** The request as bytes, so the test decides how much of it is sent and whether the answer is read. */
  function rawRequest(key: string, body: TicketCreate): { head: string; payload: Buffer } {
    const payload = Buffer.from(JSON.stringify(body));
    const head = 'POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
      + `Authorization: Bearer ${token}\r\nIdempotency-Key: ${key}\r\nContent-Length: ${payload.length}\r\n\r\n`;
    return { head, payload };
  }

  async function retry(key: string, body: TicketCreate) {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: await res.json() as { id: string; number: string } };
  }

  it('returns the ticket already committed when the answer was lost after the commit', async () => {
    const key = `lost-after-commit-${newId()}`;
    const body = ticketBody(categoryId);
    const { head, payload } = rawRequest(key, body);
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(head);
    socket.write(payload);
    // The server commits; the client never reads the answer (its connection breaks).
    const deadline = Date.now() + 10_000;
    while (!(await keyRow(key)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    const committed = await keyRow(key);
    expect(committed?.resourceId).toBeTruthy();
    const before = await ticketCount();

    const again = await retry(key, body);
    expect(again.status).toBe(200);
    expect(again.replayed).toBe('true');
    expect(again.body.id).toBe(committed!.resourceId);
    expect(await ticketCount()).toBe(before);

    // The same key with another body is refused and changes nothing.
    const other = await fetch(`http://127.0.0.1:${port}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify({ ...body, title: '另一个问题' }),
    });
    expect(other.status).toBe(422);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(await ticketCount()).toBe(before);
  });

  it('creates the ticket when the first attempt broke off before it was registered, once', async () => {
    const key = `lost-before-commit-${newId()}`;
    const body = ticketBody(categoryId);
    const { head, payload } = rawRequest(key, body);
    // The connection breaks halfway through the body: nothing may be stored.
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(head);
        socket.write(payload.subarray(0, payload.length >> 1), () => {
          setTimeout(() => { socket.destroy(); resolve(); }, 200);
        });
      });
      socket.on('error', () => {});
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(await keyRow(key)).toBeUndefined();
    const before = await ticketCount();

    const first = await retry(key, body);
    expect(first.status).toBe(201);
    const second = await retry(key, body);
    expect(second.status).toBe(200);
    expect(second.replayed).toBe('true');
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.number).toBe(first.body.number);
    expect(await ticketCount()).toBe(before + 1);
  });
});
