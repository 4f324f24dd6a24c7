/**
 * The one database schema (Drizzle pg-core). Migrations in ../../drizzle are generated from it
 * by drizzle-kit and applied at start-up. Keep to what PostgreSQL 15 accepts.
 */
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn, bigint, bigserial, boolean, customType, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp,
  unique, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';
import type {
  AcceptanceResult, Analysis, AnalysisInput, CalendarDefinition, Criterion, MeasureStatus, PlanStatus, PlanWarning, RootCauseClass, CustomerTier, CustomFieldDef, Plan, Priority, Product, Role, RuleDefinition, SlaClockStatus,
  SlaMetric, SlaState, TokenScope, FormField, FormValues,
  ApprovalGate, FlowActionKind, FlowInstanceStatus, FlowTaskKind, FlowTaskStatus, FlowTree, FlowVersionStatus,
} from '@closeloop/contract';


const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();
/** Read back as PostgreSQL's text form; the app only ever matches against it in SQL. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const departments = pgTable('departments', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  /** English name shown in the en-US UI (forms issue); null = the Chinese name. */
  nameEn: text('name_en'),
  code: text('code').notNull(),
  parentId: uuid('parent_id'),
  headUserId: uuid('head_user_id'),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('departments_code_uq').on(t.code)]);

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  username: text('username').notNull(),
  displayName: text('display_name').notNull(),
  email: text('email'),
  phone: text('phone'),
  passwordHash: text('password_hash').notNull(),
  role: text('role').$type<Role>().notNull(),
  active: boolean('active').notNull().default(true),
  locale: text('locale').$type<'zh-CN' | 'en-US'>().notNull().default('zh-CN'),
  customerId: uuid('customer_id'),
  /** Working hours of the person (quiet hours of e-mail reminders); null = the default calendar. */
  calendarId: uuid('calendar_id').references((): AnyPgColumn => calendars.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('users_username_uq').on(sql`lower(${t.username})`), index('users_customer_idx').on(t.customerId)]);

export const userDepartments = pgTable('user_departments', {
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  departmentId: uuid('department_id').notNull().references(() => departments.id, { onDelete: 'cascade' }),
  isHead: boolean('is_head').notNull().default(false),
}, (t) => [primaryKey({ columns: [t.userId, t.departmentId] }), index('user_departments_dept_idx').on(t.departmentId)]);

/** Session cookie value is random; only its sha256 is stored. */
export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
  expiresAt: ts('expires_at').notNull(),
  lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
  ip: text('ip'),
  userAgent: text('user_agent'),
}, (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)]);

export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  prefix: text('prefix').notNull(),
  tokenHash: text('token_hash').notNull(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  scopes: jsonb('scopes').$type<TokenScope[]>().notNull(),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  lastUsedAt: ts('last_used_at'),
  expiresAt: ts('expires_at'),
  revokedAt: ts('revoked_at'),
}, (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash)]);

/** Failed (and successful) logins, for per-account and per-address limits shared by instances. */
export const loginAttempts = pgTable('login_attempts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  username: text('username').notNull(),
  ip: text('ip').notNull(),
  succeeded: boolean('succeeded').notNull(),
  at: ts('at').notNull().defaultNow(),
}, (t) => [index('login_attempts_user_idx').on(t.username, t.at), index('login_attempts_ip_idx').on(t.ip, t.at)]);

export const customers = pgTable('customers', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  phone: text('phone'),
  email: text('email'),
  tier: text('tier').$type<'vip' | 'potential' | 'regular'>().notNull().default('regular'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [index('customers_name_idx').on(t.name)]);

/** One customer across channels: each phone / e-mail / external id points to one customer. */
export const customerIdentities = pgTable('customer_identities', {
  kind: text('kind').$type<'phone' | 'email' | 'external'>().notNull(),
  value: text('value').notNull(),
  customerId: uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.kind, t.value] }), index('customer_identities_customer_idx').on(t.customerId)]);

export const categories = pgTable('categories', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  processTemplate: text('process_template').$type<'quick' | 'full'>().notNull(),
  defaultDepartmentId: uuid('default_department_id').references(() => departments.id),
  defaultOwnerId: uuid('default_owner_id').references(() => users.id),
  defaultPriority: text('default_priority').$type<'P1' | 'P2' | 'P3'>().notNull().default('P3'),
  customFields: jsonb('custom_fields').$type<CustomFieldDef[]>().notNull().default([]),
  active: boolean('active').notNull().default(true),
  sort: integer('sort').notNull().default(100),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('categories_code_uq').on(t.code)]);

/**
 * Business calendars (工作日历). The definition is one validated document (zCalendarDefinition):
 * it is always read and compiled whole. `version` grows with every change. At most one row is
 * the default (the partial unique index); the use cases keep it exactly one.
 */
export const calendars = pgTable('calendars', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  definition: jsonb('definition').$type<CalendarDefinition>().notNull(),
  isDefault: boolean('is_default').notNull().default(false),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('calendars_code_uq').on(t.code),
  uniqueIndex('calendars_one_default_uq').on(t.isDefault).where(sql`${t.isDefault}`),
]);

/** Per-day counter behind readable ticket numbers (SH-20261123-0001). */
export const ticketCounters = pgTable('ticket_counters', {
  day: text('day').primaryKey(),
  last: integer('last').notNull(),
});

