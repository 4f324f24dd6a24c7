/**
 * A small closed-loop load generator for the read bench: a fixed number of workers each run one
 * operation after another until the deadline, over keep-alive connections, and every latency is
 * kept, so p50/p95/p99 are exact (nearest rank) rather than estimated from a histogram.
 */
import http from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
}

export class HttpError extends Error {}

/** GETs over keep-alive connections to one server, each cut after `timeoutMs`. */
export class Client {
  private readonly agent: http.Agent;

  constructor(private readonly base: URL, sockets: number, private readonly timeoutMs: number) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  get(path: string, token: string): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: this.base.hostname, port: this.base.port, path, method: 'GET', agent: this.agent,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') });
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      });
      const timer = setTimeout(() => req.destroy(new HttpError(`timeout after ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end();
    });
  }

  /** A GET that must answer 2xx; anything else is thrown as an HttpError. */
  async ok(path: string, token: string): Promise<HttpAnswer> {
    const a = await this.get(path, token);
    if (a.status < 200 || a.status > 299) throw new HttpError(`${a.status} ${path}: ${a.body.slice(0, 200)}`);
    return a;
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  /** Milliseconds of the operations that succeeded, sorted ascending. */
  latencies: number[];
  firstError: string | null;
}

/** Runs `op` in `concurrency` loops for `durationMs`; an operation that throws counts as an error. */
export async function runLoad(opts: { concurrency: number; durationMs: number; op: () => Promise<unknown> }): Promise<LoadResult> {
  const started = performance.now();
  const deadline = started + opts.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const loop = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        await opts.op();
        latencies.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length + errors, errors, seconds, latencies, firstError };
}

/** Nearest-rank percentile of sorted values; null when there are none. */
export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
