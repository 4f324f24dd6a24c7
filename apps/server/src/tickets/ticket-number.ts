/**
 * Readable ticket numbers, SH-YYYYMMDD-NNNN: the day as a Chinese office sees it (Asia/Shanghai)
 * and a per-day counter. The counter row is upserted inside the creating transaction, so two
 * instances never hand out one number twice and a rolled-back create gives its number back.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { rowsOf } from '../db/util.js';

/** China has had no daylight saving time since 1991: Asia/Shanghai is UTC+8 all year. */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** YYYYMMDD of the instant in Asia/Shanghai. */
export function shanghaiDay(now: Date): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

export function formatTicketNumber(day: string, seq: number): string {
  return `SH-${day}-${String(seq).padStart(4, '0')}`;
}

export async function nextTicketNumber(opts: { tx: Tx; now?: Date }): Promise<string> {
  const day = shanghaiDay(opts.now ?? new Date());
  const result = await opts.tx.execute(sql`
    insert into ticket_counters (day, last) values (${day}, 1)
    on conflict (day) do update set last = ticket_counters.last + 1
    returning last`);
  const [row] = rowsOf<{ last: number | string }>(result);
  return formatTicketNumber(day, Number(row!.last));
}
