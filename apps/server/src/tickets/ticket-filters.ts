/**
 * The list's filters as one description, shared by the list and the counts so a count is
 * exactly the list's row total. A filter is split by how it can be answered at scale:
 * - `dims`: conditions on the columns the count aggregate keeps (status, priority, channel,
 *   category, department, owner), rendered over tickets or over the aggregate by the same code;
 * - `rest`: other conditions on tickets (customer, created range), served by their indexes;
 * - `text`: the `q` search, which the list runs in two bounded phases (list-tickets.ts);
 * - `visibility`: what the caller may see (access.ts).
 */
import { eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import { SLA_DUE_SOON_MINUTES, TERMINAL_STATUSES, type TicketFilterQuery, type TicketSlaFilter } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { customerIdentities, tickets, ticketTags } from '../db/schema.js';
import { normalizeEmail, normalizePhone } from '../customers/normalize-identity.js';
import { queryTokens, toTsQueryText } from '../search/tokenize.js';
import { ticketVisibility, visibilityWhere, type Visibility } from './access.js';
import { dimWhere, openStatusWhere, type DimFilter } from './ticket-dims.js';

export interface TicketFilter {
  visibility: Visibility;
  /** Answerable by the count aggregate. */
  dims: DimFilter[];
  /** Other conditions on tickets (customer, created range). */
  rest: SQL[];
  /** The `q` condition on tickets, or undefined without a search. */
  text?: SQL;
  /** `q` is a phone number or e-mail address: few rows match, the index answers at once. */
  textIsNarrow: boolean;
}

/** Phone-like: digits with the usual separators, at least 7 digits. */
const PHONE_LIKE = /^\+?[\d\s()-]{7,24}$/;

/**
 * Tickets of the customer a phone number or e-mail address belongs to (resolved through
 * customer_identities in an InitPlan, so `customer_id = ANY(…)` stays an index condition).
 */
function identityMatch(q: string): SQL | undefined {
  let kind: 'phone' | 'email' | undefined;
  let value = '';
  if (q.includes('@')) {
    kind = 'email';
    value = normalizeEmail(q);
  } else if (PHONE_LIKE.test(q) && normalizePhone(q).replace(/\D/g, '').length >= 7) {
    kind = 'phone';
    value = normalizePhone(q);
  }
  if (!kind) return undefined;
  return sql`${tickets.customerId} = any(array(select ${customerIdentities.customerId} from ${customerIdentities}
    where ${customerIdentities.kind} = ${kind} and ${customerIdentities.value} = ${value}))`;
}

/** `q`: a ticket number prefix (SH-2026…), a customer's phone / e-mail, or words. */
function textFilter(q: string): SQL | undefined {
  if (/^sh-[\d-]*$/i.test(q)) {
    // Only digits and dashes: no LIKE escapes needed; served by tickets_number_prefix_idx.
    return sql`${tickets.number} like ${`${q.toUpperCase()}%`}`;
  }
  const tsquery = toTsQueryText(queryTokens(q).terms);
  const words = tsquery ? sql`${tickets.searchVector} @@ to_tsquery('simple', ${tsquery})` : undefined;
  const identity = identityMatch(q);
  if (words && identity) return sql`(${words} or ${identity})`;
  return words ?? identity;
}

/**
 * The SLA views over open tickets, on the denormalised nearest due time (sla/ maintains it):
 * written so tickets_open_sla_due_idx serves them (status literal, due time not null).
 */
function slaWhere(view: TicketSlaFilter, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  if (view === 'overdue') return sql`(${openStatusWhere()} and ${tickets.slaDueAt} < ${at})`;
  const soon = sql`${new Date(now.getTime() + SLA_DUE_SOON_MINUTES * 60_000).toISOString()}::timestamptz`;
  return sql`(${openStatusWhere()} and ${tickets.slaDueAt} >= ${at} and ${tickets.slaDueAt} < ${soon})`;
}

export function ticketFilter(opts: { actor: Actor; query: TicketFilterQuery; now?: Date; formWhere?: SQL[] }): TicketFilter {
  const { actor, query } = opts;
  const dims: DimFilter[] = [];
  // Form-field conditions (forms/form-filters.ts), resolved by the caller against the catalog.
  const rest: SQL[] = [...(opts.formWhere ?? [])];
  if (query.status?.length) dims.push({ dim: 'status', op: 'in', values: query.status });
  if (query.open === 'true') dims.push({ dim: 'status', op: 'notIn', values: [...TERMINAL_STATUSES] });
  if (query.open === 'false') dims.push({ dim: 'status', op: 'in', values: [...TERMINAL_STATUSES] });
  if (query.priority?.length) dims.push({ dim: 'priority', op: 'in', values: query.priority });
  if (query.channel?.length) dims.push({ dim: 'channel', op: 'in', values: query.channel });
  if (query.category?.length) dims.push({ dim: 'categoryId', op: 'in', values: query.category });
  if (query.department?.length) dims.push({ dim: 'departmentId', op: 'in', values: query.department });
  if (query.owner === 'none') dims.push({ dim: 'ownerId', op: 'isNull' });
  else if (query.owner === 'queue') {
    dims.push({ dim: 'ownerId', op: 'isNull' });
    dims.push({ dim: 'departmentId', op: 'in', values: actor.departmentIds });
    dims.push({ dim: 'status', op: 'notIn', values: [...TERMINAL_STATUSES] });
  } else if (query.owner === 'me') dims.push({ dim: 'ownerId', op: 'in', values: actor.userId ? [actor.userId] : [] });
  else if (query.owner) dims.push({ dim: 'ownerId', op: 'in', values: [query.owner] });
  if (query.customer) rest.push(eq(tickets.customerId, query.customer));
  if (query.tag?.length) {
    // Through ticket_tags_tag_ticket_idx (tag → tickets): never a scan of ticket_tags.
    rest.push(sql`${tickets.id} in (select ${ticketTags.ticketId} from ${ticketTags}
      where ${ticketTags.tagId} = any(${`{${query.tag.join(',')}}`}::uuid[]) and ${ticketTags.state} <> 'removed')`);
  }
  if (query.createdFrom) rest.push(gte(tickets.createdAt, new Date(query.createdFrom)));
  if (query.createdTo) rest.push(lte(tickets.createdAt, new Date(query.createdTo)));
  if (query.sla) rest.push(slaWhere(query.sla, opts.now ?? new Date()));
  const text = query.q ? textFilter(query.q) : undefined;
  const textIsNarrow = !!query.q && !!identityMatch(query.q);
  return { visibility: ticketVisibility(actor), dims, rest, text, textIsNarrow };
}

/** Every condition of the filter over tickets except the text search. */
export function filterWhereWithoutText(f: TicketFilter): SQL[] {
  const conds: Array<SQL | undefined> = [visibilityWhere(f.visibility)];
  for (const d of f.dims) conds.push(dimWhere(d));
  conds.push(...f.rest);
  return conds.filter((c): c is SQL => !!c);
}

/** Conditions on `tickets` only (no joins needed), to be combined with AND. */
export function ticketFilterWhere(opts: { actor: Actor; query: TicketFilterQuery }): SQL[] {
  const f = ticketFilter(opts);
  const conds = filterWhereWithoutText(f);
  if (f.text) conds.push(f.text);
  return conds;
}
