/**
 * Suggestions at intake and on the ticket page: similar solved tickets and knowledge articles
 * (any of the text's terms, scored by the share of terms they contain), and a likely duplicate
 * (same customer and product model, still open or closed within 30 days).
 * Bounded at any size: candidates are read from the GIN index inside a MATERIALIZED CTE with a
 * limit (a bitmap scan that stops there), scored in memory; the duplicate comes from the
 * customer's tickets (tickets_customer_created_idx).
 */
import { sql } from 'drizzle-orm';
import type { SuggestionInput, Suggestions } from '@closeloop/contract';
import { zSuggestionInput } from '@closeloop/contract';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/util.js';
import { normalizeEmail, normalizePhone } from '../customers/normalize-identity.js';
import { queryTokens } from '../search/tokenize.js';

const CANDIDATES = 500;
const MAX_TERMS = 24;
const SHOWN = 5;
const MIN_SCORE = 0.34;
const DUPLICATE_DAYS = 30;

/** The terms of a text (title weighs first), and the OR tsquery over them. */
function termsOf(text: string): { terms: string[]; query: string | null } {
  const terms = queryTokens(text).terms.map((t) => t.text).slice(0, MAX_TERMS);
  const query = terms.length ? terms.map((t) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ') : null;
  return { terms, query };
}

function score(terms: string[], searchText: string): number {
  if (!terms.length) return 0;
  const have = new Set(searchText.split(' '));
  return terms.filter((t) => have.has(t)).length / terms.length;
}

export async function similarTickets(db: Db, text: string, excludeId?: string): Promise<Suggestions['tickets']> {
  const { terms, query } = termsOf(text);
  if (!query) return [];
  const rows = rowsOf<{ id: string; number: string; title: string; status: string; resolution: string | null; closed_at: Date | null; search_text: string }>(
    await db.execute(sql`with m as materialized (
        select id from tickets where search_vector @@ to_tsquery('simple', ${query}) limit ${CANDIDATES})
      select t.id, t.number, t.title, t.status, coalesce(t.resolution, (select p.summary from rect_plans p where p.ticket_id = t.id and p.status = 'approved' order by p.version desc limit 1)) as resolution, t.closed_at, t.search_text
      from m join tickets t on t.id = m.id
      where t.status in ('follow_up', 'closed') ${excludeId ? sql`and t.id <> ${excludeId}::uuid` : sql``}`),
  );
  return rows.map((r) => ({ r, s: score(terms, r.search_text) }))
    .filter((x) => x.s >= MIN_SCORE).sort((a, b) => b.s - a.s).slice(0, SHOWN)
    .map(({ r, s }) => ({
      id: r.id, number: r.number, title: r.title, status: r.status, resolution: r.resolution,
      closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null, score: Math.round(s * 100) / 100,
    }));
}

export async function similarArticles(db: Db, text: string, publicOnly = false): Promise<Suggestions['articles']> {
  const { terms, query } = termsOf(text);
  if (!query) return [];
  const rows = rowsOf<{ id: string; title: string; problem: string; is_public: boolean; search_text: string }>(
    await db.execute(sql`with m as materialized (
        select id from knowledge_articles where search_vector @@ to_tsquery('simple', ${query}) limit ${CANDIDATES})
      select a.id, a.title, a.problem, a.is_public, a.search_text from m join knowledge_articles a on a.id = m.id
      where a.status = 'published' ${publicOnly ? sql`and a.is_public` : sql``}`),
  );
  return rows.map((r) => ({ r, s: score(terms, r.search_text) }))
    .filter((x) => x.s >= MIN_SCORE).sort((a, b) => b.s - a.s).slice(0, SHOWN)
    .map(({ r, s }) => ({ id: r.id, title: r.title, problem: r.problem.slice(0, 200), isPublic: r.is_public, score: Math.round(s * 100) / 100 }));
}

async function customerIdOf(db: Db, c: NonNullable<SuggestionInput['customer']>): Promise<string | null> {
  if (c.id) return c.id;
  const ids: { kind: string; value: string }[] = [];
  if (c.phone) ids.push({ kind: 'phone', value: normalizePhone(c.phone) });
  if (c.email) ids.push({ kind: 'email', value: normalizeEmail(c.email) });
  for (const i of ids) {
    const [row] = rowsOf<{ customer_id: string }>(await db.execute(
      sql`select customer_id from customer_identities where kind = ${i.kind} and value = ${i.value}`));
    if (row) return row.customer_id;
  }
  return null;
}

export async function likelyDuplicate(db: Db, customerId: string, model: string, excludeId?: string, now = new Date()): Promise<Suggestions['duplicate']> {
  const cutoff = new Date(now.getTime() - DUPLICATE_DAYS * 86_400_000).toISOString();
  const [row] = rowsOf<{ id: string; number: string; title: string; status: string; created_at: Date }>(await db.execute(sql`
    select id, number, title, status, created_at from tickets
    where customer_id = ${customerId}::uuid and (product->>'model') = ${model}
      and (status not in ('closed', 'cancelled') or (status = 'closed' and closed_at >= ${cutoff}::timestamptz))
      ${excludeId ? sql`and id <> ${excludeId}::uuid` : sql``}
    order by created_at desc limit 1`));
  return row ? { id: row.id, number: row.number, title: row.title, status: row.status, createdAt: new Date(row.created_at).toISOString() } : null;
}

/** POST /suggestions: the intake form's draft. */
export async function suggestForDraft(opts: { db: Db; input: SuggestionInput }): Promise<Suggestions> {
  const input = zSuggestionInput.parse(opts.input);
  const text = `${input.title}\n${input.description.slice(0, 300)}`;
  const customerId = input.customer ? await customerIdOf(opts.db, input.customer) : null;
  const model = input.product?.model?.trim();
  return {
    tickets: await similarTickets(opts.db, text),
    articles: await similarArticles(opts.db, text),
    duplicate: customerId && model ? await likelyDuplicate(opts.db, customerId, model) : null,
  };
}

/** GET /tickets/:id/similar: the same for an existing ticket. */
export async function suggestForTicket(opts: { db: Db; ticket: { id: string; title: string; description: string; customerId: string; model: string | null } }): Promise<Suggestions> {
  const { db, ticket } = opts;
  const text = `${ticket.title}\n${ticket.description.slice(0, 300)}`;
  return {
    tickets: await similarTickets(db, text, ticket.id),
    articles: await similarArticles(db, text),
    duplicate: ticket.model ? await likelyDuplicate(db, ticket.customerId, ticket.model, ticket.id) : null,
  };
}
