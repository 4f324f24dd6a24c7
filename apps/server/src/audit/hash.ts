/** The hash of an audit event: sha256 over the previous hash and a canonical JSON of the event. */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface HashedFields {
  chain: string;
  seq: number;
  ticketId: string | null;
  type: string;
  actorId: string | null;
  actorKind: string;
  at: Date;
  before: unknown;
  after: unknown;
  data: unknown;
}

export function eventHash(prevHash: string, e: HashedFields): string {
  const body = canonicalJson({
    chain: e.chain, seq: e.seq, ticketId: e.ticketId, type: e.type, actorId: e.actorId,
    actorKind: e.actorKind, at: e.at.toISOString(), before: e.before ?? null, after: e.after ?? null,
    data: e.data ?? null,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