export const tickets = pgTable('tickets', {
  id: uuid('id').primaryKey(),
  number: text('number').notNull(),
  title: text('title').notNull(),
  description: text('description').notNull(),
  scene: text('scene'),
  phenomenon: text('phenomenon'),
  triedMeasures: text('tried_measures'),
  readBackConfirmed: boolean('read_back_confirmed').notNull().default(false),
  channel: text('channel').notNull(),
  status: text('status').notNull(),
  priority: text('priority').notNull(),
  /** 1 = P1 … 3 = P3: sortable without a CASE. */
  priorityRank: smallint('priority_rank').notNull(),
  urgency: text('urgency').notNull(),
  processTemplate: text('process_template').$type<'quick' | 'full'>().notNull(),
  categoryId: uuid('category_id').notNull().references(() => categories.id),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  product: jsonb('product').$type<Product>().notNull(),
  occurredAt: ts('occurred_at').notNull(),
  expectedBy: ts('expected_by'),
  orderNo: text('order_no'),
  customFields: jsonb('custom_fields').$type<FormValues>().notNull().default({}),
  /** The form version the values follow (forms/): kept when the category's form changes. */
  formVersionId: uuid('form_version_id').references((): AnyPgColumn => formVersions.id),
  departmentId: uuid('department_id').references(() => departments.id),
  ownerId: uuid('owner_id').references(() => users.id),
  createdById: uuid('created_by_id'),
  waitingOnCustomer: boolean('waiting_on_customer').notNull().default(false),
  escalated: boolean('escalated').notNull().default(false),
  reworkCount: integer('rework_count').notNull().default(0),
  reopenCount: integer('reopen_count').notNull().default(0),
  analysis: jsonb('analysis').$type<Analysis>(),
  plan: jsonb('plan').$type<Plan>(),
  resolution: text('resolution'),
  acceptance: jsonb('acceptance').$type<{ result: 'passed' | 'failed'; note: string | null; verifierId: string; at: string }>(),
  feedback: jsonb('feedback').$type<{ rating: number | null; comment: string | null; at: string }>(),
  cancelReason: text('cancel_reason'),
  /** CJK characters and bigrams, latin/digit words, space separated; see search/tokenize.ts. */
  searchText: text('search_text').notNull().default(''),
  /**
   * The search index text as a stored vector (GIN-indexed), so matching a row never re-parses
   * search_text. Generated, so every writer is covered. Positions are stripped: queries are AND
   * of terms, never phrases.
   */
  searchVector: tsvector('search_vector').generatedAlwaysAs(sql.raw(
    `strip(to_tsvector('simple'::regconfig, search_text))`,
  )),
  firstRespondedAt: ts('first_responded_at'),
  resolvedAt: ts('resolved_at'),
  closedAt: ts('closed_at'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  version: integer('version').notNull().default(1),
  /** An SLA policy chosen explicitly (a rule's "set SLA policy"); wins over matching. */
  slaPolicyId: uuid('sla_policy_id'),
  /**
   * Maintained by the SLA domain from its clocks (sla/): the nearest due time of the running
   * clocks (breached ones included, paused ones not) and their worst state. System columns:
   * writing them never bumps `version`, so people's optimistic checks do not fail on a tick.
   */
  slaDueAt: ts('sla_due_at'),
  slaState: text('sla_state').$type<SlaState>(),
  /** Denormalised by rectification/ from the analysis: the ticket header and analytics read them. */
  rootCauseClass: text('root_cause_class').$type<RootCauseClass>(),
  responsibleDepartmentId: uuid('responsible_department_id').references(() => departments.id),
  /** Measures of the approved plan (cancelled left out) and how many are done: progress without a join. */
  measuresTotal: smallint('measures_total').notNull().default(0),
  measuresDone: smallint('measures_done').notNull().default(0),
  /** Owners of the approved plan's measures: they may see the ticket (tickets/access.ts). */
  measureOwnerIds: uuid('measure_owner_ids').array().notNull().default(sql`'{}'::uuid[]`),
}, (t) => [
  uniqueIndex('tickets_number_uq').on(t.number),
  index('tickets_created_idx').on(t.createdAt, t.id),
  index('tickets_updated_idx').on(t.updatedAt, t.id),
  index('tickets_status_created_idx').on(t.status, t.createdAt, t.id),
  // sort=priority: without it a page is a sort of every ticket.
  index('tickets_priority_created_idx').on(t.priorityRank, t.createdAt, t.id),
  index('tickets_owner_status_idx').on(t.ownerId, t.status),
  index('tickets_department_status_idx').on(t.departmentId, t.status),
  index('tickets_customer_created_idx').on(t.customerId, t.createdAt),
  index('tickets_category_idx').on(t.categoryId),
  // Form-field filters (forms/form-filters.ts): equality / containment on values, `custom_fields @> …`.
  index('tickets_custom_fields_gin').using('gin', sql`${t.customFields} jsonb_path_ops`),
  index('tickets_search_vector_gin').using('gin', t.searchVector),
  // `number LIKE 'SH-2026%'`: the database collation (C.UTF-8) is not "C" to the planner, so
  // the unique index cannot serve a prefix; the pattern operator class can.
  index('tickets_number_prefix_idx').on(t.number.op('text_pattern_ops')),
  // Visibility branches of handlers and managers (see tickets/access.ts), each indexable so the
  // planner can OR them in a bitmap instead of filtering a walk over every ticket.
  index('tickets_created_by_idx').on(t.createdById),
  index('tickets_measure_owner_ids_gin').using('gin', t.measureOwnerIds),
  // The responsible department (analysis) sees the ticket it is held responsible for.
  index('tickets_responsible_department_idx').on(t.responsibleDepartmentId).where(sql`responsible_department_id is not null`),
  // Overdue / due-soon figures: open tickets only, with the count dimensions, for index-only counts.
  index('tickets_open_expected_idx')
    .on(t.expectedBy, t.status, t.departmentId, t.ownerId, t.priority, t.channel, t.categoryId)
    .where(sql`status not in ('closed', 'cancelled')`),
  // SLA overdue / due-soon counts (index-only, like the one above) and the list's sort by due time.
  index('tickets_open_sla_due_idx')
    .on(t.slaDueAt, t.status, t.departmentId, t.ownerId, t.priority, t.channel, t.categoryId)
    .where(sql`status not in ('closed', 'cancelled') and sla_due_at is not null`),
  // sort=slaDue: tickets without a running clock sort last (the far-future stand-in keeps keyset
  // cursors plain timestamps).
  index('tickets_sla_due_idx').on(sql`coalesce(${t.slaDueAt}, '9999-12-31 00:00:00+00'::timestamptz)`, t.id),
]);

/**
 * Ticket counts by the dimensions the list filters on, maintained without serialising writers:
 * a trigger on tickets appends +1/-1 rows here (never updates a shared row); a compaction
 * (tickets/compact-ticket-counts.ts) moves them into ticket_count_summary. A count reads
 * summary + pending deltas in one statement.
 */
export const ticketCountDeltas = pgTable('ticket_count_deltas', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  status: text('status').notNull(),
  priority: text('priority').notNull(),
  channel: text('channel').notNull(),
  categoryId: uuid('category_id').notNull(),
  departmentId: uuid('department_id'),
  ownerId: uuid('owner_id'),
  n: integer('n').notNull(),
});

export const ticketCountSummary = pgTable('ticket_count_summary', {
  status: text('status').notNull(),
  priority: text('priority').notNull(),
  channel: text('channel').notNull(),
  categoryId: uuid('category_id').notNull(),
  departmentId: uuid('department_id'),
  ownerId: uuid('owner_id'),
  n: integer('n').notNull(),
}, (t) => [
  unique('ticket_count_summary_dims_uq')
    .on(t.status, t.priority, t.channel, t.categoryId, t.departmentId, t.ownerId)
    .nullsNotDistinct(),
]);

export const comments = pgTable('comments', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id),
  authorId: uuid('author_id'),
  body: text('body').notNull(),
  visibility: text('visibility').$type<'public' | 'internal'>().notNull(),
  createdAt: createdAt(),
}, (t) => [index('comments_ticket_idx').on(t.ticketId, t.createdAt)]);

export const attachments = pgTable('attachments', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id),
  uploadedById: uuid('uploaded_by_id'),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  storageKey: text('storage_key').notNull(),
  createdAt: createdAt(),
}, (t) => [index('attachments_ticket_idx').on(t.ticketId, t.createdAt)]);

