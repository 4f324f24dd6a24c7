/**
 * The WHERE conditions of a ticket query from the list's filters, always starting with what the
 * caller may see. Shared by the list and the counts so a count is exactly the list's row total.
 */
import { and, eq, gte, ilike, inArray, isNull, lte, notInArray, or, type SQL, sql } from 'drizzle-orm';
import { TERMINAL_STATUSES, type TicketFilterQuery } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { tickets } from '../db/schema.js';
import { queryTokens, toTsQueryText } from '../search/tokenize.js';
import { visibleTicketsWhere } from './access.js';

/** ILIKE pattern for a literal substring: % _ and \ in user text match themselves. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `q`: a ticket number prefix (SH-2026…) or words, Chinese or not. */
function textFilter(q: string): SQL | undefined {
  if (/^sh-[\d-]*$/i.test(q)) {
    return sql`${tickets.number} like ${`${q.toUpperCase()}%`}`; // only digits and dashes: no LIKE escapes
  }
  const { terms, singles } = queryTokens(q);
  const conds: SQL[] = [];
  const tsquery = toTsQueryText(terms);
  // 'simple' written literally so the condition matches the GIN index expression.
  if (tsquery) conds.push(sql`to_tsvector('simple', ${tickets.searchText}) @@ to_tsquery('simple', ${tsquery})`);
  for (const c of singles) {
    conds.push(or(ilike(tickets.title, containing(c)), ilike(tickets.description, containing(c)))!);
  }
  return conds.length ? and(...conds) : undefined;
}

/** Conditions on `tickets` only (no joins needed), to be combined with AND. */
export function ticketFilterWhere(opts: { actor: Actor; query: TicketFilterQuery }): SQL[] {
  const { actor, query } = opts;
  const conds: Array<SQL | undefined> = [visibleTicketsWhere(actor)];
  if (query.status?.length) conds.push(inArray(tickets.status, query.status));
  if (query.open === 'true') conds.push(notInArray(tickets.status, [...TERMINAL_STATUSES]));
  if (query.open === 'false') conds.push(inArray(tickets.status, [...TERMINAL_STATUSES]));
  if (query.priority?.length) conds.push(inArray(tickets.priority, query.priority));
  if (query.channel?.length) conds.push(inArray(tickets.channel, query.channel));
  if (query.category?.length) conds.push(inArray(tickets.categoryId, query.category));
  if (query.department?.length) conds.push(inArray(tickets.departmentId, query.department));
  if (query.owner === 'none') conds.push(isNull(tickets.ownerId));
  else if (query.owner === 'me') conds.push(actor.userId ? eq(tickets.ownerId, actor.userId) : sql`false`);
  else if (query.owner) conds.push(eq(tickets.ownerId, query.owner));
  if (query.customer) conds.push(eq(tickets.customerId, query.customer));
  if (query.createdFrom) conds.push(gte(tickets.createdAt, new Date(query.createdFrom)));
  if (query.createdTo) conds.push(lte(tickets.createdAt, new Date(query.createdTo)));
  if (query.q) conds.push(textFilter(query.q));
  return conds.filter((c): c is SQL => !!c);
}
