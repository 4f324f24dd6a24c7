/**
 * Appends an event to its hash chain, inside the caller's transaction. An advisory lock on the
 * chain serialises writers of one chain, so seq and prev_hash never fork.
 */
import { desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { auditEvents } from '../db/schema.js';
import type { Actor } from '../auth/actor.js';
import { eventHash, GENESIS_HASH } from './hash.js';

export interface AppendEventOptions {
  tx: Tx;
  actor: Actor;
  /** `ticket:<id>` for ticket history; `user:<id>`, `category:<id>`, `system` … otherwise. */
  chain: string;
  type: string;
  ticketId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  data?: Record<string, unknown> | null;
  at?: Date;
  /**
   * The caller already serialises this chain's writers (e.g. holds the ticket row FOR UPDATE,
   * as every ticket command does): the advisory lock is skipped.
   */
  chainLocked?: boolean;
}

export const ticketChain = (ticketId: string) => `ticket:${ticketId}`;

/** Drops undefined and turns Dates into ISO strings, so what is hashed is what jsonb stores. */
function plain(v: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!v) return null;
  return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
}

export async function appendEvent(opts: AppendEventOptions): Promise<{ id: number; seq: number; hash: string }> {
  const { tx, actor, chain } = opts;
  if (!opts.chainLocked) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${chain}))`);
  const [last] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .where(eq(auditEvents.chain, chain))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Postgres keeps microseconds, JS milliseconds: a whole-millisecond instant round-trips exactly.
  const at = new Date(Math.floor((opts.at ?? new Date()).getTime()));
  const fields = {
    chain,
    seq,
    ticketId: opts.ticketId ?? null,
    type: opts.type,
    actorId: actor.userId,
    actorKind: actor.kind,
    at,
    before: plain(opts.before),
    after: plain(opts.after),
    data: plain(opts.data),
  };
  const hash = eventHash(prevHash, fields);
  const [row] = await tx.insert(auditEvents).values({ ...fields, prevHash, hash }).returning({ id: auditEvents.id });
  return { id: row!.id, seq, hash };
}