/**
 * Append-only, hash-chained audit log. A chain is `ticket:<id>` for a ticket's history or
 * `<entity>:<id>` / `system` for the rest. A trigger (migration 0001) refuses UPDATE and DELETE.
 */
export const auditEvents = pgTable('audit_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  chain: text('chain').notNull(),
  seq: integer('seq').notNull(),
  ticketId: uuid('ticket_id'),
  type: text('type').notNull(),
  actorId: uuid('actor_id'),
  actorKind: text('actor_kind').$type<'user' | 'token' | 'system'>().notNull(),
  at: ts('at').notNull(),
  before: jsonb('before').$type<Record<string, unknown>>(),
  after: jsonb('after').$type<Record<string, unknown>>(),
  data: jsonb('data').$type<Record<string, unknown>>(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
}, (t) => [
  uniqueIndex('audit_events_chain_seq_uq').on(t.chain, t.seq),
  index('audit_events_ticket_idx').on(t.ticketId, t.id),
  // The activity feed is in event time (demo data and imports backdate events), id breaking ties.
  index('audit_events_at_idx').on(t.at, t.id),
]);

/** Side effects to carry out after commit; claimed with FOR UPDATE SKIP LOCKED by any instance. */
export const outbox = pgTable('outbox', {
  id: uuid('id').primaryKey(),
  kind: text('kind').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  /** Same key twice = one row (idempotent enqueue). */
  dedupeKey: text('dedupe_key'),
  status: text('status').$type<'pending' | 'processing' | 'done' | 'dead'>().notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  maxAttempts: integer('max_attempts').notNull().default(8),
  runAt: ts('run_at').notNull().defaultNow(),
  lockedBy: text('locked_by'),
  lockedUntil: ts('locked_until'),
  lastError: text('last_error'),
  createdAt: createdAt(),
  processedAt: ts('processed_at'),
}, (t) => [
  uniqueIndex('outbox_dedupe_uq').on(t.dedupeKey),
  index('outbox_due_idx').on(t.status, t.runAt),
]);

export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  title: text('title').notNull(),
  body: text('body'),
  ticketId: uuid('ticket_id'),
  /** Idempotency: the outbox row (and recipient) that produced it. */
  sourceKey: text('source_key').notNull(),
  readAt: ts('read_at'),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('notifications_source_uq').on(t.sourceKey),
  index('notifications_user_idx').on(t.userId, t.createdAt),
]);

/** Idempotency-Key of POST requests, per caller. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  scope: text('scope').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  resourceId: uuid('resource_id'),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.scope, t.key] })]);

/**
 * SLA policies (sla/): tried in ascending position, the first whose non-empty lists all match
 * the ticket applies. Targets in business minutes of the calendar (null = default calendar);
 * a null target = no clock for that metric. Each change bumps `version`; running clocks keep
 * the version they were computed from until the ticket's policy, priority or tier changes.
 */
export const slaPolicies = pgTable('sla_policies', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  position: integer('position').notNull().default(100),
  priorities: text('priorities').array().$type<Priority[]>().notNull().default(sql`'{}'`),
  tiers: text('tiers').array().$type<CustomerTier[]>().notNull().default(sql`'{}'`),
  categoryIds: uuid('category_ids').array().notNull().default(sql`'{}'`),
  calendarId: uuid('calendar_id'),
  firstResponseMinutes: integer('first_response_minutes'),
  updateMinutes: integer('update_minutes'),
  resolutionMinutes: integer('resolution_minutes'),
  warnPercent: smallint('warn_percent').notNull().default(80),
  level2AfterPercent: smallint('level2_after_percent').notNull().default(50),
  customerUpdates: boolean('customer_updates').notNull().default(false),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [index('sla_policies_position_idx').on(t.position)]);

