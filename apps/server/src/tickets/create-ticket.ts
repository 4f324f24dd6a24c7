/**
 * Intake (问题登记): registers a problem from any channel as a new ticket. The ticket is created
 * `registered`; the initial routing (the category's defaults today, the rules engine next) is
 * the system actor's `assign` through the one transition table, its own event. Everything the
 * command writes — idempotency key, ticket, audit events, published events — goes to the
 * database as ONE statement (data-modifying CTEs are atomic), so a known customer's intake costs
 * two round trips (customer lookup, write) plus, now and then, a block of ticket numbers.
 * Reference data (the caller, the category, names) comes from short-lived caches; the answer is
 * built from what was written instead of being read back. Budget: docs/architecture.md.
 */
import type { CustomerTier, DomainEvent, EventCause, Priority, Ticket, TicketCreate, TicketStatus } from '@closeloop/contract';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { ticketChain } from '../audit/append-event.js';
import { eventHash, GENESIS_HASH } from '../audit/hash.js';
import { categoryById, type CategoryRow } from '../categories/category-cache.js';
import { customerChain } from '../customers/customer-view.js';
import { findOrCreateCustomer, identitiesOf } from '../customers/find-or-create-customer.js';

import { sqlOf, type DbOrTx } from '../db/client.js';
import { isUniqueViolation, newId } from '../db/util.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { AppError, forbidden, invalidField } from '../http/app-error.js';
import { findIdempotentResource, idempotencyScope, requestHash } from '../http/idempotency.js';
import { tickets } from '../db/schema.js';
import { eq } from 'drizzle-orm';
import { departmentById, peopleById } from '../people/people-cache.js';
import { businessHours } from '../routing/business-hours.js';
import { pickGroupMember } from '../routing/pick-group-member.js';
import { firingData, routeIntake } from '../routing/route-intake.js';
import { loadRoutingData } from '../routing/routing-cache.js';
import { currentFormVersion } from '../forms/form-store.js';
import { validateFormValues } from '../forms/validate-values.js';
import { allowedCommands, decideTransition } from './lifecycle.js';
import { PRIORITY_RANK } from './priority.js';
import { nextTicketNumber } from './ticket-number.js';
import { ticketSearchText } from './ticket-search-text.js';
import { ticketRowColumns, type TicketRow } from './ticket-row.js';
import { toTicketView } from './ticket-view.js';

export interface CreateTicketOptions {
  db: DbOrTx;
  actor: Actor;
  input: TicketCreate;
  idempotencyKey?: string;
  /** The intake time; defaults to now (demo data backdates tickets with it). */
  now?: Date;
  /** Set when automation (a subscriber) registers the ticket. */
  cause?: EventCause;
  /**
   * Where the ticket number is taken (default `db`). A caller running createTicket inside its
   * own PostgreSQL transaction passes the pool, so that transaction never holds the counter row.
   */
  numbersFrom?: DbOrTx;
}

export interface CreatedTicket {
  ticket: TicketRow;
  replayed: boolean;
  /** The API view of a newly created ticket, built from what was written (null on replay). */
  view: Ticket | null;
}

interface CustomerRef { id: string; name: string; phone: string | null; email: string | null; tier: CustomerTier }

/** The intake's customer; `create` = a customer nobody knows yet, written by the intake statement. */
interface IntakeCustomer {
  customer: CustomerRef;
  create: { identities: Array<{ kind: string; value: string }> } | null;
}

const FIND_CUSTOMER_BY_IDENTITIES = `select i.kind, i.value, c.id, c.name, c.phone, c.email, c.tier
  from customer_identities i join customers c on c.id = i.customer_id
  where (i.kind, i.value) in (select * from unnest($1::text[], $2::text[]))`;
const FIND_CUSTOMER_BY_ID = 'select id, name, phone, email, tier from customers where id = $1::uuid';

/**
 * The customer of the intake. Known customer (every identity given is on record): one query.
 * Unknown customer (none of them on record): created by the intake statement itself; if a
 * concurrent intake registers the same phone first, the statement fails on the identity's key
 * and createTicket retries, finding that customer. Partly known (a known phone with a new
 * e-mail): findOrCreateCustomer in a transaction of its own, committed before the ticket —
 * input is fully validated before this, so only a database failure can leave the identity
 * attached without the ticket, and a retry finds the customer again.
 */
