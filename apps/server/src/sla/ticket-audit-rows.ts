/**
 * Audit events the SLA domain appends to tickets' chains in bulk (recomputations, warnings,
 * breaches, escalations, progress messages). The caller holds the tickets FOR UPDATE, which is
 * what serialises every writer of a ticket's chain (as the ticket commands do), so the heads
 * read here cannot move before the rows are written.
 */
import { ticketChain } from '../audit/append-event.js';
import { eventHash, GENESIS_HASH } from '../audit/hash.js';
import type { SqlRunner } from '../db/client.js';

export interface TicketAuditEvent {
  ticketId: string;
  type: string;
  at: Date;
  data: Record<string, unknown>;
}

export interface AuditRow {
  chain: string; seq: number; ticket_id: string; type: string; actor_id: null; actor_kind: 'system';
  at: string; before: null; after: null; data: unknown; prev_hash: string; hash: string;
}

const HEADS = `select c.chain, a.seq, a.hash from unnest($1::text[]) as c(chain)
  left join lateral (select seq, hash from audit_events e where e.chain = c.chain order by seq desc limit 1) a on true`;

/** Hashed rows, chained after each ticket chain's current head, in the order given. */
export async function ticketAuditRows(sql: SqlRunner, events: readonly TicketAuditEvent[]): Promise<AuditRow[]> {
  if (!events.length) return [];
  const chains = [...new Set(events.map((e) => ticketChain(e.ticketId)))];
  const heads = new Map<string, { seq: number; hash: string }>();
  for (const r of await sql.query<{ chain: string; seq: number | null; hash: string | null }>(HEADS, [chains], 'sla_audit_heads_v1')) {
    heads.set(r.chain, { seq: r.seq ?? 0, hash: r.hash ?? GENESIS_HASH });
  }
  const rows: AuditRow[] = [];
  for (const e of events) {
    const chain = ticketChain(e.ticketId);
    const head = heads.get(chain) ?? { seq: 0, hash: GENESIS_HASH };
    // What is hashed is what jsonb stores: ISO strings, no undefined keys.
    const data = JSON.parse(JSON.stringify(e.data)) as Record<string, unknown>;
    const at = new Date(Math.floor(e.at.getTime()));
    const seq = head.seq + 1;
    const hash = eventHash(head.hash, {
      chain, seq, ticketId: e.ticketId, type: e.type, actorId: null, actorKind: 'system', at, before: null, after: null, data,
    });
    rows.push({
      chain, seq, ticket_id: e.ticketId, type: e.type, actor_id: null, actor_kind: 'system', at: at.toISOString(),
      before: null, after: null, data, prev_hash: head.hash, hash,
    });
    heads.set(chain, { seq, hash });
  }
  return rows;
}

/** The audit insert as a CTE body over `$n` (jsonb array of AuditRow). */
export const insertAuditSql = (param: string) => `insert into audit_events (chain, seq, ticket_id, type, actor_id, actor_kind, at, before, after, data, prev_hash, hash)
  select e.chain, e.seq, e.ticket_id, e.type, e.actor_id, e.actor_kind, e.at, e.before, e.after, e.data, e.prev_hash, e.hash
  from jsonb_to_recordset(${param}::text::jsonb) as e(chain text, seq integer, ticket_id uuid, type text, actor_id uuid,
    actor_kind text, at timestamptz, before jsonb, after jsonb, data jsonb, prev_hash text, hash text)
  returning 1`;
