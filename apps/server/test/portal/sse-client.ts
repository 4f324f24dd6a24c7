/** A minimal Server-Sent Events reader over node:http for the stream tests. */
import http from 'node:http';

export interface SseEvent { event: string; id: string | null; data: string }

export interface SseStream {
  status: number;
  events: SseEvent[];
  comments: number;
  /** Resolves with the first event (in arrival order, from `from`) matching; rejects after ms. */
  waitFor(pred: (e: SseEvent) => boolean, ms?: number): Promise<SseEvent>;
  close(): void;
}

export function openSse(port: number, path: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      res.setEncoding('utf8');
      const waiters: { pred: (e: SseEvent) => boolean; done: (e: SseEvent) => void }[] = [];
      const stream: SseStream = {
        status: res.statusCode ?? 0, events: [], comments: 0,
        waitFor(pred, ms = 10_000) {
          const found = stream.events.find(pred);
          if (found) return Promise.resolve(found);
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(stream.events)}`)), ms);
            waiters.push({ pred, done: (e) => { clearTimeout(timer); ok(e); } });
          });
        },
        close: () => req.destroy(),
      };
      let buf = '';
      res.on('data', (chunk: string) => {
        buf += chunk;
        let at: number;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, at);
          buf = buf.slice(at + 2);
          const e: SseEvent = { event: 'message', id: null, data: '' };
          let isComment = true;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            isComment = false;
            const [k, ...rest] = line.split(':');
            const v = rest.join(':').replace(/^ /, '');
            if (k === 'event') e.event = v;
            else if (k === 'id') e.id = v;
            else if (k === 'data') e.data += v;
          }
          if (isComment) { stream.comments += 1; continue; }
          if (!e.data && e.event === 'message') continue; // retry: only
          stream.events.push(e);
          const matched = waiters.filter((w) => w.pred(e));
          for (const w of matched) {
            waiters.splice(waiters.indexOf(w), 1);
            w.done(e);
          }
        }
      });
      res.on('error', () => {});
      resolve(stream);
    });
    req.on('error', reject);
  });
}