/** First-response caps per customer tier (VIP 2 h, potential 4 h, regular 8 h): the stricter target wins. */
export const slaTierTargets = pgTable('sla_tier_targets', {
  tier: text('tier').$type<CustomerTier>().primaryKey(),
  firstResponseMinutes: integer('first_response_minutes').notNull(),
  calendarId: uuid('calendar_id'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** One applied clock per ticket and metric (chatwoot's applied_sla, per metric). */
export const slaClocks = pgTable('sla_clocks', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  metric: text('metric').$type<SlaMetric>().notNull(),
  policyId: uuid('policy_id'),
  policyVersion: integer('policy_version'),
  /** `policy` or `tier:<tier>`: which target was the stricter. */
  source: text('source').notNull().default('policy'),
  calendarId: uuid('calendar_id'),
  targetMinutes: integer('target_minutes').notNull(),
  warnPercent: smallint('warn_percent').notNull(),
  level2AfterPercent: smallint('level2_after_percent').notNull(),
  startedAt: ts('started_at').notNull(),
  dueAt: ts('due_at').notNull(),
  warnAt: ts('warn_at').notNull(),
  status: text('status').$type<SlaClockStatus>().notNull(),
  pausedAt: ts('paused_at'),
  /** Business minutes spent paused so far (waiting on the customer): the due time moved by them. */
  pausedMinutes: integer('paused_minutes').notNull().default(0),
  metAt: ts('met_at'),
  warnedAt: ts('warned_at'),
  breachedAt: ts('breached_at'),
  escalationLevel: smallint('escalation_level').notNull().default(0),
  /** The update clock restarts with each public staff reply; firings are keyed by it. */
  cycle: integer('cycle').notNull().default(0),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('sla_clocks_ticket_metric_uq').on(t.ticketId, t.metric)]);

/**
 * What an SLA timer did, once: the key (clock, cycle, kind) is unique, so a breach, a warning,
 * a level-2 escalation or a customer progress message happens exactly once however many
 * runners race for it or however often a timer is retried.
 */
export const slaFirings = pgTable('sla_firings', {
  clockId: uuid('clock_id').notNull().references(() => slaClocks.id, { onDelete: 'cascade' }),
  cycle: integer('cycle').notNull(),
  kind: text('kind').$type<'warn' | 'breach' | 'level2' | 'progress'>().notNull(),
  ticketId: uuid('ticket_id').notNull(),
  firedAt: ts('fired_at').notNull().defaultNow(),
  firedBy: text('fired_by'),
}, (t) => [primaryKey({ columns: [t.clockId, t.cycle, t.kind] }), index('sla_firings_ticket_idx').on(t.ticketId)]);

/**
 * Timers: rows with a due time, unique per (ticket, kind, reference) so scheduling is an upsert
 * and cancelling is by reference. Claimed by every instance's timer runner in bounded batches
 * with FOR UPDATE SKIP LOCKED and a lease (sla/run-timers-once.ts).
 */
export const timers = pgTable('timers', {
  id: uuid('id').primaryKey(),
  kind: text('kind').notNull(),
  ticketId: uuid('ticket_id').notNull(),
  reference: text('reference').notNull(),
  dueAt: ts('due_at').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
  status: text('status').$type<'pending' | 'running' | 'done' | 'cancelled'>().notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  lockedBy: text('locked_by'),
  lockedUntil: ts('locked_until'),
  lastError: text('last_error'),
  createdAt: createdAt(),
  firedAt: ts('fired_at'),
}, (t) => [
  uniqueIndex('timers_ref_uq').on(t.ticketId, t.kind, t.reference),
  index('timers_due_idx').on(t.dueAt).where(sql`status = 'pending'`),
  index('timers_lease_idx').on(t.lockedUntil).where(sql`status = 'running'`),
]);
// ---- routing (tags, rules, skill groups) -----------------------------------------------------

/** The tag library (问题标签库): a hierarchy with the words that suggest each tag. */
export const tags = pgTable('tags', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  parentId: uuid('parent_id'),
  keywords: jsonb('keywords').$type<string[]>().notNull().default([]),
  synonyms: jsonb('synonyms').$type<string[]>().notNull().default([]),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('tags_parent_name_uq').on(sql`coalesce(${t.parentId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.name)]);

/**
 * Tags on tickets with where they came from and what a person decided. The list's tag filter
 * walks (tag_id, ticket_id) for the tickets of a tag, never the tickets table.
 */
export const ticketTags = pgTable('ticket_tags', {
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id),
  tagId: uuid('tag_id').notNull().references(() => tags.id),
  source: text('source').$type<'auto' | 'rule' | 'manual'>().notNull(),
  state: text('state').$type<'suggested' | 'confirmed' | 'removed'>().notNull(),
  reason: text('reason'),
  decidedById: uuid('decided_by_id'),
  decidedAt: ts('decided_at'),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.ticketId, t.tagId] }),
  index('ticket_tags_tag_ticket_idx').on(t.tagId, t.ticketId).where(sql`state <> 'removed'`),
]);

/** Rules (规则): name and order here; what a rule does is in its versions. */
export const rules = pgTable('rules', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  position: integer('position').notNull().default(1000),
  active: boolean('active').notNull().default(true),
  trigger: text('trigger').$type<'intake' | 'update'>().notNull(),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Every saved definition of a rule, so a firing can always be explained by what ran. */
export const ruleVersions = pgTable('rule_versions', {
  ruleId: uuid('rule_id').notNull().references(() => rules.id),
  version: integer('version').notNull(),
  name: text('name').notNull(),
  definition: jsonb('definition').$type<RuleDefinition>().notNull(),
  createdById: uuid('created_by_id'),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.ruleId, t.version] })]);

/** Skill groups (技能组) of a department; rr_seq hands out round-robin turns one at a time. */
export const skillGroups = pgTable('skill_groups', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  departmentId: uuid('department_id').notNull().references(() => departments.id),
  strategy: text('strategy').$type<'round_robin' | 'least_open' | 'queue'>().notNull().default('round_robin'),
  active: boolean('active').notNull().default(true),
  rrSeq: bigint('rr_seq', { mode: 'number' }).notNull().default(0),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('skill_groups_name_uq').on(t.name)]);

export const skillGroupMembers = pgTable('skill_group_members', {
  groupId: uuid('group_id').notNull().references(() => skillGroups.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  onDuty: boolean('on_duty').notNull().default(true),
  capacity: integer('capacity'),
  lastAssignedAt: ts('last_assigned_at'),
  assignedCount: integer('assigned_count').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('skill_group_members_user_idx').on(t.userId)]);

/**
 * Least-open picks whose ticket may not be committed yet: a pick counts toward its member's load
 * until the ticket is visible with that owner (or for two minutes at most), so two intakes at
 * the same instant never both see the same member as the least loaded. No foreign key: the
 * ticket is written after the pick.
 */
export const skillGroupPicks = pgTable('skill_group_picks', {
  ticketId: uuid('ticket_id').notNull(),
  groupId: uuid('group_id').notNull(),
  userId: uuid('user_id').notNull(),
  at: ts('at').notNull(),
}, (t) => [index('skill_group_picks_user_at_idx').on(t.userId, t.at), index('skill_group_picks_at_idx').on(t.at)]);

/** People who follow a ticket without owning it (关注人); rules add them too. */
export const ticketWatchers = pgTable('ticket_watchers', {
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  addedBy: text('added_by').notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.ticketId, t.userId] }), index('ticket_watchers_user_idx').on(t.userId)]);

/**
 * A person's choice per notification kind and channel; no row = on. Read where the message is
 * made (in-app) or sent (e-mail), so a change applies to what is still waiting.
 */
export const notificationPreferences = pgTable('notification_preferences', {
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  channel: text('channel').$type<'in_app' | 'email'>().notNull(),
  enabled: boolean('enabled').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.userId, t.kind, t.channel] })]);

/**
 * One e-mail to one recipient (a user, or a bare address such as a customer's). Rendered when it
 * is sent, in the recipient's language of that moment, from `kind` + `data`; every attempt's
 * outcome is kept here. The source key (`<event id>:<user id>` like the in-app notification's)
 * makes recording idempotent: a repeated subscriber run or a second instance adds nothing.
 */
export const emailDeliveries = pgTable('email_deliveries', {
  id: uuid('id').primaryKey(),
  sourceKey: text('source_key').notNull(),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
  /** A bare recipient's address from the start; a user's address as used at the last attempt. */
  address: text('address'),
  /** Display name for the To: header of a bare recipient (a customer's name). */
  displayName: text('display_name'),
  locale: text('locale').$type<'zh-CN' | 'en-US'>(),
  /** Notification kind: what the recipient may switch off. */
  kind: text('kind').notNull(),
  /** Which template renders it (mail/templates.ts); usually the kind itself. */
  template: text('template').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  ticketId: uuid('ticket_id'),
  subject: text('subject'),
  status: text('status').$type<'queued' | 'sending' | 'sent' | 'failed' | 'dead' | 'skipped' | 'opted_out'>()
    .notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  messageId: text('message_id'),
  /** Not sent before this instant: the recipient's next working minute (quiet hours). */
  notBefore: ts('not_before').notNull().defaultNow(),
  sentAt: ts('sent_at'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('email_deliveries_source_uq').on(t.sourceKey),
  // The admin list: newest first, by status or all (ids are UUID v7).
  index('email_deliveries_status_idx').on(t.status, t.id),
  index('email_deliveries_user_idx').on(t.userId, t.id),
]);

// ==== rectification and acceptance (issue #8: rectification/, acceptance/) ==================

/** The root-cause analysis of a ticket: one validated document (zAnalysisInput), read whole. */
export const rectAnalyses = pgTable('rect_analyses', {
  ticketId: uuid('ticket_id').primaryKey().references(() => tickets.id, { onDelete: 'cascade' }),
  content: jsonb('content').$type<AnalysisInput>().notNull(),
  updatedBy: uuid('updated_by'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** 定性争议: a department disputes its responsibility; a manager decides with reasons. */
export const rectDisputes = pgTable('rect_disputes', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  departmentId: uuid('department_id').notNull().references(() => departments.id),
  reason: text('reason').notNull(),
  proposedDepartmentId: uuid('proposed_department_id').references(() => departments.id),
  raisedBy: uuid('raised_by'),
  raisedAt: ts('raised_at').notNull(),
  status: text('status').$type<'open' | 'decided'>().notNull().default('open'),
  decision: text('decision').$type<'upheld' | 'reassigned'>(),
  responsibleDepartmentId: uuid('responsible_department_id').references(() => departments.id),
  reasons: text('reasons'),
  decidedBy: uuid('decided_by'),
  decidedAt: ts('decided_at'),
}, (t) => [index('rect_disputes_ticket_idx').on(t.ticketId, t.raisedAt)]);

/** 临时措施 per location, before the permanent plan. */
export const rectContainmentActions = pgTable('rect_containment_actions', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  location: text('location').notNull(),
  action: text('action').notNull(),
  ownerId: uuid('owner_id').references(() => users.id),
  quantity: integer('quantity'),
  result: text('result'),
  recordedBy: uuid('recorded_by'),
  recordedAt: ts('recorded_at').notNull(),
}, (t) => [index('rect_containment_ticket_idx').on(t.ticketId, t.recordedAt)]);

/** Plan versions: a resubmission is a new row; earlier versions stay (rejected / superseded). */
export const rectPlans = pgTable('rect_plans', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  status: text('status').$type<PlanStatus>().notNull(),
  summary: text('summary').notNull(),
  warnings: jsonb('warnings').$type<PlanWarning[]>().notNull().default([]),
  submittedBy: uuid('submitted_by'),
  submittedAt: ts('submitted_at').notNull(),
  decidedBy: uuid('decided_by'),
  decidedAt: ts('decided_at'),
  opinion: text('opinion'),
}, (t) => [uniqueIndex('rect_plans_ticket_version_uq').on(t.ticketId, t.version)]);

/**
 * Measures of a plan version, with stable ids. `status` is null until the version is approved
 * (then todo → doing → done, or cancelled); the approved version's measures are the tasks.
 */
export const rectMeasures = pgTable('rect_measures', {
  id: uuid('id').primaryKey(),
  planId: uuid('plan_id').notNull().references(() => rectPlans.id, { onDelete: 'cascade' }),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  previousId: uuid('previous_id'),
  seq: smallint('seq').notNull(),
  type: text('type').$type<'corrective' | 'preventive'>().notNull(),
  preventiveKind: text('preventive_kind'),
  /** Required for new plans (zMeasureInput); null only on measures migrated from the JSON plan without one. */
  ownerId: uuid('owner_id').references(() => users.id),
  action: text('action').notNull(),
  dueDate: text('due_date'),
  criterion: jsonb('criterion').$type<Criterion>().notNull(),
  status: text('status').$type<MeasureStatus>(),
  evidenceAttachmentIds: uuid('evidence_attachment_ids').array().notNull().default(sql`'{}'::uuid[]`),
  note: text('note'),
  startedAt: ts('started_at'),
  completedAt: ts('completed_at'),
  completedBy: uuid('completed_by'),
  onBehalf: boolean('on_behalf').notNull().default(false),
  cancelReason: text('cancel_reason'),
  /** The overdue reminder was sent for this due date (one reminder per due date). */
  remindedFor: text('reminded_for'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  index('rect_measures_plan_idx').on(t.planId, t.seq),
  // 我的整改任务: an owner's tasks, open first, by due date.
  index('rect_measures_owner_idx').on(t.ownerId, t.status, t.dueDate).where(sql`status is not null`),
  // The overdue reminder job: open tasks by due date.
  index('rect_measures_open_due_idx').on(t.dueDate).where(sql`status in ('todo', 'doing')`),
]);

export const rectMeasureComments = pgTable('rect_measure_comments', {
  id: uuid('id').primaryKey(),
  measureId: uuid('measure_id').notNull().references(() => rectMeasures.id, { onDelete: 'cascade' }),
  authorId: uuid('author_id'),
  body: text('body').notNull(),
  createdAt: createdAt(),
}, (t) => [index('rect_measure_comments_measure_idx').on(t.measureId, t.createdAt)]);

/** Acceptance template items per category (admin-managed): item, criterion, method. */
export const acceptanceTemplateItems = pgTable('acceptance_template_items', {
  id: uuid('id').primaryKey(),
  categoryId: uuid('category_id').notNull().references(() => categories.id, { onDelete: 'cascade' }),
  item: text('item').notNull(),
  criterion: text('criterion').notNull(),
  method: text('method'),
  sort: integer('sort').notNull().default(100),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
}, (t) => [index('acceptance_template_items_category_idx').on(t.categoryId, t.sort)]);

/** One acceptance round per start_acceptance; a failed round stays as it was. */
export const acceptanceRounds = pgTable('acceptance_rounds', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  planId: uuid('plan_id').references(() => rectPlans.id),
  round: integer('round').notNull(),
  status: text('status').$type<'open' | 'passed' | 'failed'>().notNull(),
  startedBy: uuid('started_by'),
  startedAt: ts('started_at').notNull(),
  completedBy: uuid('completed_by'),
  completedAt: ts('completed_at'),
  result: text('result'),
}, (t) => [
  uniqueIndex('acceptance_rounds_ticket_round_uq').on(t.ticketId, t.round),
  // 待我验收: open rounds.
  index('acceptance_rounds_open_idx').on(t.startedAt).where(sql`status = 'open'`),
]);

export const acceptanceItems = pgTable('acceptance_items', {
  id: uuid('id').primaryKey(),
  roundId: uuid('round_id').notNull().references(() => acceptanceRounds.id, { onDelete: 'cascade' }),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  seq: smallint('seq').notNull(),
  measureId: uuid('measure_id').references(() => rectMeasures.id),
  templateItemId: uuid('template_item_id').references(() => acceptanceTemplateItems.id, { onDelete: 'set null' }),
  item: text('item').notNull(),
  criterion: jsonb('criterion').$type<Criterion | { kind: 'text'; text: string }>().notNull(),
  method: text('method'),
  measuredValue: text('measured_value'),
  result: text('result').$type<AcceptanceResult>(),
  naReason: text('na_reason'),
  evidenceAttachmentIds: uuid('evidence_attachment_ids').array().notNull().default(sql`'{}'::uuid[]`),
  reportNo: text('report_no'),
  note: text('note'),
  verifierId: uuid('verifier_id'),
  verifiedAt: ts('verified_at'),
}, (t) => [index('acceptance_items_round_idx').on(t.roundId, t.seq)]);
// ---- approvals (flow engine, issue #9) ---------------------------------------------------------

/** An approval flow (审批流程) attached to a gate; the designer edits `draft`, publish makes a version. */
export const flowDefinitions = pgTable('flow_definitions', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  gate: text('gate').$type<ApprovalGate>().notNull(),
  adminUserId: uuid('admin_user_id').notNull().references(() => users.id),
  draft: jsonb('draft').$type<FlowTree>().notNull(),
  activeVersionId: uuid('active_version_id'),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Which category's gate a flow serves: per category and gate at most one flow (the gate's lookup). */
export const flowDefinitionCategories = pgTable('flow_definition_categories', {
  categoryId: uuid('category_id').notNull().references(() => categories.id, { onDelete: 'cascade' }),
  gate: text('gate').$type<ApprovalGate>().notNull(),
  definitionId: uuid('definition_id').notNull().references(() => flowDefinitions.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.categoryId, t.gate] }), index('flow_definition_categories_def_idx').on(t.definitionId)]);

/** Published versions: one active per definition; running instances keep theirs. */
export const flowVersions = pgTable('flow_versions', {
  id: uuid('id').primaryKey(),
  definitionId: uuid('definition_id').notNull().references(() => flowDefinitions.id, { onDelete: 'cascade' }),
  number: integer('number').notNull(),
  status: text('status').$type<FlowVersionStatus>().notNull(),
  tree: jsonb('tree').$type<FlowTree>().notNull(),
  publishedAt: ts('published_at'),
  publishedBy: uuid('published_by'),
}, (t) => [uniqueIndex('flow_versions_number_uq').on(t.definitionId, t.number)]);

/** One run of a flow for a ticket's gate; `state` is the engine's (approvals/engine/types.ts). */
export const flowInstances = pgTable('flow_instances', {
  id: uuid('id').primaryKey(),
  definitionId: uuid('definition_id').notNull().references(() => flowDefinitions.id),
  versionId: uuid('version_id').notNull().references(() => flowVersions.id),
  gate: text('gate').$type<ApprovalGate>().notNull(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id),
  subjectRef: text('subject_ref').notNull(),
  initiatorId: uuid('initiator_id').notNull(),
  status: text('status').$type<FlowInstanceStatus>().notNull(),
  state: jsonb('state').$type<Record<string, unknown>>().notNull(),
  /** Field values the conditions were evaluated on (kept for the read-only path view). */
  fields: jsonb('fields').$type<Record<string, unknown>>().notNull().default({}),
  startedAt: ts('started_at').notNull(),
  endedAt: ts('ended_at'),
}, (t) => [
  index('flow_instances_ticket_idx').on(t.ticketId, t.startedAt),
  uniqueIndex('flow_instances_running_uq').on(t.ticketId, t.gate, t.subjectRef).where(sql`status = 'running'`),
]);

/** The engine's tasks, mirrored for the workbench boxes (待我审批 / 我已审批 / 抄送我) and timeouts. */
export const flowTasks = pgTable('flow_tasks', {
  id: uuid('id').primaryKey(),
  instanceId: uuid('instance_id').notNull().references(() => flowInstances.id, { onDelete: 'cascade' }),
  ticketId: uuid('ticket_id').notNull(),
  nodeId: text('node_id').notNull(),
  nodeName: text('node_name').notNull(),
  kind: text('kind').$type<FlowTaskKind>().notNull(),
  assigneeId: uuid('assignee_id').notNull(),
  status: text('status').$type<FlowTaskStatus>().notNull(),
  auto: boolean('auto').notNull().default(false),
  startedAt: ts('started_at'),
  actedAt: ts('acted_at'),
  readAt: ts('read_at'),
  dueAt: ts('due_at'),
  createdAt: ts('created_at').notNull(),
}, (t) => [
  index('flow_tasks_todo_idx').on(t.assigneeId, t.startedAt, t.id).where(sql`status = 'running' and kind <> 'cc'`),
  index('flow_tasks_done_idx').on(t.assigneeId, t.actedAt, t.id).where(sql`acted_at is not null and not auto and kind <> 'cc'`),
  index('flow_tasks_cc_idx').on(t.assigneeId, t.createdAt, t.id).where(sql`kind = 'cc'`),
  index('flow_tasks_due_idx').on(t.dueAt).where(sql`status = 'running' and due_at is not null`),
  index('flow_tasks_instance_idx').on(t.instanceId),
]);

/** Every action on an instance (who did what when): the path view and the audit's detail. */
export const flowActions = pgTable('flow_actions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  instanceId: uuid('instance_id').notNull().references(() => flowInstances.id, { onDelete: 'cascade' }),
  taskId: uuid('task_id'),
  nodeId: text('node_id'),
  kind: text('kind').$type<FlowActionKind>().notNull(),
  actorId: uuid('actor_id'),
  targetUserIds: jsonb('target_user_ids').$type<string[]>().notNull().default([]),
  targetNodeId: text('target_node_id'),
  opinion: text('opinion'),
  attachmentIds: jsonb('attachment_ids').$type<string[]>().notNull().default([]),
  at: ts('at').notNull(),
}, (t) => [index('flow_actions_instance_idx').on(t.instanceId, t.id)]);

// ==== forms (表单引擎): versioned per-category field definitions =============================
/**
 * One published version of a category's form: the ordered field list, immutable once written.
 * The category's current form is its highest version. Tickets point at the version they were
 * created with (tickets.form_version_id).
 */
export const formVersions = pgTable('form_versions', {
  id: uuid('id').primaryKey(),
  categoryId: uuid('category_id').notNull().references(() => categories.id),
  version: integer('version').notNull(),
  fields: jsonb('fields').$type<FormField[]>().notNull(),
  note: text('note'),
  publishedById: uuid('published_by_id'),
  publishedAt: ts('published_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('form_versions_category_version_uq').on(t.categoryId, t.version)]);
// ---- follow-up, effectiveness, recurrence, knowledge (followup/, knowledge/) -------------------

/**
 * Per-category follow-up settings (回访), one row per category that differs from the defaults
 * (followup/followup-settings.ts): the warranty notice sent with the follow-up link, how long a
 * link stays valid, how long follow_up may stay silent before auto-close, the effectiveness
 * check (days after closure, null = none) and the warranty window for repeat complaints.
 */
export const categoryFollowupSettings = pgTable('category_followup_settings', {
  categoryId: uuid('category_id').primaryKey().references(() => categories.id, { onDelete: 'cascade' }),
  warrantyNotice: text('warranty_notice'),
  warrantyNoticeEn: text('warranty_notice_en'),
  linkValidDays: integer('link_valid_days').notNull().default(7),
  autoCloseDays: integer('auto_close_days').notNull().default(7),
  effectivenessDays: integer('effectiveness_days'),
  warrantyDays: integer('warranty_days').notNull().default(90),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Server-side secrets generated on first use and shared by every instance (HMAC keys). */
export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

/**
 * Follow-up links for the customer (no login): only the sha256 of the signed token is stored.
 * Single use (`used_at`), expiring, bound to one ticket; a newer link supersedes older ones.
 */
export const followUpLinks = pgTable('follow_up_links', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull(),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
  supersededAt: ts('superseded_at'),
  sentTo: text('sent_to'),
  locale: text('locale').$type<'zh-CN' | 'en-US'>().notNull().default('zh-CN'),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('follow_up_links_token_uq').on(t.tokenHash),
  index('follow_up_links_ticket_idx').on(t.ticketId, t.createdAt),
]);

/** Every follow-up answer: the customer's through the link, or a phone call logged by an agent. */
export const followUps = pgTable('follow_ups', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  channel: text('channel').$type<'link' | 'phone'>().notNull(),
  solved: boolean('solved').notNull(),
  rating: smallint('rating'),
  customerWords: text('customer_words'),
  linkId: uuid('link_id'),
  byUserId: uuid('by_user_id').references(() => users.id),
  at: ts('at').notNull(),
}, (t) => [index('follow_ups_ticket_idx').on(t.ticketId, t.at)]);

/**
 * Due items of the follow-up domain: silence auto-close (kind `silence`, while a ticket waits in
 * follow_up). One pending row per (ticket, kind); re-armed by upsert, cancelled by reference.
 * The runner walks the partial index of pending rows by due time, never the tickets.
 */
export const followUpTimers = pgTable('follow_up_timers', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  kind: text('kind').$type<'silence'>().notNull(),
  dueAt: ts('due_at').notNull(),
  status: text('status').$type<'pending' | 'done' | 'cancelled'>().notNull().default('pending'),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
  firedAt: ts('fired_at'),
}, (t) => [
  uniqueIndex('follow_up_timers_ref_uq').on(t.ticketId, t.kind),
  index('follow_up_timers_due_idx').on(t.dueAt).where(sql`status = 'pending'`),
]);

/**
 * Effectiveness checks (有效性验证) of closed quality tickets: scheduled at closure for the
 * category's days, a task of the ticket owner from its due time (the list reads the owner's
 * pending checks through the index), done with an outcome and a note.
 */
export const effectivenessChecks = pgTable('effectiveness_checks', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  ownerId: uuid('owner_id').references(() => users.id),
  dueAt: ts('due_at').notNull(),
  status: text('status').$type<'pending' | 'done' | 'cancelled'>().notNull().default('pending'),
  outcome: text('outcome').$type<'effective' | 'ineffective' | 'inconclusive'>(),
  note: text('note'),
  reopened: boolean('reopened').notNull().default(false),
  checkedById: uuid('checked_by_id').references(() => users.id),
  checkedAt: ts('checked_at'),
  createdAt: createdAt(),
}, (t) => [
  index('effectiveness_checks_owner_idx').on(t.ownerId, t.dueAt).where(sql`status = 'pending'`),
  index('effectiveness_checks_ticket_idx').on(t.ticketId, t.createdAt),
]);

/**
 * Links between tickets: a possible repeat complaint (重复投诉) of an earlier ticket, suggested
 * by the recurrence subscriber and confirmed or dismissed by a person. `ticket_created_at` is
 * the later ticket's, so repeat rates over a period read one index range.
 */
export const ticketLinks = pgTable('ticket_links', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  earlierTicketId: uuid('earlier_ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  kind: text('kind').$type<'possible_repeat'>().notNull(),
  status: text('status').$type<'suggested' | 'confirmed' | 'dismissed'>().notNull().default('suggested'),
  /** Why it was suggested: same_customer_model | same_model_root_cause. */
  reason: text('reason').notNull(),
  ticketCreatedAt: ts('ticket_created_at').notNull(),
  decidedById: uuid('decided_by_id').references(() => users.id),
  decidedAt: ts('decided_at'),
  note: text('note'),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('ticket_links_pair_uq').on(t.ticketId, t.earlierTicketId, t.kind),
  index('ticket_links_earlier_idx').on(t.earlierTicketId),
  index('ticket_links_status_created_idx').on(t.status, t.ticketCreatedAt),
]);

/** Knowledge articles (知识库): searchable by staff with the tickets' Chinese search. */
export const knowledgeArticles = pgTable('knowledge_articles', {
  id: uuid('id').primaryKey(),
  title: text('title').notNull(),
  problem: text('problem').notNull(),
  cause: text('cause').notNull().default(''),
  solution: text('solution').notNull(),
  models: jsonb('models').$type<string[]>().notNull().default([]),
  categoryId: uuid('category_id').references(() => categories.id),
  rootCauseClass: text('root_cause_class'),
  sourceTicketId: uuid('source_ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
  isPublic: boolean('is_public').notNull().default(false),
  status: text('status').$type<'draft' | 'published'>().notNull().default('draft'),
  revision: integer('revision').notNull().default(1),
  searchText: text('search_text').notNull().default(''),
  searchVector: tsvector('search_vector').generatedAlwaysAs(sql.raw(
    `strip(to_tsvector('simple'::regconfig, search_text))`,
  )),
  createdById: uuid('created_by_id').references(() => users.id),
  updatedById: uuid('updated_by_id').references(() => users.id),
  publishedAt: ts('published_at'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  index('knowledge_articles_updated_idx').on(t.updatedAt, t.id),
  index('knowledge_articles_public_idx').on(t.updatedAt, t.id).where(sql`is_public and status = 'published'`),
  index('knowledge_articles_search_gin').using('gin', t.searchVector),
  index('knowledge_articles_source_idx').on(t.sourceTicketId),
]);

/** Every saved version of an article, whole (history and diff). */
export const articleRevisions = pgTable('article_revisions', {
  id: uuid('id').primaryKey(),
  articleId: uuid('article_id').notNull().references(() => knowledgeArticles.id, { onDelete: 'cascade' }),
  revision: integer('revision').notNull(),
  content: jsonb('content').$type<Record<string, unknown>>().notNull(),
  byUserId: uuid('by_user_id').references(() => users.id),
  at: ts('at').notNull(),
}, (t) => [uniqueIndex('article_revisions_uq').on(t.articleId, t.revision)]);

// ---- customer portal (portal/) -------------------------------------------------------------
/** One-time access codes of the portal: stored as an HMAC, expiring, attempt-limited, single-use. */
export const portalAccessCodes = pgTable('portal_access_codes', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id),
  codeHash: text('code_hash').notNull(),
  via: text('via').$type<'phone' | 'email'>().notNull(),
  ip: text('ip').notNull(),
  attempts: integer('attempts').notNull().default(0),
  expiresAt: ts('expires_at').notNull(),
  /** Set when the code was used, died of wrong tries or was replaced by a newer one. */
  endedAt: ts('ended_at'),
  createdAt: createdAt(),
}, (t) => [
  index('portal_access_codes_ticket_idx').on(t.ticketId, t.createdAt),
  index('portal_access_codes_ip_idx').on(t.ip, t.createdAt),
]);

/** A portal session reaching ONE ticket (code access or anonymous submission); id = sha256(cookie). */
export const portalSessions = pgTable('portal_sessions', {
  id: text('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  expiresAt: ts('expires_at').notNull(),
  createdAt: createdAt(),
}, (t) => [index('portal_sessions_ticket_idx').on(t.ticketId)]);

/** Text messages handed to the SMS sender; the default (logging) sender only records them here. */
export const smsMessages = pgTable('sms_messages', {
  id: uuid('id').primaryKey(),
  phone: text('phone').notNull(),
  body: text('body').notNull(),
  sender: text('sender').notNull(),
  ticketId: uuid('ticket_id'),
  createdAt: createdAt(),
}, (t) => [index('sms_messages_phone_idx').on(t.phone, t.createdAt)]);
/**
 * Messages received from platforms and chat channels (integrations/): the key (source, message
 * id) makes a message received twice, even at once, one ticket or one comment.
 */
export const integrationMessages = pgTable('integration_messages', {
  source: text('source').notNull(),
  messageId: text('message_id').notNull(),
  /** The source's conversation id, or `customer:<source customer id>` when none was sent. */
  conversationKey: text('conversation_key').notNull(),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  /** Null only while the first message of a conversation is registering its ticket. */
  ticketId: uuid('ticket_id').references(() => tickets.id),
  commentId: uuid('comment_id'),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.source, t.messageId] }),
  index('integration_messages_conversation_idx').on(t.source, t.conversationKey, t.createdAt),
  index('integration_messages_customer_idx').on(t.customerId),
]);

/** A customer merged into another (customers/merge-customers.ts): the old id answers 404 naming the survivor. */
export const customerMerges = pgTable('customer_merges', {
  customerId: uuid('customer_id').primaryKey(),
  intoCustomerId: uuid('into_customer_id').notNull().references(() => customers.id),
  reason: text('reason').notNull(),
  mergedById: uuid('merged_by_id'),
  mergedAt: ts('merged_at').notNull().defaultNow(),
}, (t) => [index('customer_merges_into_idx').on(t.intoCustomerId)]);
/**
 * Every e-mail message the system has seen or sent, by its Message-ID (unique: the same message
 * twice, even concurrently, is stored once). Incoming ones say what became of them (a ticket, a
 * comment, skipped as an auto-reply or bounce, quarantined); outgoing ones let a customer's reply
 * thread back by In-Reply-To / References. See docs/email-in.md.
 */
export const mailMessages = pgTable('mail_messages', {
  id: uuid('id').primaryKey(),
  messageId: text('message_id').notNull(),
  direction: text('direction').$type<'in' | 'out'>().notNull(),
  outcome: text('outcome').$type<'ticket' | 'comment' | 'skipped' | 'quarantined' | 'sent'>().notNull(),
  reason: text('reason'),
  ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
  commentId: uuid('comment_id'),
  fromAddress: text('from_address'),
  subject: text('subject'),
  /** 'smtp' | 'imap' for incoming; the delivery id for outgoing. */
  source: text('source'),
  size: integer('size'),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('mail_messages_message_id_uq').on(t.messageId),
  index('mail_messages_ticket_idx').on(t.ticketId),
]);
/**
 * Webhook subscriptions (设置 › 集成): a target URL, the event types it hears, its signing secret
 * (`whsec_…`, Standard Webhooks; DingTalk's 加签 secret for that flavour) and how the message is
 * shaped: standard JSON, or a DingTalk / WeCom group robot's markdown.
 */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  flavour: text('flavour').$type<'standard' | 'dingtalk' | 'wecom'>().notNull().default('standard'),
  eventTypes: jsonb('event_types').$type<string[]>().notNull(),
  secret: text('secret').notNull(),
  active: boolean('active').notNull().default(true),
  createdById: uuid('created_by_id').references(() => users.id),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * One event for one subscription. `seq` orders a ticket's deliveries: the runner sends a row
 * only when no earlier row of the same (subscription, ticket) is still pending or failing.
 * The row id is the `webhook-id` the receiver deduplicates by (the same on every retry).
 */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: uuid('id').primaryKey(),
  seq: bigserial('seq', { mode: 'number' }).notNull(),
  subscriptionId: uuid('subscription_id').notNull().references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
  eventId: uuid('event_id').notNull(),
  eventType: text('event_type').notNull(),
  /** Ordering key: the ticket the event is about (the ping of "send test" has none). */
  ticketId: uuid('ticket_id'),
  event: jsonb('event').$type<Record<string, unknown>>().notNull(),
  status: text('status').$type<'pending' | 'sending' | 'delivered' | 'dead'>().notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
  lockedBy: text('locked_by'),
  lockedUntil: ts('locked_until'),
  lastStatusCode: integer('last_status_code'),
  lastLatencyMs: integer('last_latency_ms'),
  lastError: text('last_error'),
  deliveredAt: ts('delivered_at'),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('webhook_deliveries_event_uq').on(t.subscriptionId, t.eventId),
  index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`status in ('pending', 'sending')`),
  index('webhook_deliveries_order_idx').on(t.subscriptionId, t.ticketId, t.seq).where(sql`status in ('pending', 'sending')`),
  index('webhook_deliveries_log_idx').on(t.subscriptionId, t.seq),
]);

/** Admin settings of webhooks: hosts allowed despite the SSRF checks (one row, id = 1). */
export const webhookSettings = pgTable('webhook_settings', {
  id: smallint('id').primaryKey(),
  allowHosts: jsonb('allow_hosts').$type<string[]>().notNull().default([]),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
/**
 * Background spreadsheet exports (spreadsheets/export): one row per requested file, its
 * progress and where the finished file lies. Only the owner may read or download it.
 */
export const exportJobs = pgTable('export_jobs', {
  id: uuid('id').primaryKey(),
  ownerId: uuid('owner_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  list: text('list').notNull(),
  params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
  locale: text('locale').notNull().default('zh-CN'),
  status: text('status').$type<'queued' | 'running' | 'done' | 'failed'>().notNull().default('queued'),
  rowsDone: integer('rows_done').notNull().default(0),
  rowsTotal: integer('rows_total'),
  fileName: text('file_name').notNull(),
  filePath: text('file_path'),
  error: text('error'),
  createdAt: createdAt(),
  finishedAt: ts('finished_at'),
  expiresAt: ts('expires_at').notNull(),
}, (t) => [
  index('export_jobs_owner_idx').on(t.ownerId, t.createdAt),
  index('export_jobs_expires_idx').on(t.expiresAt),
]);
