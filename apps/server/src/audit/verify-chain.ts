/** Walks every chain in order and reports the first broken link of each: the tamper check. */
import { asc, gt } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { auditEvents } from '../db/schema.js';
import { eventHash, GENESIS_HASH } from './hash.js';

export interface ChainBreak {
  chain: string;
  seq: number;
  eventId: number;
  reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'seq_gap';
}

export interface VerifyResult {
  ok: boolean;
  events: number;
  chains: number;
  breaks: ChainBreak[];
}

const BATCH = 2000;

export async function verifyAuditChain(opts: { db: DbOrTx }): Promise<VerifyResult> {
  const state = new Map<string, { seq: number; hash: string; broken: boolean }>();
  const breaks: ChainBreak[] = [];
  let events = 0;
  let afterId = 0;
  for (;;) {
    const rows = await opts.db.select().from(auditEvents)
      .where(gt(auditEvents.id, afterId))
      .orderBy(asc(auditEvents.id))
      .limit(BATCH);
    if (rows.length === 0) break;
    for (const r of rows) {
      events++;
      afterId = r.id;
      const prev = state.get(r.chain) ?? { seq: 0, hash: GENESIS_HASH, broken: false };
      const recomputed = eventHash(r.prevHash, {
        chain: r.chain, seq: r.seq, ticketId: r.ticketId, type: r.type, actorId: r.actorId,
        actorKind: r.actorKind, at: r.at, before: r.before, after: r.after, data: r.data,
      });
      let reason: ChainBreak['reason'] | null = null;
      if (r.seq !== prev.seq + 1) reason = 'seq_gap';
      else if (r.prevHash !== prev.hash) reason = 'prev_hash_mismatch';
      else if (recomputed !== r.hash) reason = 'hash_mismatch';
      if (reason && !prev.broken) breaks.push({ chain: r.chain, seq: r.seq, eventId: r.id, reason });
      state.set(r.chain, { seq: r.seq, hash: r.hash, broken: prev.broken || reason !== null });
    }
  }
  return { ok: breaks.length === 0, events, chains: state.size, breaks };
}