async function customerFor(db: DbOrTx, actor: Actor, input: TicketCreate): Promise<IntakeCustomer> {
  const sql = sqlOf(db);
  if (actor.role === 'customer') {
    // A customer's login reports for its own customer record, whatever the form says.
    const [own] = actor.customerId
      ? await sql.query<CustomerRef>(FIND_CUSTOMER_BY_ID, [actor.customerId], 'intake_customer_by_id')
      : [];
    if (!own) throw forbidden('this login is not linked to a customer record');
    return { customer: own, create: null };
  }
  const ids = identitiesOf(input.customer);
  const rows = ids.length
    ? await sql.query<CustomerRef & { kind: string; value: string }>(
      FIND_CUSTOMER_BY_IDENTITIES, [ids.map((i) => i.kind), ids.map((i) => i.value)], 'intake_customer_by_identities',
    )
    : [];
  const owners = ids.map((i) => rows.find((r) => r.kind === i.kind && r.value === i.value));
  if (ids.length && owners.every(Boolean)) {
    const { id, name, phone, email, tier } = owners[0]!;
    return { customer: { id, name, phone, email, tier }, create: null };
  }
  if (!owners.some(Boolean)) {
    return {
      customer: {
        id: newId(), name: input.customer.name,
        phone: ids.find((i) => i.kind === 'phone')?.value ?? null, email: ids.find((i) => i.kind === 'email')?.value ?? null,
        tier: 'regular',
      },
      create: { identities: ids },
    };
  }
  const found = await db.transaction((tx) => findOrCreateCustomer({ tx, actor, input: input.customer }));
  const c = found.customer;
  return { customer: { id: c.id, name: c.name, phone: c.phone, email: c.email, tier: c.tier ?? 'regular' }, create: null };
}

/** The category's default owner, if still an active staff user (else the department alone). */
async function defaultOwner(db: DbOrTx, category: CategoryRow): Promise<string | null> {
  if (!category.defaultOwnerId) return null;
  const owner = (await peopleById(db, [category.defaultOwnerId])).get(category.defaultOwnerId);
  // A deactivated default owner must not silently collect tickets nobody reads.
  return owner?.active && owner.role !== 'customer' ? owner.id : null;
}

/**
 * The whole write in one statement. `claim` takes the idempotency key (or is skipped without
 * one); `go` has a row only if the key was claimed, and every insert reads from it, so a
 * repeated key writes nothing and the caller replays the first ticket instead.
 */
