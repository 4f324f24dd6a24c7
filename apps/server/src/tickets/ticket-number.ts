/**
 * Readable ticket numbers, SH-YYYYMMDD-NNNN: the day as a Chinese office sees it (Asia/Shanghai)
 * and a per-day counter. Numbers are taken from the counter row in blocks, each block in a
 * statement of its own that commits at once, so no row lock is held while a ticket is written:
 * intake on many connections never queues behind the counter. Each instance hands out its block
 * in order; the block grows while intake is busy (up to MAX_BLOCK) and shrinks back to one when
 * it is quiet. Numbers are unique and increase per day within an instance; gaps are possible
 * (a failed intake, the unused rest of a block when an instance stops) and accepted.
 */
import type { DbOrTx } from '../db/client.js';
import { sqlOf } from '../db/client.js';

/** China has had no daylight saving time since 1991: Asia/Shanghai is UTC+8 all year. */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const MAX_BLOCK = 64;
/** A block used up faster than this doubles the next one; one lasting 10× longer halves it. */
const BUSY_MS = 1_000;

/** YYYYMMDD of the instant in Asia/Shanghai. */
export function shanghaiDay(now: Date): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

export function formatTicketNumber(day: string, seq: number): string {
  return `SH-${day}-${String(seq).padStart(4, '0')}`;
}

interface DayBlock {
  next: number;
  last: number;
  size: number;
  fetchedAt: number;
  pending: Promise<void> | null;
}

const allocators = new WeakMap<object, Map<string, DayBlock>>();

const TAKE_BLOCK = `insert into ticket_counters (day, last) values ($1, $2)
  on conflict (day) do update set last = ticket_counters.last + excluded.last
  returning last`;

async function fetchBlock(db: DbOrTx, day: string, block: DayBlock): Promise<void> {
  const now = Date.now();
  if (block.fetchedAt) {
    const lasted = now - block.fetchedAt;
    if (lasted < BUSY_MS) block.size = Math.min(MAX_BLOCK, block.size * 2);
    else if (lasted > 10 * BUSY_MS) block.size = Math.max(1, Math.floor(block.size / 2));
  }
  const size = block.size;
  const [row] = await sqlOf(db).query<{ last: number | string }>(TAKE_BLOCK, [day, size], 'ticket_number_block');
  const last = Number(row!.last);
  block.next = last - size + 1;
  block.last = last;
  block.fetchedAt = now;
}

export async function nextTicketNumber(opts: { db: DbOrTx; now?: Date }): Promise<string> {
  const day = shanghaiDay(opts.now ?? new Date());
  let days = allocators.get(opts.db);
  if (!days) {
    days = new Map();
    allocators.set(opts.db, days);
  }
  let block = days.get(day);
  if (!block) {
    // Keep a few days: demo data and imports backdate tickets across days.
    if (days.size > 8) days.clear();
    block = { next: 1, last: 0, size: 1, fetchedAt: 0, pending: null };
    days.set(day, block);
  }
  for (;;) {
    if (block.next <= block.last) return formatTicketNumber(day, block.next++);
    if (!block.pending) {
      const b = block;
      b.pending = fetchBlock(opts.db, day, b).finally(() => { b.pending = null; });
    }
    await block.pending;
  }
}
