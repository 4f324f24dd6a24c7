// The bench seed's tickets must look like the app made them: every event a step the lifecycle
// table allows, the row the state the events end in, the chains verifiable. Run with
// `npx vitest run --config bench/vitest.config.ts`.
import { describe, expect, it } from 'vitest';
import type { TicketStatus } from '@closeloop/contract';
import { eventHash, GENESIS_HASH } from '../apps/server/src/audit/hash.js';
import { newId } from '../apps/server/src/db/util.js';
import { ruleFor } from '../apps/server/src/tickets/lifecycle.js';
import { BENCH_CATEGORIES, BENCH_DEPARTMENTS, BENCH_STAFF, RARE_SERIAL, RARE_WORDS } from './seed-catalog.js';
import { TicketFactory, customerOf, type SeedContext } from './seed-tickets.js';

const now = Date.UTC(2026, 11, 1, 12);
const N = 3000;

function context(): SeedContext {
  const departmentIds = Object.fromEntries(BENCH_DEPARTMENTS.map((d) => [d.code, newId()]));
  const categoryIds = Object.fromEntries(BENCH_CATEGORIES.map((c) => [c.code, newId()]));
  return {
    now, tickets: N, customers: 600, eventBaseSec: Math.floor(now / 1000) - 740 * 86400, departmentIds, categoryIds,
    formVersionIds: Object.fromEntries(BENCH_CATEGORIES.map((c) => [c.code, newId()])),
    staff: BENCH_STAFF.map((s) => ({ username: s.username, id: newId(), role: s.role, departments: s.departments, head: s.head })),
    customerIds: Array.from({ length: 600 }, () => newId()), knownCustomerUserId: newId(),
  };
}

interface EventRow {
  id: number; chain: string; seq: number; ticket_id: string; type: string; actor_id: string | null; actor_kind: string;
  at: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null; data: unknown;
  prev_hash: string; hash: string;
}

describe('bench seed tickets', () => {
  const ctx = context();
  const createdAt = Array.from({ length: N }, (_, i) => now - 700 * 86_400_000 + i * 20_000_000);
  const result = new TicketFactory(ctx).makeChunk({ start: 0, createdAt, numbers: createdAt.map((_, i) => `SH-X-${i}`) });
  const tickets = JSON.parse(result.tickets) as Array<Record<string, unknown>>;
  const events = JSON.parse(result.events) as EventRow[];

  it('chains each ticket with verifiable hashes and ids that grow with time', () => {
    const prev = new Map<string, { seq: number; hash: string; id: number }>();
    const wrong: string[] = [];
    for (const e of events) {
      const p = prev.get(e.chain) ?? { seq: 0, hash: GENESIS_HASH, id: 0 };
      const hash = eventHash(e.prev_hash, {
        chain: e.chain, seq: e.seq, ticketId: e.ticket_id, type: e.type, actorId: e.actor_id, actorKind: e.actor_kind,
        at: new Date(e.at), before: e.before, after: e.after, data: e.data,
      });
      if (e.seq !== p.seq + 1 || e.prev_hash !== p.hash || hash !== e.hash) wrong.push(`${e.chain} #${e.seq}: broken link`);
      if (!(e.id > p.id && e.id < 1e15)) wrong.push(`${e.chain} #${e.seq}: id ${e.id} after ${p.id}`);
      prev.set(e.chain, { seq: e.seq, hash: e.hash, id: e.id });
    }
    expect(wrong).toEqual([]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(prev.size).toBe(N);
  });

  it('walks only transitions the lifecycle table allows, ending in the row\'s status', () => {
    const byTicket = new Map<string, EventRow[]>();
    for (const e of events) byTicket.set(e.ticket_id, [...(byTicket.get(e.ticket_id) ?? []), e]);
    // Every departure from the table, as text: the list must stay empty.
    const wrong: string[] = [];
    for (const t of tickets) {
      let status: TicketStatus = 'registered';
      for (const e of byTicket.get(t.id as string)!) {
        const command = e.type.slice('ticket.'.length);
        // Other domains' events (rectification.measure_completed) are not lifecycle commands.
        if (e.type.startsWith('ticket.') && command !== 'created' && command !== 'assigned') {
          const rule = ruleFor(command as never);
          if (!rule?.from.includes(status)) wrong.push(`${t.number}: ${e.type} from ${status}`);
          if (rule && !rule.templates.includes(t.process_template as never)) wrong.push(`${t.number}: ${e.type} in ${t.process_template}`);
          if (e.after?.status && e.before?.status !== status) wrong.push(`${t.number}: ${e.type} before ${String(e.before?.status)}, was ${status}`);
        }
        status = (e.after?.status as TicketStatus | undefined) ?? status;
      }
      if (status !== t.status) wrong.push(`${t.number}: events end ${status}, row ${String(t.status)}`);
      if ((t.status === 'closed') !== (t.closed_at !== null)) wrong.push(`${t.number}: ${String(t.status)} with closed_at ${String(t.closed_at)}`);
      const planned = t.process_template === 'full' && ['rectifying', 'accepting', 'follow_up', 'closed'].includes(t.status as string);
      if (planned && !(t.plan as { measures: unknown[] } | null)?.measures.length) wrong.push(`${t.number}: ${String(t.status)} without plan measures`);
    }
    expect(wrong).toEqual([]);
  });

  it('has mostly closed tickets, the priorities mixed 10/30/60 and the planted probes', () => {
    const share = (f: (t: Record<string, unknown>) => boolean) => tickets.filter(f).length / N;
    expect(share((t) => t.status === 'closed' || t.status === 'cancelled')).toBeGreaterThan(0.9);
    expect(share((t) => t.priority === 'P1')).toBeCloseTo(0.1, 1);
    expect(share((t) => t.priority === 'P3')).toBeCloseTo(0.6, 1);
    for (const w of RARE_WORDS) expect(result.hits[w]).toBe(50);
    expect(result.hits[RARE_SERIAL]).toBe(50);
    expect(share((t) => t.customer_id === ctx.customerIds[0])).toBeGreaterThan(0);
    expect(new Set(Array.from({ length: 5000 }, (_, k) => customerOf(k).phone)).size).toBe(5000);
  });
});