const INTAKE = `with claim as (
  insert into idempotency_keys (scope, key, request_hash, resource_id)
  select $1::text, $2::text, $3::text, $4::uuid where $1::text is not null
  on conflict do nothing
  returning 1
), go as (
  select 1 as ok where $1::text is null or exists (select 1 from claim)
), t as (
  insert into tickets (id, number, title, description, scene, phenomenon, tried_measures, read_back_confirmed,
    channel, status, priority, priority_rank, urgency, process_template, category_id, customer_id, product,
    occurred_at, expected_by, order_no, custom_fields, department_id, owner_id, created_by_id, search_text,
    created_at, updated_at, sla_policy_id, form_version_id)
  select $4::uuid, $5::text, $6::text, $7::text, $8::text, $9::text, $10::text, $11::boolean,
    $12::text, $13::text, $14::text, $15::smallint, $16::text, $17::text, $18::uuid, $19::uuid, $20::text::jsonb,
    $21::text::timestamptz, $22::text::timestamptz, $23::text, $24::text::jsonb, $25::uuid, $26::uuid, $27::uuid, $28::text,
    $29::text::timestamptz, $29::text::timestamptz, $40::uuid, $41::uuid
  from go
  returning 1
), ev as (
  insert into audit_events (chain, seq, ticket_id, type, actor_id, actor_kind, at, before, after, data, prev_hash, hash)
  select e.chain, e.seq, e.ticket_id, e.type, e.actor_id, e.actor_kind, e.at, e.before, e.after, e.data, e.prev_hash, e.hash
  from go, jsonb_to_recordset($30::text::jsonb) as e(chain text, seq integer, ticket_id uuid, type text, actor_id uuid,
    actor_kind text, at timestamptz, before jsonb, after jsonb, data jsonb, prev_hash text, hash text)
  returning 1
), ob as (
  insert into outbox (id, kind, payload, dedupe_key, run_at)
  select o.id, o.kind, o.payload, o."dedupeKey", now()
  from go, jsonb_to_recordset($31::text::jsonb) as o(id uuid, kind text, payload jsonb, "dedupeKey" text)
  returning 1
), nc as (
  insert into customers (id, name, phone, email, created_at, updated_at)
  select $32::uuid, $33::text, $34::text, $35::text, $29::text::timestamptz, $29::text::timestamptz
  from go where $32::uuid is not null
  returning 1
), ni as (
  insert into customer_identities (kind, value, customer_id, created_at)
  select x.kind, x.value, $32::uuid, $29::text::timestamptz
  from go, unnest($36::text[], $37::text[]) as x(kind, value) where $32::uuid is not null
  returning 1
), tg as (
  insert into ticket_tags (ticket_id, tag_id, source, state, reason, created_at)
  select $4::uuid, x.tag_id, x.source, x.state, x.reason, $29::text::timestamptz
  from go, jsonb_to_recordset($38::text::jsonb) as x(tag_id uuid, source text, state text, reason text)
  returning 1
), tw as (
  insert into ticket_watchers (ticket_id, user_id, added_by, created_at)
  select $4::uuid, u.id, 'rule', $29::text::timestamptz
  from go, users u where u.id = any($39::uuid[]) and u.active
  returning 1
)
select count(*)::int as created from go`;

interface AuditRow {
  chain: string; seq: number; ticket_id: string | null; type: string; actor_id: string | null; actor_kind: string;
  at: string; before: unknown; after: unknown; data: unknown; prev_hash: string; hash: string;
}

type NewAuditEvent = { actor: Actor; type: string; at: Date; before?: object | null; after?: object | null; data?: object | null };

/** Audit events of a chain the command itself creates: no lock and no read of the chain needed. */
function chainEvents(chain: string, ticketId: string | null, events: NewAuditEvent[]): AuditRow[] {
  const rows: AuditRow[] = [];
  let prevHash = GENESIS_HASH;
  for (const [i, e] of events.entries()) {
    // Dates become ISO strings and undefined keys vanish: what is hashed is what jsonb stores.
    const plain = (v: object | null | undefined) => (v ? JSON.parse(JSON.stringify(v)) as Record<string, unknown> : null);
    const fields = {
      chain, seq: i + 1, ticketId, type: e.type, actorId: e.actor.userId, actorKind: e.actor.kind,
      at: e.at, before: plain(e.before), after: plain(e.after), data: plain(e.data),
    };
    const hash = eventHash(prevHash, fields);
    rows.push({
      chain: fields.chain, seq: fields.seq, ticket_id: ticketId, type: fields.type, actor_id: fields.actorId,
      actor_kind: fields.actorKind, at: e.at.toISOString(), before: fields.before, after: fields.after, data: fields.data,
      prev_hash: prevHash, hash,
    });
    prevHash = hash;
  }
  return rows;
}

async function ticketOfKey(db: DbOrTx, ticketId: string): Promise<TicketRow> {
  const [existing] = await db.select(ticketRowColumns).from(tickets).where(eq(tickets.id, ticketId));
  if (!existing) throw new AppError('CONFLICT', 'the ticket of this Idempotency-Key no longer exists');
  return existing;
}

export async function createTicket(opts: CreateTicketOptions): Promise<CreatedTicket> {
  try {
    return await createTicketOnce(opts);
  } catch (err) {
    // A concurrent intake registered this new customer's phone or e-mail first: now it is a
    // known customer, and the second try finds it.
    if (isUniqueViolation(err)) return createTicketOnce(opts);
    throw err;
  }
}

