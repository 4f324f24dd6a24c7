import { describe, expect, it } from 'vitest';
import { computeBackoff } from './backoff.js';

describe('computeBackoff', () => {
  it('doubles with every failure: 2 s, 4 s, 8 s … before jitter', () => {
    const top = (n: number) => computeBackoff(n, { random: () => 0.999999 });
    expect(top(1)).toBe(2_000);
    expect(top(2)).toBe(4_000);
    expect(top(3)).toBe(8_000);
    expect(top(6)).toBe(64_000);
  });

  it('keeps at least half of the delay whatever the jitter', () => {
    expect(computeBackoff(1, { random: () => 0 })).toBe(1_000);
    expect(computeBackoff(4, { random: () => 0 })).toBe(8_000);
  });

  it('never waits longer than the cap, even after many failures', () => {
    for (const n of [10, 20, 100, 10_000]) {
      const ms = computeBackoff(n, { random: () => 0.999999 });
      expect(ms).toBeLessThanOrEqual(10 * 60_000);
      expect(ms).toBeGreaterThanOrEqual(5 * 60_000);
    }
  });

  it('spreads retries of the same attempt apart', () => {
    const seen = new Set(Array.from({ length: 20 }, () => computeBackoff(5)));
    expect(seen.size).toBeGreaterThan(1);
  });
});
