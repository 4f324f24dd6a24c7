/**
 * The ticket list: filters, Chinese-aware text search and keyset pagination, always limited to
 * the tickets the caller may see. Pages never use OFFSET: the cursor carries the last row's sort
 * key and id, so a page costs the same at row 10 and at row 100 000 and rows created meanwhile
 * neither repeat nor vanish.
 *
 * A search (`q`) runs in two phases whose cost is bounded whether the term is rare or common:
 * 1. walk the next ~1 % of the rows (searchWalkRows) of the list's sort index (after the cursor) and keep
 *    those that match the filters, visibility and text — a common term fills the page after a
 *    few rows, and no filter can make the walk longer;
 *    (skipped when the planner's statistics estimate the term at under a tenth of the walk:
 *    such a term cannot fill a page in it);
 * 2. only if that walk ended without filling the page, take the matches from the search index
 *    (GIN / number prefix / customer index) in a MATERIALIZED CTE and sort them — a term that
 *    is rare among the newest rows is rare enough for that. The CTE keeps the planner from
 *    turning phase 2 back into a walk over the whole table (19–23 s at 1,000,000 tickets).
 */
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { TicketListQuery, TicketSummary } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { categories, customers, departments, tickets, users } from '../db/schema.js';
import { rowsOf, toNumber } from '../db/util.js';
import { invalidField } from '../http/app-error.js';
import { filterWhereWithoutText, ticketFilter } from './ticket-filters.js';
import { formFilterWhere } from '../forms/form-filters.js';
import { toTicketSummary } from './ticket-view.js';

type Sort = TicketListQuery['sort'];

/** Timestamps travel in cursors as text with microseconds: a JS Date would cut them to ms. */
const tsText = (col: SQL | typeof tickets.createdAt) =>
  sql<string>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Due time for sorting: no running clock = last (the far-future stand-in of the index). */
const SLA_DUE_KEY = sql`coalesce(${tickets.slaDueAt}, '9999-12-31 00:00:00+00'::timestamptz)`;

/** Sort columns (id last, as the tie-breaker) and how a cursor value is cast back. */
const SORT_KEYS: Record<Sort, Array<{ col: SQL; cast: (v: string | number) => SQL }>> = {
  createdAt: [{ col: sql`${tickets.createdAt}`, cast: (v) => sql`${v}::timestamptz` }],
  updatedAt: [{ col: sql`${tickets.updatedAt}`, cast: (v) => sql`${v}::timestamptz` }],
  // Rank 1 = P1: ascending lists the most urgent first, then the oldest.
  priority: [
    { col: sql`${tickets.priorityRank}`, cast: (v) => sql`${v}::smallint` },
    { col: sql`${tickets.createdAt}`, cast: (v) => sql`${v}::timestamptz` },
  ],
  number: [{ col: sql`${tickets.number}`, cast: (v) => sql`${v}::text` }],
  // Written exactly as tickets_sla_due_idx, so the index serves the sort and the cursor.
  slaDue: [{ col: SLA_DUE_KEY, cast: (v) => sql`${v}::timestamptz` }],
};

const zCursor = z.object({
  s: z.string(),
  k: z.array(z.union([z.string().max(64), z.number()])).max(3),
  id: z.string().uuid(),
});
type Cursor = z.infer<typeof zCursor>;

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string, tag: string, keys: number): Cursor {
  let parsed: Cursor | undefined;
  try {
    parsed = zCursor.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.k.length !== keys) throw invalidField('query.cursor', 'not a cursor of this list');
  if (parsed.s !== tag) throw invalidField('query.cursor', 'the cursor belongs to another sort order');
  return parsed;
}

type SortKey = { col: SQL; cast: (v: string | number) => SQL };

/**
 * Rows phase 1 examines: about 1 % of the tickets, between 1,000 and 10,000. A term that does
 * not fill a page within 1 % of the rows matches at most ~100 pages' worth of rows overall
 * (if spread like the rest), which is what bounds phase 2; at 1,000,000 tickets the walk is
 * 10,000 rows (see docs/architecture.md for the measurements).
 */
