import { z } from 'zod';
import {
  CHANNELS, COMMENT_VISIBILITIES, CUSTOM_FIELD_TYPES, CUSTOMER_TIERS, PRIORITIES, PROCESS_TEMPLATES,
  ROOT_CAUSE_CLASSES, TICKET_COMMANDS, TICKET_STATUSES, URGENCIES,
} from './enums.js';
import { zDate, zId, zInstant, zPageQuery, zText } from './common.js';
import { zTicketSla } from './sla.js';
import { zAnalysisInput, zPlanInput } from './rectification.js';
import { zFormFilters, zFormValues } from './forms.js';

export const zTicketStatus = z.enum(TICKET_STATUSES);
export const zChannel = z.enum(CHANNELS);
export const zPriority = z.enum(PRIORITIES);
export const zUrgency = z.enum(URGENCIES);
export const zProcessTemplate = z.enum(PROCESS_TEMPLATES);

// ---- customers ---------------------------------------------------------------------------
export const zPhone = z.string().trim().regex(/^\+?[0-9][0-9 -]{2,30}$/, 'not a phone number');

/** The ways one customer is recognised across channels (SPEC §5 customer identity). */
export const zCustomerIdentityFields = z.object({
  phone: zPhone.optional(),
  email: z.string().trim().toLowerCase().email().max(254).optional(),
  /** An id in another system, e.g. `taobao:buyer123`. */
  externalId: z.string().trim().regex(/^[a-z0-9_-]{1,32}:.{1,128}$/, 'expected source:id').optional(),
});
export const atLeastOneIdentity: [
  (c: z.infer<typeof zCustomerIdentityFields>) => boolean,
  { message: string; path: string[] },
] = [
  (c) => !!(c.phone || c.email || c.externalId),
  { message: 'give at least one of phone, email, externalId', path: ['phone'] },
];

export const zCustomerInput = zCustomerIdentityFields.extend({ name: zText(64) }).refine(...atLeastOneIdentity);
export type CustomerInput = z.infer<typeof zCustomerInput>;

export const zCustomer = z.object({
  id: zId,
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  externalIds: z.array(z.string()),
  tier: z.enum(CUSTOMER_TIERS),
  ticketCount: z.number().int(),
  createdAt: zInstant,
});
export type Customer = z.infer<typeof zCustomer>;

export const zCustomerLookup = z.object({
  phone: z.string().trim().max(32).optional(),
  email: z.string().trim().max(254).optional(),
  externalId: z.string().trim().max(200).optional(),
  q: z.string().trim().max(64).optional(),
});

// ---- categories --------------------------------------------------------------------------
export const zCustomFieldDef = z.object({
  key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/),
  label: zText(64),
  labelEn: z.string().max(64).optional(),
  type: z.enum(CUSTOM_FIELD_TYPES),
  required: z.boolean().default(false),
  options: z.array(z.string().min(1).max(64)).max(50).optional(),
});
export type CustomFieldDef = z.infer<typeof zCustomFieldDef>;

export const zCategory = z.object({
  id: zId,
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  processTemplate: zProcessTemplate,
  defaultDepartmentId: zId.nullable(),
  defaultOwnerId: zId.nullable(),
  defaultPriority: zPriority,
  customFields: z.array(zCustomFieldDef),
  active: z.boolean(),
  sort: z.number().int(),
});
export type Category = z.infer<typeof zCategory>;

export const zCategoryCreate = z.object({
  code: z.string().trim().regex(/^[a-z0-9_-]{2,32}$/, '2–32 lower-case letters, digits, _ -'),
  name: zText(64),
  nameEn: z.string().trim().max(64).optional(),
  processTemplate: zProcessTemplate,
  defaultDepartmentId: zId.optional(),
  defaultOwnerId: zId.optional(),
  defaultPriority: zPriority.default('P3'),
  customFields: z.array(zCustomFieldDef).max(30).default([]),
  sort: z.number().int().min(0).max(10000).default(100),
});
/** Written out rather than `zCategoryCreate.partial()`: zod 4 would fill the create defaults into a patch. */
export const zCategoryUpdate = z.object({
  name: zText(64).optional(),
  nameEn: z.string().trim().max(64).optional(),
  processTemplate: zProcessTemplate.optional(),
  defaultDepartmentId: zId.nullable().optional(),
  defaultOwnerId: zId.nullable().optional(),
  defaultPriority: zPriority.optional(),
  customFields: z.array(zCustomFieldDef).max(30).optional(),
  sort: z.number().int().min(0).max(10000).optional(),
  active: z.boolean().optional(),
});

