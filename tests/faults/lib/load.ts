/**
 * Intake load for the fault test: a few workers each sending POST /api/v1/tickets one after
 * another, recording every answer (status, timing, Retry-After, the ticket id of a 201), so the
 * test can tell afterwards which tickets were acknowledged and how the server behaved when.
 */
import { intakeBody } from '../../../bench/intake-bodies.js';

export interface Outcome {
  /** ms since the load started */
  start: number;
  end: number;
  /** HTTP status, or 0 when no answer came (connection refused/reset, timeout). */
  status: number;
  id?: string;
  retryAfter?: string | null;
  code?: string;
  message?: string;
  error?: string;
}

export interface Load {
  readonly t0: number;
  outcomes: Outcome[];
  /** Ids of tickets answered 201. */
  acked(): string[];
  /** ms since the load started. */
  now(): number;
  stop(): Promise<void>;
}

export function startLoad(opts: {
  base: string; token: string; categoryId: string; connections: number;
  /** Pause after a failed request, as a client honouring Retry-After would (shortened). */
  pauseAfterFailureMs?: number;
}): Load {
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const outcomes: Outcome[] = [];
  const state = { running: true };
  let seq = 0;
  const pause = opts.pauseAfterFailureMs ?? 100;

  async function one(): Promise<Outcome> {
    const start = now();
    try {
      const res = await fetch(`${opts.base}/api/v1/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
        body: JSON.stringify(intakeBody(opts.categoryId, ++seq)),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      const out: Outcome = { start, end: now(), status: res.status, retryAfter: res.headers.get('retry-after') };
      try {
        const body = JSON.parse(text) as { id?: string; error?: { code?: string; message?: string } };
        if (res.status === 201) out.id = body.id;
        else {
          out.code = body.error?.code;
          out.message = body.error?.message;
        }
      } catch {
        out.error = `not JSON: ${text.slice(0, 100)}`;
      }
      return out;
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      return { start, end: now(), status: 0, error: cause?.code ?? (err as Error).name };
    }
  }

  const workers = Array.from({ length: opts.connections }, async () => {
    while (state.running) {
      const out = await one();
      outcomes.push(out);
      if (out.status !== 201 && state.running) await new Promise((r) => setTimeout(r, pause));
    }
  });

  return {
    t0, outcomes, now,
    acked: () => outcomes.filter((o) => o.status === 201 && o.id).map((o) => o.id!),
    async stop() {
      state.running = false;
      await Promise.all(workers);
    },
  };
}
