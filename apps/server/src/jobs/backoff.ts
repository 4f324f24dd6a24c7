/**
 * How long a failed outbox row waits before its next attempt: exponential (2^n seconds after
 * the n-th failure) with jitter, capped, so a flapping dependency is not hammered in lock-step
 * by every instance.
 */

export interface BackoffOptions {
  /** Delay after the first failure, before jitter. */
  baseMs?: number;
  /** Longest delay. */
  capMs?: number;
  /** 0..1 → a number in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

export type Backoff = (attempts: number) => number;

export const DEFAULT_BACKOFF_BASE_MS = 2_000;
export const DEFAULT_BACKOFF_CAP_MS = 10 * 60_000;

/**
 * Delay in ms after `attempts` failures (attempts ≥ 1). "Equal jitter": half of the exponential
 * delay is fixed, the other half random, so retries spread out yet still back off.
 */
export function computeBackoff(attempts: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const cap = opts.capMs ?? DEFAULT_BACKOFF_CAP_MS;
  const random = opts.random ?? Math.random;
  const n = Math.max(1, Math.floor(attempts));
  // 2^n grows past any cap quickly; clamp the exponent so the maths never reaches Infinity.
  const exp = Math.min(cap, base * 2 ** Math.min(n - 1, 40));
  return Math.round(exp / 2 + (exp / 2) * random());
}