// ---- tickets -----------------------------------------------------------------------------
export const zProduct = z.object({
  model: zText(100),
  sku: z.string().trim().max(64).optional(),
  serial: z.string().trim().max(64).optional(),
  purchaseDate: zDate.optional(),
});
export type Product = z.infer<typeof zProduct>;

/** A ticket's form values (form engine, forms.ts): checked against its form version on the server. */
export const zCustomFieldValues = zFormValues;

/** The intake form (问题登记). The description should give scene, phenomenon and tried measures. */
export const zTicketCreate = z.object({
  title: zText(200),
  description: zText(20000),
  channel: zChannel,
  customer: zCustomerInput,
  product: zProduct,
  occurredAt: zInstant,
  urgency: zUrgency,
  expectedBy: zInstant.optional(),
  category: zId,
  priority: zPriority.optional(),
  orderNo: z.string().trim().max(64).optional(),
  customFields: zCustomFieldValues.optional(),
  /** Structured parts of the description the form prompts for. */
  scene: z.string().trim().max(2000).optional(),
  phenomenon: z.string().trim().max(2000).optional(),
  triedMeasures: z.string().trim().max(2000).optional(),
  /** Phone intake: the agent read the problem back and the customer confirmed (复述确认). */
  readBackConfirmed: z.boolean().optional(),
});
export type TicketCreate = z.infer<typeof zTicketCreate>;

