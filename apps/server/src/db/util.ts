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

/** UUID v7: time-ordered ids keep inserts and keyset pages index-friendly. PG 15 has no uuidv7(). */
const POOL_IDS = 256;
let pool = Buffer.alloc(0);
let poolAt = 0;

export function newId(now = Date.now()): string {
  // Random bytes drawn in bulk: one getrandom call per 256 ids instead of one per id.
  if (poolAt + 16 > pool.length) {
    pool = randomBytes(16 * POOL_IDS);
    poolAt = 0;
  }
  const b = Buffer.from(pool.subarray(poolAt, poolAt + 16));
  poolAt += 16;
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
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
