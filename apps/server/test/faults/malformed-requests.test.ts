/**
 * Fuzz: thousands of generated malformed requests (broken JSON, bad UTF-8, deep nesting, huge
 * strings, wrong content types, broken multipart, odd headers) to the write endpoints, signed in
 * and not. None may answer 5xx; every refusal has the one error shape; the server still works
 * afterwards. A second part sends what Node's HTTP parser itself refuses over a real socket.
 */
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES } from '@closeloop/contract';
import { randomSecret, sha256 } from '../../src/auth/secrets.js';
import { apiTokens, tickets } from '../../src/db/schema.js';
import { newId } from '../../src/db/util.js';
import { backends } from '../backends.js';
import { createTestApp, login, makeCategory, makeCustomer, makeDepartment, makeUser, ORIGIN, type TestApp } from '../harness.js';
import { ticketBody } from '../ticket-fixtures.js';

const RUNS = 2_200;

interface FuzzRequest {
  method: 'POST' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  payload: Buffer | string;
}

/** A body and the content type it is sent with. */
type Body = { contentType: string | null; payload: Buffer | string };

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const nest = (depth: number, open: string, close: string, inner = '1') => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/** Bytes that are not UTF-8: lone continuation bytes, overlongs, surrogates, truncated sequences. */
const badUtf8 = fc.constantFrom(
  [0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xe4, 0xbd], [0x80], [0xf4, 0x90, 0x80, 0x80], [0x00],
).map((b) => Buffer.from(b));

function jsonBodies(categoryId: string): fc.Arbitrary<Body> {
  const valid = () => ticketBody(categoryId);
  const json = (payload: Buffer | string): Body => ({ contentType: 'application/json', payload });
  return fc.oneof(
    // Not JSON at all, or JSON cut short.
    fc.uint8Array({ maxLength: 2_000 }).map((b) => json(Buffer.from(b))),
    fc.string({ maxLength: 300 }).map(json),
    fc.nat({ max: 400 }).map((cut) => json(JSON.stringify(valid()).slice(0, cut))),
    // Any JSON value, and a valid body with fields replaced by anything.
    fc.jsonValue().map((v) => json(JSON.stringify(v))),
    fc.tuple(fc.constantFrom('title', 'description', 'customer', 'product', 'category', 'occurredAt', 'urgency', 'channel',
      'customFields', 'priority', 'expectedBy', 'orderNo', 'readBackConfirmed', '__proto__', 'constructor'), fc.jsonValue())
      .map(([k, v]) => json(JSON.stringify({ ...valid(), [k]: v }))),
    fc.record({ customer: fc.jsonValue(), product: fc.jsonValue(), customFields: fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue()) })
      .map((over) => json(JSON.stringify({ ...valid(), ...over }))),
    // Bad UTF-8 inside a string value, and at the edges.
    fc.tuple(badUtf8, fc.constantFrom('title', 'description', 'category')).map(([bad, field]) => {
      const [before, after] = JSON.stringify({ ...valid(), [field]: 'X' }).split('"X"') as [string, string];
      return json(Buffer.concat([utf8(`${before}"`), bad, utf8(`"${after}`)]));
    }),
    badUtf8.map((bad) => json(Buffer.concat([bad, utf8(JSON.stringify(valid()))]))),
    // Deep nesting, at the top and inside a field the schema walks (custom fields).
    fc.integer({ min: 100, max: 120_000 }).map((d) => json(nest(d, '[', ']'))),
    fc.integer({ min: 100, max: 60_000 }).map((d) => json(`{"title":${nest(d, '{"a":', '}')}}`)),
    fc.integer({ min: 100, max: 50_000 }).map((d) => {
      const [before, after] = JSON.stringify({ ...valid(), customFields: { deep: 'X' } }).split('"X"') as [string, string];
      return json(`${before}${nest(d, '[', ']')}${after}`);
    }),
    // Huge strings: over the body limit, and just under it in one field.
    fc.constantFrom(1_100_000, 2_000_000).map((n) => json(JSON.stringify({ ...valid(), description: 'x'.repeat(n) }))),
    fc.constantFrom(200_000, 900_000).map((n) => json(JSON.stringify({ ...valid(), title: '问'.repeat(n / 3) }))),
    fc.constantFrom('__proto__', 'constructor').map((k) => json(`{"${k}":{"polluted":true},"title":"x"}`)),
  );
}