/** Fields staff may edit directly; status, owner and stage content change through transitions. */
export const zTicketPatch = z
  .object({
    title: zText(200),
    description: zText(20000),
    product: zProduct,
    occurredAt: zInstant,
    urgency: zUrgency,
    expectedBy: zInstant.nullable(),
    category: zId,
    priority: zPriority,
    priorityReason: zText(500),
    orderNo: z.string().trim().max(64).nullable(),
    customFields: zCustomFieldValues,
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change', path: [] });
export type TicketPatch = z.infer<typeof zTicketPatch>;

export const zMeasure = z.object({
  action: zText(1000),
  ownerId: zId.optional(),
  dueDate: zDate.optional(),
  criterion: zText(1000),
  done: z.boolean().default(false),
  doneAt: zInstant.nullable().default(null),
  note: z.string().max(2000).nullable().default(null),
});
export type Measure = z.infer<typeof zMeasure>;

export const zAnalysis = z.object({
  directCause: z.string().trim().max(2000).optional(),
  rootCause: zText(2000),
  rootCauseClass: z.enum(ROOT_CAUSE_CLASSES).optional(),
  fiveWhys: z.array(zText(500)).max(10).optional(),
  responsibleDepartmentId: zId.optional(),
});
export type Analysis = z.infer<typeof zAnalysis>;

export const zPlan = z.object({
  summary: zText(4000),
  measures: z.array(zMeasure).min(1).max(50),
});
export type Plan = z.infer<typeof zPlan>;

export const zAcceptance = z.object({
  result: z.enum(['passed', 'failed']),
  note: z.string().max(4000).nullable(),
  verifierId: zId,
  at: zInstant,
});

export const zFeedback = z.object({
  rating: z.number().int().min(1).max(5).nullable(),
  comment: z.string().max(4000).nullable(),
  at: zInstant,
});

export const zUserRef = z.object({ id: zId, displayName: z.string() });

export const zTicket = z.object({
  id: zId,
  number: z.string(),
  title: z.string(),
  description: z.string(),
  scene: z.string().nullable(),
  phenomenon: z.string().nullable(),
  triedMeasures: z.string().nullable(),
  readBackConfirmed: z.boolean(),
  channel: zChannel,
  status: zTicketStatus,
  priority: zPriority,
  urgency: zUrgency,
  processTemplate: zProcessTemplate,
  category: z.object({ id: zId, name: z.string(), code: z.string() }),
  customer: z.object({ id: zId, name: z.string(), phone: z.string().nullable(), email: z.string().nullable() }),
  product: zProduct,
  occurredAt: zInstant,
  expectedBy: zInstant.nullable(),
  orderNo: z.string().nullable(),
  customFields: zCustomFieldValues,
  /** The form version the values were written against (forms: a ticket keeps its version). */
  formVersionId: zId.nullable(),
  department: z.object({ id: zId, name: z.string() }).nullable(),
  owner: zUserRef.nullable(),
  createdBy: zUserRef.nullable(),
  waitingOnCustomer: z.boolean(),
  escalated: z.boolean(),
  reworkCount: z.number().int(),
  reopenCount: z.number().int(),
  /** Denormalised from the analysis (rectification/): shown in the header, used by analytics. */
  rootCauseClass: z.enum(ROOT_CAUSE_CLASSES).nullable(),
  responsibleDepartment: z.object({ id: zId, name: z.string() }).nullable(),
  /** Measures of the approved plan: done / total (cancelled ones left out); 0/0 before approval. */
  planProgress: z.object({ done: z.number().int(), total: z.number().int() }),
  /** Legacy JSON of releases before 0008; no longer written (read GET /tickets/:id/rectification). */
  analysis: zAnalysis.nullable(),
  plan: zPlan.nullable(),
  resolution: z.string().nullable(),
  acceptance: zAcceptance.nullable(),
  feedback: zFeedback.nullable(),
  cancelReason: z.string().nullable(),
  firstRespondedAt: zInstant.nullable(),
  resolvedAt: zInstant.nullable(),
  closedAt: zInstant.nullable(),
  createdAt: zInstant,
  updatedAt: zInstant,
  version: z.number().int(),
  /** The nearest due time of the ticket's running SLA clocks and their worst state. */
  sla: zTicketSla,
  /** Commands the caller may issue now (drives the action buttons). */
  allowedCommands: z.array(z.enum(TICKET_COMMANDS)),
  /** Present (true) while a staff cancellation waits for the category's cancellation flow (撤销审批中); staff views only. */
  cancellationPending: z.boolean().optional(),
});
export type Ticket = z.infer<typeof zTicket>;

/** A row of the list: enough for a table, without stage content. */
export const zTicketSummary = zTicket.pick({
  id: true, number: true, title: true, channel: true, status: true, priority: true, urgency: true,
  category: true, customer: true, department: true, owner: true, waitingOnCustomer: true,
  escalated: true, expectedBy: true, createdAt: true, updatedAt: true, sla: true,
});
export type TicketSummary = z.infer<typeof zTicketSummary>;

const csv = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).max(20));

export const TICKET_SORTS = ['createdAt', 'updatedAt', 'priority', 'number', 'slaDue'] as const;
/** SLA views: a running clock past its due time, or due within the next 4 hours (open tickets). */
export const TICKET_SLA_FILTERS = ['overdue', 'due_soon'] as const;
export type TicketSlaFilter = (typeof TICKET_SLA_FILTERS)[number];
export const SLA_DUE_SOON_MINUTES = 240;

