/** A per-key fixed-window request limit in this instance (429 RATE_LIMITED when exceeded). */
import { AppError } from '../http/app-error.js';

export class WindowLimiter {
  private readonly hits = new Map<string, { start: number; n: number }>();
  constructor(private readonly windowMs: number, private readonly limit: number) {}

  hit(key: string, now = Date.now()): void {
    if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (now - v.start > this.windowMs) this.hits.delete(k);
    const h = this.hits.get(key);
    if (!h || now - h.start > this.windowMs) {
      this.hits.set(key, { start: now, n: 1 });
      return;
    }
    h.n += 1;
    if (h.n > this.limit) {
      throw new AppError('RATE_LIMITED', 'too many requests; try again later', undefined, {
        'retry-after': String(Math.ceil((h.start + this.windowMs - now) / 1000)),
      });
    }
  }
}