function multipartBodies(): fc.Arbitrary<Body> {
  const boundary = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9'()+_,\-./:=?]{1,70}$/),
    fc.integer({ min: 71, max: 400 }).map((n) => 'b'.repeat(n)),
    fc.constantFrom('', ' ', '"', '""', '"unterminated', 'a b', 'ä', '--', '\t'),
  );
  const part = (b: string, headers: string, content: string) => `--${b}\r\n${headers}\r\n\r\n${content}\r\n`;
  const file = (name = 'a.txt') => `Content-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain`;
  return fc.tuple(boundary, fc.nat({ max: 9 }), fc.string({ maxLength: 200 }), fc.nat({ max: 300 })).map(([b, kind, junk, n]): Body => {
    const ct = `multipart/form-data; boundary=${b}`;
    const good = `${part(b, file(), 'hello')}--${b}--\r\n`;
    switch (kind) {
      case 0: return { contentType: ct, payload: good.slice(0, n) }; // truncated anywhere
      case 1: return { contentType: 'multipart/form-data', payload: good }; // no boundary
      case 2: return { contentType: ct, payload: `${part(b, junk, 'x')}--${b}--\r\n` }; // bad part headers
      case 3: return { contentType: ct, payload: `${Array.from({ length: n + 20 }, (_, i) => part(b, `Content-Disposition: form-data; name="f${i}"`, 'v')).join('')}--${b}--\r\n` };
      case 4: return { contentType: ct, payload: `${Array.from({ length: 12 + (n % 20) }, () => part(b, file(), 'v')).join('')}--${b}--\r\n` };
      case 5: return { contentType: ct, payload: `${part(b, file(junk.replace(/"/g, '')), junk)}--${b}--\r\n` };
      case 6: return { contentType: ct, payload: Buffer.concat([utf8(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="`), Buffer.from([0xff, 0xfe]), utf8(`"\r\n\r\nx\r\n--${b}--\r\n`)]) };
      case 7: return { contentType: `multipart/mixed; boundary=${b}`, payload: good };
      case 8: return { contentType: ct, payload: junk };
      default: return { contentType: `multipart/form-data; boundary=${b}; charset=${junk.slice(0, 20)}`, payload: good };
    }
  });
}

/** Bodies sent with a content type that does not fit them. */
const oddContentTypes = fc.tuple(
  fc.constantFrom(null, 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/json; charset=utf-16',
    'application/json; charset=latin1', 'application/octet-stream', 'image/png', '*/*', ';;;', 'application/', 'json'),
  fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.from(b))),
).map(([contentType, payload]): Body => ({ contentType, payload }));

describe.each(backends)('malformed requests on $name', (backend) => {
  let t: TestApp;
  let ticketId: string;
  let categoryId: string;
  let auth: Record<string, Record<string, string>>;
  let sent = 0;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const dept = await makeDepartment(t.db);
    const handler = await makeUser(t.db, 'handler', { departmentIds: [dept.id] });
    categoryId = (await makeCategory(t.db, { defaultDepartmentId: dept.id, defaultOwnerId: handler.id })).id;
    const admin = await makeUser(t.db, 'admin');
    const agent = await makeUser(t.db, 'agent', { departmentIds: [dept.id] });
    const token = `clt_${randomSecret()}`;
    await t.db.insert(apiTokens).values({
      id: newId(), name: 'fuzz', prefix: token.slice(0, 8), tokenHash: sha256(token), userId: admin.id, scopes: [...TOKEN_SCOPES],
    });
    const customer = await makeCustomer(t.db);
    ticketId = newId();
    await t.db.insert(tickets).values({
      id: ticketId, number: `SH-20261123-${ticketId.slice(-6)}`, title: '外机异响', description: '夜间噪音大', channel: 'web',
      status: 'registered', priority: 'P3', priorityRank: 3, urgency: 'medium', processTemplate: 'full',
      categoryId, customerId: customer.id, product: { model: 'KFR-35GW' }, occurredAt: new Date(),
    });
    auth = {
      none: {},
      bearer: { authorization: `Bearer ${token}` },
      session: await login(t.app, agent.username),
      bogusBearer: { authorization: 'Bearer clt_not-a-real-token' },
      bogusSession: { cookie: 'cl_session=forged', origin: ORIGIN },
    };
  });
  afterAll(async () => {
    await t?.close();
  });

  async function send(r: FuzzRequest) {
    sent += 1;
    const res = await t.app.inject({ method: r.method, url: r.url, headers: r.headers, payload: r.payload });
    if (res.statusCode >= 500) throw new Error(`${r.method} ${r.url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    if (res.statusCode >= 400) {
      const body = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
      if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string') {
        throw new Error(`${r.method} ${r.url} answered ${res.statusCode} without the error shape: ${res.body.slice(0, 300)}`);
      }
    }
  }

  it(`answers ${RUNS} generated malformed requests without a 5xx, each refusal in the one error shape`, async () => {
    const endpoints = fc.constantFrom(
      { method: 'POST' as const, url: '/api/v1/tickets', body: 'json' },
      { method: 'POST' as const, url: `/api/v1/tickets/${ticketId}/attachments`, body: 'multipart' },
      { method: 'POST' as const, url: `/api/v1/tickets/${newId()}/attachments`, body: 'multipart' },
      { method: 'POST' as const, url: `/api/v1/tickets/${ticketId}/comments`, body: 'json' },
      { method: 'PATCH' as const, url: `/api/v1/tickets/${ticketId}`, body: 'json' },
      { method: 'POST' as const, url: `/api/v1/tickets/${ticketId}/transitions`, body: 'json' },
      { method: 'POST' as const, url: '/api/v1/customers/not-an-id/identities', body: 'json' },
      { method: 'POST' as const, url: '/api/v1/tokens', body: 'json' },
    );
    const request = fc.tuple(
      endpoints,
      fc.constantFrom('none', 'bearer', 'bearer', 'session', 'bogusBearer', 'bogusSession'),
      fc.nat({ max: 9 }),
      fc.option(fc.string({ maxLength: 250 }), { freq: 4 }),
    ).chain(([endpoint, who, mix, idemKey]) => {
      // Mostly the body kind the endpoint expects, sometimes another or a mismatched type.
      const kind = mix < 6 ? endpoint.body : mix < 8 ? (endpoint.body === 'json' ? 'multipart' : 'json') : 'odd';
      const bodies = kind === 'json' ? jsonBodies(categoryId) : kind === 'multipart' ? multipartBodies() : oddContentTypes;
      return bodies.map((body): FuzzRequest => ({
        method: endpoint.method,
        url: endpoint.url,
        headers: {
          ...auth[who],
          ...(body.contentType !== null ? { 'content-type': body.contentType } : {}),
          ...(idemKey !== null && endpoint.url === '/api/v1/tickets' ? { 'idempotency-key': idemKey.replace(/[\r\n\0]/g, '') } : {}),
        },
        payload: body.payload,
      }));
    });
    await fc.assert(fc.asyncProperty(request, send), { numRuns: RUNS });
    expect(sent).toBeGreaterThanOrEqual(RUNS);

    // Still serving: health, a read and a valid intake.
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: auth.bearer, payload: ticketBody(categoryId) });
    expect(created.statusCode).toBe(201);
  }, 240_000);
});

describe('requests that Node\'s HTTP parser refuses, over a real socket', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp(backends[0]!);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  function raw(request: string | Buffer): Promise<string> {
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (d) => { answer += d.toString('latin1'); });
      socket.on('error', () => {});
      socket.on('close', () => resolve(answer));
      socket.write(request);
      setTimeout(() => socket.destroy(), 5_000);
    });
  }

  it.each([
    ['a broken request line', 'GARBAGE\r\n\r\n'],
    ['an invalid header name', 'POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n'],
    ['a control character in a header value', 'POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n'],
    ['two Content-Length headers', 'POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}'],
    ['a non-numeric Content-Length', 'POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'],
    ['broken chunked encoding', 'POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'],
    ['Content-Length with chunked', 'POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['headers over the size limit', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
    ['an unknown HTTP version', 'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n'],
  ])('answers %s with a 4xx in the one error shape', async (_name, request) => {
    const answer = await raw(request);
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } };
    expect(typeof body.error.code).toBe('string');
    expect(typeof body.error.message).toBe('string');
  });

  it('still serves requests afterwards', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
  });
});