export const zTicketListQuery = zPageQuery.extend({
  status: csv(zTicketStatus).optional(),
  priority: csv(zPriority).optional(),
  channel: csv(zChannel).optional(),
  category: csv(zId).optional(),
  department: csv(zId).optional(),
  /**
   * A user id, or `me`, or `none` for unowned tickets, or `queue` for 待领取: open tickets with
   * no owner in the caller's departments (where routing to a team or skill group leaves them).
   */
  owner: z.union([zId, z.enum(['me', 'none', 'queue'])]).optional(),
  /** Tickets carrying any of these tags (suggested or confirmed). */
  tag: csv(zId).optional(),
  customer: zId.optional(),
  createdFrom: zInstant.optional(),
  createdTo: zInstant.optional(),
  /** Text in number, title, description, customer name and product model (Chinese-aware). */
  q: z.string().trim().max(100).optional(),
  open: z.enum(['true', 'false']).optional(),
  sla: z.enum(TICKET_SLA_FILTERS).optional(),
  /** Form-field filters `key:op:value` (forms.ts zFormFilter); needs exactly one `category`. */
  cf: zFormFilters.optional(),
  sort: z.enum(TICKET_SORTS).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type TicketListQuery = z.infer<typeof zTicketListQuery>;

// ---- transitions -------------------------------------------------------------------------
const cmd = <C extends string, S extends z.ZodRawShape>(command: C, shape: S) =>
  z.object({ command: z.literal(command), ...shape });

export const zTransition = z.discriminatedUnion('command', [
  cmd('accept', { note: z.string().max(2000).optional() }),
  /** Quick path (咨询): the answer given, then on to follow-up. */
  cmd('resolve', { resolution: zText(4000) }),
  /**
   * Creates a new plan version (rectification/). `analysis`, when given, is saved first (else the
   * saved analysis must name a root cause). Vague wording answers 422 with the warnings unless
   * `acknowledgeWarnings` is true.
   */
  cmd('submit_plan', { plan: zPlanInput, analysis: zAnalysisInput.optional(), acknowledgeWarnings: z.boolean().optional() }),
  cmd('approve_plan', { opinion: z.string().max(2000).optional() }),
  cmd('reject_plan', { opinion: zText(2000) }),
  cmd('start_acceptance', { note: z.string().max(2000).optional() }),
  cmd('pass_acceptance', { note: z.string().max(4000).optional() }),
  cmd('fail_acceptance', { reason: zText(4000) }),
  cmd('confirm', { rating: z.number().int().min(1).max(5), comment: z.string().max(4000).optional() }),
  cmd('reopen', { reason: zText(2000) }),
  cmd('cancel', { reason: zText(2000) }),
  cmd('reassign', { departmentId: zId.optional(), ownerId: zId.nullable().optional(), reason: z.string().max(2000).optional() }),
  cmd('set_waiting', { waiting: z.boolean(), note: z.string().max(2000).optional() }),
  cmd('escalate', { reason: zText(2000) }),
]);
export type Transition = z.infer<typeof zTransition>;

// ---- comments, attachments, events -------------------------------------------------------
export const zCommentCreate = z.object({
  body: zText(20000),
  visibility: z.enum(COMMENT_VISIBILITIES).default('public'),
});
export const zComment = z.object({
  id: zId,
  ticketId: zId,
  author: zUserRef.nullable(),
  body: z.string(),
  visibility: z.enum(COMMENT_VISIBILITIES),
  createdAt: zInstant,
});
export type Comment = z.infer<typeof zComment>;

export const zAttachment = z.object({
  id: zId,
  ticketId: zId,
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedBy: zUserRef.nullable(),
  createdAt: zInstant,
  /** Relative URL of the download. */
  url: z.string(),
});
export type Attachment = z.infer<typeof zAttachment>;

export const zEvent = z.object({
  id: z.string(),
  seq: z.number().int(),
  type: z.string(),
  actor: zUserRef.nullable(),
  actorKind: z.enum(['user', 'token', 'system']),
  at: zInstant,
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type TicketEvent = z.infer<typeof zEvent>;

export const zCommentList = z.object({ items: z.array(zComment) });
export const zAttachmentList = z.object({ items: z.array(zAttachment) });
export const zEventList = z.object({ items: z.array(zEvent) });

// ---- notifications -----------------------------------------------------------------------
export const zNotification = z.object({
  id: zId,
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  ticketId: zId.nullable(),
  ticketNumber: z.string().nullable(),
  readAt: zInstant.nullable(),
  createdAt: zInstant,
});
export type Notification = z.infer<typeof zNotification>;