async function createTicketOnce(opts: CreateTicketOptions): Promise<CreatedTicket> {
  const { db, actor, idempotencyKey } = opts;
  const isCustomer = actor.role === 'customer';
  // Millisecond precision: what is stored is exactly what the API shows and cursors carry.
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  const input: TicketCreate = isCustomer
    ? { ...opts.input, channel: 'web', priority: undefined, readBackConfirmed: undefined }
    : opts.input;

  // 1. Validate everything before writing anything.
  const category = await categoryById(db, input.category);
  if (!category || !category.active) throw invalidField('category', 'unknown or inactive category');
  // Form engine: the values follow the category's current form version, which the ticket keeps.
  const form = await currentFormVersion(db, category.id);
  const custom = validateFormValues(form?.fields ?? [], input.customFields);
  if (custom.errors.length) {
    throw new AppError('VALIDATION_FAILED', `${custom.errors[0]!.path}: ${custom.errors[0]!.message}`, custom.errors);
  }
  const scope = idempotencyKey ? idempotencyScope(actor) : null;
  const hash = idempotencyKey ? requestHash(opts.input) : null;
  if (scope && idempotencyKey) {
    // A retry after a lost answer: replay without touching the customer or a number.
    const earlier = await findIdempotentResource({ db, scope, key: idempotencyKey, hash: hash! });
    if (earlier) return { ticket: await ticketOfKey(db, earlier), replayed: true, view: null };
  }

  const [{ customer, create: newCustomer }, defaultOwnerId, number, routingData, isBusinessTime] = await Promise.all([
    customerFor(db, actor, input),
    defaultOwner(db, category),
    nextTicketNumber({ db: opts.numbersFrom ?? db, now }),
    loadRoutingData(db),
    businessHours(db),
  ]);
  const initialPriority: Priority = input.priority
    ?? (input.urgency === 'critical' ? 'P1' : input.urgency === 'high' ? 'P2' : category.defaultPriority);
  const id = newId(now.getTime());

  // Auto-tagging and the intake rules, over the ticket as the form gave it.
  const { suggestions, evaluation } = routeIntake({
    data: routingData, isBusinessTime,
    facts: {
      title: input.title, description: input.description, scene: input.scene ?? null, phenomenon: input.phenomenon ?? null,
      categoryId: category.id, channel: input.channel, priority: initialPriority, urgency: input.urgency,
      customerTier: customer.tier, productModel: input.product.model, customFields: custom.values, at: now,
    },
  });
  const outcome = evaluation.outcome;
  // A priority the person chose at intake stands; rules set it only when nobody did.
  const priority: Priority = input.priority ?? outcome.priority;
  let finalCategory = category;
  if (outcome.categoryId !== category.id) {
    const ruled = await categoryById(db, outcome.categoryId);
    if (ruled?.active) finalCategory = ruled;
  }

  // 2. The ticket as registered, then routing through the transition table.
  const registered: TicketRow = {
    id, number, title: input.title, description: input.description, scene: input.scene ?? null,
    phenomenon: input.phenomenon ?? null, triedMeasures: input.triedMeasures ?? null,
    readBackConfirmed: input.readBackConfirmed ?? false, channel: input.channel, status: 'registered', priority,
    priorityRank: PRIORITY_RANK[priority], urgency: input.urgency, processTemplate: finalCategory.processTemplate,
    categoryId: finalCategory.id, customerId: customer.id, product: input.product, occurredAt: new Date(input.occurredAt),
    expectedBy: input.expectedBy ? new Date(input.expectedBy) : null, orderNo: input.orderNo ?? null,
    customFields: custom.values, formVersionId: form?.id ?? null, departmentId: null, ownerId: null, createdById: actor.userId,
    waitingOnCustomer: false, escalated: false, reworkCount: 0, reopenCount: 0, analysis: null, plan: null,
    rootCauseClass: null, responsibleDepartmentId: null, measuresTotal: 0, measuresDone: 0, measureOwnerIds: [],
    resolution: null, acceptance: null, feedback: null, cancelReason: null,
    searchText: ticketSearchText({ ...input, number, customerName: customer.name }),
    firstRespondedAt: null, resolvedAt: null, closedAt: null, createdAt: now, updatedAt: now, version: 1,
  };
  const origin = { actor, at: now, cause: opts.cause };
  const audit: NewAuditEvent[] = [{
    actor, type: 'ticket.created', at: now,
    after: {
      number, title: registered.title, channel: registered.channel, status: 'registered', priority: initialPriority,
      urgency: registered.urgency, processTemplate: category.processTemplate, categoryId: category.id,
      customerId: customer.id, product: registered.product, occurredAt: registered.occurredAt,
      expectedBy: registered.expectedBy, orderNo: registered.orderNo, customFields: registered.customFields,
      formVersionId: registered.formVersionId,
    },
  }];
  const ref = { ticketId: id, number, title: registered.title };
  const events: DomainEvent[] = [domainEvent('ticket.created', {
    ...ref, status: 'registered', priority, channel: input.channel, categoryId: finalCategory.id, customerId: customer.id,
  }, origin)];

  // Suggested tags are recorded with the words that suggested them; a person confirms or removes.
  const tagRows: Array<{ tag_id: string; source: string; state: string; reason: string | null }> = suggestions.map((s) => ({
    tag_id: s.tagId, source: 'auto', state: 'suggested', reason: s.words.join('、'),
  }));
  if (suggestions.length) {
    audit.push({
      actor: SYSTEM_ACTOR, type: 'ticket.tags_suggested', at: now,
      data: { tags: suggestions.map((s) => ({ tagId: s.tagId, path: s.path, words: s.words })) },
    });
  }
  // Every rule that fired is an event of its own: 规则『…』已执行, with what it changed.
  let routedBy: string | null = null;
  let prevPriority = initialPriority;
  let prevCategory = category.id;
  const notifyRows: Array<{ id: string; kind: string; payload: object; dedupeKey: string }> = [];
  for (const r of evaluation.results) {
    if (!r.matched) continue;
    const changes = { ...r.changes };
    if (changes.priority && input.priority) delete changes.priority;
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (changes.priority && changes.priority !== prevPriority) {
      before.priority = prevPriority; after.priority = changes.priority; prevPriority = changes.priority;
    }
    if (changes.categoryId && changes.categoryId !== prevCategory && finalCategory.id === changes.categoryId) {
      before.categoryId = prevCategory; after.categoryId = changes.categoryId; prevCategory = changes.categoryId;
    }
    if (changes.departmentId || changes.ownerId) routedBy = r.rule.id;
    audit.push({
      actor: SYSTEM_ACTOR, type: 'ticket.rule_fired', at: now,
      before: Object.keys(before).length ? before : null, after: Object.keys(after).length ? after : null,
      data: firingData(r.rule, changes),
    });
    if (changes.notifyUserIds?.length) {
      const message = r.rule.definition.actions.find((a) => a.type === 'notify');
      notifyRows.push({
        id: newId(), kind: 'notify.users', dedupeKey: `rule-notify:${id}:${r.rule.id ?? r.rule.name}`,
        payload: {
          userIds: changes.notifyUserIds, kind: 'rule_notify', ticketId: id,
          title: `${number} ${registered.title}`,
          body: (message?.type === 'notify' ? message.message : undefined) ?? `规则『${r.rule.name}』已执行`,
        },
      });
    }
  }
  const watcherIds = outcome.watcherIds;
  for (const tagId of outcome.tagIds) {
    const existing = tagRows.find((t) => t.tag_id === tagId);
    // A rule's tag is decided by the rule: confirmed, whether or not the tagger suggested it.
    if (existing) Object.assign(existing, { source: 'rule', state: 'confirmed' });
    else if (routingData.tags.get(tagId)?.active) tagRows.push({ tag_id: tagId, source: 'rule', state: 'confirmed', reason: null });
  }

  let departmentId = category.defaultDepartmentId;
  let ownerId = defaultOwnerId;
  let reason = 'category_default';
  if (outcome.routed) {
    departmentId = outcome.departmentId;
    ownerId = outcome.ownerId;
    if (ownerId) {
      const p = (await peopleById(db, [ownerId])).get(ownerId);
      if (!p?.active || p.role === 'customer') ownerId = null;
    }
    if (!ownerId && outcome.skillGroupId) {
      ownerId = await pickGroupMember({
        db, skillGroupId: outcome.skillGroupId, now, ticketId: id, strategy: routingData.groups.get(outcome.skillGroupId)?.strategy,
      });
    }
    reason = `rule:${routedBy}`;
  }

  let ticket = registered;
  if (departmentId || ownerId) {
    const decision = decideTransition({
      ticket: registered, actor: SYSTEM_ACTOR, now,
      transition: { command: 'assign', departmentId, ownerId, reason },
    });
    if (!decision.ok) throw new AppError(decision.code, decision.message);
    ticket = { ...registered, ...decision.patch };
    audit.push({
      actor: SYSTEM_ACTOR, type: decision.eventType, at: now,
      before: { status: 'registered', departmentId: null, ownerId: null },
      after: { status: ticket.status, departmentId: ticket.departmentId, ownerId: ticket.ownerId },
      data: { reason, categoryId: finalCategory.id, ...(outcome.skillGroupId && outcome.routed ? { skillGroupId: outcome.skillGroupId } : {}) },
    });
    events.push(domainEvent('ticket.assigned', {
      ...ref, command: 'assign', status: ticket.status as TicketStatus, reason,
      ...(outcome.skillGroupId && outcome.routed ? { skillGroupId: outcome.skillGroupId } : {}),
      from: { departmentId: null, ownerId: null }, to: { departmentId: ticket.departmentId, ownerId: ticket.ownerId },
    }, { ...origin, actor: SYSTEM_ACTOR }));
  }

  // 3. One statement writes it all.
  const auditRows = chainEvents(ticketChain(id), id, audit);
  if (newCustomer) {
    auditRows.push(...chainEvents(customerChain(customer.id), null, [{
      actor, type: 'customer.created', at: now,
      after: {
        name: customer.name, phone: customer.phone, email: customer.email,
        identities: newCustomer.identities.map((i) => `${i.kind}:${i.value}`),
      },
    }]));
  }
  const [result] = await sqlOf(db).query<{ created: number }>(INTAKE, [
    scope, idempotencyKey ?? null, hash, id, number, ticket.title, ticket.description, ticket.scene, ticket.phenomenon,
    ticket.triedMeasures, ticket.readBackConfirmed, ticket.channel, ticket.status, ticket.priority, ticket.priorityRank,
    ticket.urgency, ticket.processTemplate, ticket.categoryId, ticket.customerId, JSON.stringify(ticket.product),
    ticket.occurredAt.toISOString(), ticket.expectedBy?.toISOString() ?? null, ticket.orderNo,
    JSON.stringify(ticket.customFields), ticket.departmentId, ticket.ownerId, ticket.createdById, ticket.searchText,
    now.toISOString(), JSON.stringify(auditRows), JSON.stringify([...eventOutboxRows(events), ...notifyRows]),
    newCustomer ? customer.id : null, customer.name, customer.phone, customer.email,
    newCustomer?.identities.map((i) => i.kind) ?? [], newCustomer?.identities.map((i) => i.value) ?? [],
    JSON.stringify(tagRows), watcherIds, outcome.slaPolicyId ?? null, ticket.formVersionId,
  ], 'intake_create_v4');
  if (!result?.created) {
    // Another request with this key committed first (its insert made ours wait): replay it.
    const earlier = await findIdempotentResource({ db, scope: scope!, key: idempotencyKey!, hash: hash! });
    if (!earlier) throw new AppError('CONFLICT', 'a request with this Idempotency-Key is in progress; retry');
    return { ticket: await ticketOfKey(db, earlier), replayed: true, view: null };
  }

  // 4. The answer from what was written.
  const people = await peopleById(db, [ticket.ownerId, actor.userId].filter((v): v is string => !!v));
  const department = ticket.departmentId ? await departmentById(db, ticket.departmentId) : null;
  const person = (pid: string | null) => {
    const p = pid ? people.get(pid) : undefined;
    return p ? { id: p.id, displayName: p.displayName } : null;
  };
  const view = toTicketView({
    ticket,
    category: { id: finalCategory.id, name: finalCategory.name, code: finalCategory.code },
    customer: { id: customer.id, name: customer.name, phone: customer.phone, email: customer.email },
    department: department ? { id: department.id, name: department.name } : null,
    owner: person(ticket.ownerId),
    createdBy: person(actor.userId),
  }, { allowedCommands: allowedCommands(ticket, actor, now), forCustomer: isCustomer });
  return { ticket, replayed: false, view };
}
