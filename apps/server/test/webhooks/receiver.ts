/** A webhook receiver for the tests: node:http on 127.0.0.1 that can be down, slow, failing or fine. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Mode = 'ok' | 'slow' | 'fail' | 'redirect' | { json: unknown };

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** What the receiver answered (0 = it never did: slow). */
  answered: number;
}

export interface Receiver {
  readonly port: number;
  url(path?: string): string;
  mode: Mode;
  /** The body of failing answers: it must never show up in our logs or API. */
  readonly failBody: string;
  received: Received[];
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(slowMs = 1_000): Promise<Receiver> {
  let server: http.Server | null = null;
  const pending = new Set<NodeJS.Timeout>();
  const r: Receiver = {
    port: 0,
    mode: 'ok',
    failBody: 'TARGET-SECRET-BODY stack trace at db.internal:5432',
    received: [],
    url: (path = '/hook') => `http://127.0.0.1:${r.port}${path}`,
    async down() {
      if (!server) return;
      const s = server;
      server = null;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async up() {
      if (server) return;
      server = http.createServer((req, res) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (c: string) => { body += c; });
        req.on('end', () => {
          const entry: Received = { path: req.url ?? '', headers: req.headers, body, answered: 0 };
          r.received.push(entry);
          const mode = r.mode;
          if (mode === 'slow') {
            const timer = setTimeout(() => { pending.delete(timer); entry.answered = 200; res.end('late'); }, slowMs);
            pending.add(timer);
            return;
          }
          if (mode === 'fail') {
            entry.answered = 500;
            res.writeHead(500, { 'content-type': 'text/plain' }).end(r.failBody);
            return;
          }
          if (mode === 'redirect') {
            entry.answered = 302;
            res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
            return;
          }
          entry.answered = 200;
          if (typeof mode === 'object') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(mode.json));
          else res.end('ok');
        });
      });
      const s = server;
      await new Promise<void>((resolve) => s.listen(r.port, '127.0.0.1', () => resolve()));
      (r as { port: number }).port = (s.address() as AddressInfo).port;
    },
    async close() {
      for (const t of pending) clearTimeout(t);
      await r.down();
    },
  };
  await r.up();
  return r;
}
