/**
 * Slow clients are cut: a real listening server with short timeouts, and raw sockets that send a
 * request body, or the headers, at one byte a second. The connection must be closed with a 408
 * in the one error shape within the configured time (plus Node's checking interval), not before.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteBackend } from '../backends.js';
import { createTestApp, type TestApp } from '../harness.js';

const REQUEST_MS = 2_000;
const HEADERS_MS = 1_200;
/**
 * Node checks the deadlines on an interval (a quarter of the header timeout here, at most 1 s);
 * the rest is room for a machine busy with other work.
 */
const SLACK_MS = 2_000;

/** Sends `head`, then one byte of `drip` per second; resolves when the server closes the connection. */
function trickle(port: number, head: string, drip: string): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    let i = 0;
    const timer = setInterval(() => socket.write(drip[i++ % drip.length]!), 1_000);
    const giveUp = setTimeout(() => socket.destroy(), 30_000);
    socket.on('data', (d) => { answer += d.toString(); });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ ms: performance.now() - t0, answer });
    });
    socket.write(head);
  });
}

describe('slow clients', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp(pgliteBackend, {
      CLOSELOOP_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
      CLOSELOOP_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  function expect408(answer: string) {
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: string } };
    expect(body.error.code).toBe('REQUEST_TIMEOUT');
  }

  it('cuts a request body trickled at 1 byte/s within the request timeout', async () => {
    const { ms, answer } = await trickle(port,
      'POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
      '"title":"空调异响"');
    expect(ms).toBeGreaterThanOrEqual(REQUEST_MS - 50);
    expect(ms).toBeLessThanOrEqual(REQUEST_MS + SLACK_MS);
    expect408(answer);
  });

  it('cuts headers trickled at 1 byte/s within the headers timeout', async () => {
    const { ms, answer } = await trickle(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: 1\r\n');
    expect(ms).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    expect(ms).toBeLessThanOrEqual(HEADERS_MS + SLACK_MS);
    expect408(answer);
  });

  it('keeps serving other clients meanwhile and afterwards', async () => {
    const slow = trickle(port, 'POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\n', 'x');
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    await slow;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});
