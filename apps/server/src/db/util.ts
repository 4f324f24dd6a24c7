/** Small helpers that hide the differences between PGlite and node-postgres results. */
import { randomBytes } from 'node:crypto';

/** count(*) is a number from PGlite and a string from pg. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return Number(v);
  return 0;
}

/** Rows of `db.execute(sql…)`: an array (pg via drizzle) or `{ rows }` (PGlite). */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * UUID v7: time-ordered ids keep inserts and keyset pages index-friendly. PG 15 has no uuidv7().
 * Ids made by this process in the same millisecond are ordered too (RFC 9562 method 1: a 12-bit
 * counter in rand_a, started at a random value below 2048), so the rows of one command — an
 * event and the next, their outbox rows — sort in the order they were made. An explicit time
 * earlier than the last id's (back-dated rows) gets plain random bits.
 */
const POOL_IDS = 256;
let pool = Buffer.alloc(0);
let poolAt = 0;
let lastMs = 0;
let counter = 0;

export function newId(now = Date.now()): string {
  // Random bytes drawn in bulk: one getrandom call per 256 ids instead of one per id.
  if (poolAt + 16 > pool.length) {
    pool = randomBytes(16 * POOL_IDS);
    poolAt = 0;
  }
  const b = Buffer.from(pool.subarray(poolAt, poolAt + 16));
  poolAt += 16;
  let ms = now;
  let randA = b.readUInt16BE(6) & 0x0fff;
  if (now > lastMs) {
    lastMs = now;
    counter = randA & 0x07ff;
    randA = counter;
  } else if (now === lastMs || now > lastMs - 1000) {
    // Same millisecond (or a clock that stepped back a little): count on from the last id.
    counter += 1;
    if (counter > 0x0fff) {
      lastMs += 1;
      counter = 0;
    }
    ms = lastMs;
    randA = counter;
  }
  b.writeUIntBE(ms, 0, 6);
  b.writeUInt16BE(0x7000 | randA, 6);
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Postgres unique violation (23505), from either driver. */
export function isUniqueViolation(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    if ((e as { code?: string }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