const WALK_SHARE = 0.01;
const WALK_MIN = 1000;
const WALK_MAX = 10_000;
/** The row estimate is a planner statistic; re-read it every few minutes per database. */
const ESTIMATE_TTL_MS = 5 * 60_000;
const walkCache = new WeakMap<object, { rows: number; at: number }>();

async function searchWalkRows(db: DbOrTx): Promise<number> {
  const cached = walkCache.get(db);
  if (cached && Date.now() - cached.at < ESTIMATE_TTL_MS) return cached.rows;
  const [row] = rowsOf<{ n: unknown }>(await db.execute(
    sql`select greatest(reltuples, 0)::bigint as n from pg_class where oid = 'tickets'::regclass`,
  ));
  const rows = Math.min(WALK_MAX, Math.max(WALK_MIN, Math.round(toNumber(row?.n) * WALK_SHARE)));
  walkCache.set(db, { rows, at: Date.now() });
  return rows;
}

/** Below walkRows / this many estimated matches a term counts as rare (1,000 at 1,000,000 tickets). */
const RARE_SHARE_OF_WALK = 10;

/** The planner's estimate of the rows matching the text condition alone (no statement is run). */
async function estimatedMatches(db: DbOrTx, text: SQL): Promise<number> {
  const [row] = rowsOf<{ 'QUERY PLAN': unknown }>(await db.execute(
    sql`explain (format json) select 1 from ${tickets} where ${text}`,
  ));
  const raw = row?.['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan?: { 'Plan Rows'?: number } }> | undefined;
  const rows = plan?.[0]?.Plan?.['Plan Rows'];
  return typeof rows === 'number' ? rows : Number.POSITIVE_INFINITY;
}

/** The ids of a search page, in list order (see the module comment). */
async function searchPageIds(opts: {
  db: DbOrTx;
  /** The list's filters and visibility. */
  where: SQL[];
  /** The cursor's condition: all that bounds the walk, so it examines walkRows rows at most. */
  after: SQL | undefined;
  text: SQL;
  keys: SortKey[];
  order: 'asc' | 'desc';
  want: number;
  walkRows: number;
  /** The set is small (one customer's tickets, a phone / e-mail search): go straight to the index. */
  small: boolean;
}): Promise<string[]> {
  const { db, where, after, text, keys, want, walkRows } = opts;
  const dir = sql.raw(opts.order);
  const matches = and(...where, text)!;
  const aliased = sql.join(keys.map((k, i) => sql`${k.col} as ${sql.raw(`k${i}`)}`), sql`, `);
  const byCols = sql.join(keys.map((k) => sql`${k.col} ${dir}`), sql`, `);
  const byAlias = sql.join(keys.map((_, i) => sql`${sql.raw(`k${i}`)} ${dir}`), sql`, `);
  const walk = sql.raw(String(walkRows));

  // A term the planner's statistics call rare cannot fill a page within the walk: skip it. The
  // estimate only shortens the path; phase 2 reads what the index holds for the term either way.
  const rare = !opts.small && await estimatedMatches(db, opts.text) < walkRows / RARE_SHARE_OF_WALK;
  if (!opts.small && !rare) {
    // The walk takes the next walkRows rows of the sort index whatever they hold, and tests
    // filters, visibility and text on each: a sparse filter or a handler's narrow visibility
    // cannot stretch it. rn marks its last row, so an unfilled page tells "walked everything"
    // from "stopped".
    const walked = rowsOf<{ id: string; hit: boolean; rn: unknown }>(await db.execute(sql`
      select w.id, w.hit, w.rn from (
        select ${tickets.id} as id, ${aliased}, coalesce(${matches}, false) as hit, row_number() over (order by ${byCols}) as rn
        from ${tickets} where ${after ?? sql`true`} order by ${byCols} limit ${walk}
      ) w where w.hit or w.rn = ${walk} order by ${byAlias} limit ${sql.raw(String(want + 1))}`));
    const hits = walked.filter((r) => r.hit).map((r) => r.id);
    const stopped = walked.some((r) => toNumber(r.rn) === walkRows);
    if (hits.length >= want || !stopped) return hits.slice(0, want);
  }

  const cond = after ? and(after, matches)! : matches;
  const indexed = rowsOf<{ id: string }>(await db.execute(sql`
    with m as materialized (
      select ${tickets.id} as id, ${aliased} from ${tickets} where ${cond}
    ) select id from m order by ${byAlias} limit ${sql.raw(String(want))}`));
  return indexed.map((r) => r.id);
}

export async function listTickets(opts: {
  db: DbOrTx;
  actor: Actor;
  query: TicketListQuery;
  /** Phase 1's bound (tests make it tiny to exercise phase 2). */
  searchWalkRows?: number;
}): Promise<{ items: TicketSummary[]; nextCursor: string | null }> {
  const { db, actor, query } = opts;
  const keys: SortKey[] = [...SORT_KEYS[query.sort], { col: sql`${tickets.id}`, cast: (v) => sql`${v}::uuid` }];
  const tag = `${query.sort}:${query.order}`;
  const filter = ticketFilter({ actor, query, formWhere: await formFilterWhere(db, query) });
  let conds = filterWhereWithoutText(filter);
  let after: SQL | undefined;
  if (query.cursor) {
    const c = decodeCursor(query.cursor, tag, keys.length - 1);
    const vals = [...c.k, c.id].map((v, i) => keys[i]!.cast(v));
    const cols = sql.join(keys.map((k) => k.col), sql`, `);
    after = query.order === 'desc'
      ? sql`(${cols}) < (${sql.join(vals, sql`, `)})`
      : sql`(${cols}) > (${sql.join(vals, sql`, `)})`;
  }
  if (filter.text) {
    const ids = await searchPageIds({
      db, where: conds, after, text: filter.text, keys, order: query.order, want: query.limit + 1,
      walkRows: opts.searchWalkRows ?? await searchWalkRows(db),
      small: filter.visibility.kind === 'customer' || !!query.customer || filter.textIsNarrow,
    });
    if (!ids.length) return { items: [], nextCursor: null };
    conds = [inArray(tickets.id, ids)];
  } else if (after) {
    conds.push(after);
  }

  const owner = alias(users, 'owner');
  const rows = await db
    .select({
      ticket: {
        id: tickets.id, number: tickets.number, title: tickets.title, channel: tickets.channel,
        status: tickets.status, priority: tickets.priority, urgency: tickets.urgency,
        waitingOnCustomer: tickets.waitingOnCustomer, escalated: tickets.escalated,
        expectedBy: tickets.expectedBy, createdAt: tickets.createdAt, updatedAt: tickets.updatedAt,
        slaDueAt: tickets.slaDueAt, slaState: tickets.slaState,
      },
      category: { id: categories.id, name: categories.name, code: categories.code },
      customer: { id: customers.id, name: customers.name, phone: customers.phone, email: customers.email },
      department: { id: departments.id, name: departments.name },
      owner: { id: owner.id, displayName: owner.displayName },
      priorityRank: tickets.priorityRank,
      createdKey: tsText(tickets.createdAt),
      updatedKey: tsText(tickets.updatedAt),
      slaDueKey: tsText(SLA_DUE_KEY),
    })
    .from(tickets)
    .innerJoin(categories, eq(categories.id, tickets.categoryId))
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(departments, eq(departments.id, tickets.departmentId))
    .leftJoin(owner, eq(owner.id, tickets.ownerId))
    .where(and(...conds))
    .orderBy(...keys.map((k) => (query.order === 'desc' ? desc(k.col) : asc(k.col))))
    .limit(query.limit + 1);

  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  let nextCursor: string | null = null;
  if (rows.length > query.limit && last) {
    const k: Array<string | number> = {
      createdAt: [last.createdKey],
      updatedAt: [last.updatedKey],
      priority: [last.priorityRank, last.createdKey],
      number: [last.ticket.number],
      slaDue: [last.slaDueKey],
    }[query.sort];
    nextCursor = encodeCursor({ s: tag, k, id: last.ticket.id });
  }
  return { items: page.map(toTicketSummary), nextCursor };
}
