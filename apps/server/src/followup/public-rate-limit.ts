/**
 * A small per-address limit on the public follow-up routes (no login): 30 requests a minute per
 * client address in this instance. Tokens are unguessable (HMAC), so this only keeps a script
 * from hammering the route; it is per instance (several instances allow that many each).
 */
import { AppError } from '../http/app-error.js';

const WINDOW_MS = 60_000;
export const PUBLIC_LIMIT_PER_MINUTE = 30;
const hits = new Map<string, { start: number; n: number }>();

export function checkPublicRate(ip: string, now = Date.now()): void {
  if (hits.size > 10_000) for (const [k, v] of hits) if (now - v.start > WINDOW_MS) hits.delete(k);
  const h = hits.get(ip);
  if (!h || now - h.start > WINDOW_MS) {
    hits.set(ip, { start: now, n: 1 });
    return;
  }
  h.n += 1;
  if (h.n > PUBLIC_LIMIT_PER_MINUTE) throw new AppError('RATE_LIMITED', 'too many requests; try again in a minute');
}
