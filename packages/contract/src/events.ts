/**
 * The catalog of published domain events: one name and one zod payload schema per event type.
 * Commands publish them inside their transaction (as outbox rows); subscribers (notifications
 * today; routing rules, SLA, webhooks and analytics next) receive them after commit, validated
 * against this catalog when read. The names are the audit trail's names for the same facts.
 */
import { z } from 'zod';
import { zId, zInstant } from './common.js';
import { CHANNELS, PRIORITIES, ROOT_CAUSE_CLASSES, TICKET_COMMANDS, TICKET_STATUSES } from './enums.js';
import { SLA_METRICS } from './sla.js';
import { APPROVAL_GATES, FLOW_INSTANCE_STATUSES } from './approvals.js';

const zTicketRef = {
  ticketId: zId,
  number: z.string(),
  title: z.string(),
};
const zSlaFiring = {
  metric: z.enum(SLA_METRICS),
  level: z.number().int().min(0).max(2),
  /** The update clock's restart count (0 for the other metrics). */
  cycle: z.number().int().min(0),
  dueAt: zInstant,
};
/** The measure an event is about, named so a timeline can show it without a lookup. */
const zMeasureRef = { measureId: zId, ownerId: zId, action: z.string() };
const zApproval = {
  ...zTicketRef,
  instanceId: zId,
  gate: z.enum(APPROVAL_GATES),
  definitionName: z.string(),
  initiatorId: zId,
};
const zApprovalStep = {
  nodeId: z.string(),
  nodeName: z.string(),
  taskId: zId.nullable(),
  opinion: z.string().nullable(),
};
const zPlacement = z.object({ departmentId: zId.nullable(), ownerId: zId.nullable() });

export const EVENT_PAYLOADS = {
  /** Intake registered a ticket (always as `registered`; routing follows as ticket.assigned). */
  'ticket.created': z.object({
    ...zTicketRef,
    status: z.literal('registered'),
    priority: z.enum(PRIORITIES),
    channel: z.enum(CHANNELS),
    categoryId: zId,
    customerId: zId,
  }),
  /** The ticket's department and/or owner changed (routing, reassign, accept by a department member). */
  'ticket.assigned': z.object({
    ...zTicketRef,
    command: z.enum(TICKET_COMMANDS),
    status: z.enum(TICKET_STATUSES),
    from: zPlacement,
    to: zPlacement,
    /** Why: `category_default`, `reassign`, `accept`, `rule:<rule id>` … */
    reason: z.string(),
    /** Routed to this skill group (技能组): with no owner, its on-duty members are told. */
    skillGroupId: zId.optional(),
  }),
  /** A lifecycle command moved the ticket to another status. */
  'ticket.status_changed': z.object({
    ...zTicketRef,
    command: z.enum(TICKET_COMMANDS),
    from: z.enum(TICKET_STATUSES),
    to: z.enum(TICKET_STATUSES),
  }),
  /**
   * A command or an edit changed the ticket without changing its status. `customer.tier`: the
   * ticket's customer changed tier (published by the customers domain for each open ticket).
   */
  'ticket.updated': z.object({
    ...zTicketRef,
    command: z.enum(TICKET_COMMANDS).nullable(),
    fields: z.array(z.string()),
    /** set_waiting: the new value (SLA clocks pause and resume on it, idempotently). */
    waitingOnCustomer: z.boolean().optional(),
  }),
  /** Someone escalated the ticket (升级): its department's heads and managers are told. */
  'ticket.escalated': z.object({
    ...zTicketRef,
    departmentId: zId.nullable(),
    reason: z.string().nullable(),
  }),
  /** An SLA clock reached its warning share (level 0): the owner is reminded. */
  'sla.warned': z.object({ ...zTicketRef, ...zSlaFiring }),
  /** An SLA clock passed its due time (level 1): ticket flagged overdue, the group manager told. */
  'sla.breached': z.object({ ...zTicketRef, ...zSlaFiring }),
  /** A breached clock stayed unmet for a further interval (level 2): the department head told. */
  'sla.escalated': z.object({ ...zTicketRef, ...zSlaFiring }),
  'comment.added': z.object({
    ...zTicketRef,
    commentId: zId,
    visibility: z.enum(['public', 'internal']),
    authorRole: z.string(),
    ownerId: zId.nullable(),
    excerpt: z.string(),
  }),
  // ---- rectification and acceptance (rectification/, acceptance/) ------------------------
  'rectification.analysis_saved': z.object({
    ...zTicketRef,
    rootCauseClass: z.enum(ROOT_CAUSE_CLASSES).nullable(),
    responsibleDepartmentId: zId.nullable(),
  }),
  'rectification.dispute_raised': z.object({ ...zTicketRef, disputeId: zId, departmentId: zId }),
  'rectification.dispute_decided': z.object({
    ...zTicketRef, disputeId: zId, decision: z.enum(['upheld', 'reassigned']), responsibleDepartmentId: zId.nullable(),
  }),
  'rectification.containment_recorded': z.object({
    ...zTicketRef, containmentId: zId, location: z.string(), ownerId: zId.nullable(),
  }),
  'rectification.plan_submitted': z.object({ ...zTicketRef, planId: zId, version: z.number().int(), measures: z.number().int() }),
  /** Each measure owner is told (seed 000: the next step's owner is notified automatically). */
  'rectification.plan_approved': z.object({
    ...zTicketRef, planId: zId, version: z.number().int(),
    measures: z.array(z.object({ measureId: zId, ownerId: zId, dueDate: z.string(), action: z.string() })),
  }),
  'rectification.plan_rejected': z.object({ ...zTicketRef, planId: zId, version: z.number().int(), opinion: z.string() }),
  'rectification.measure_started': z.object({ ...zTicketRef, ...zMeasureRef }),
  /** `remaining`: measures still open after this one; 0 tells the ticket owner. */
  'rectification.measure_completed': z.object({
    ...zTicketRef, ...zMeasureRef, onBehalf: z.boolean(), remaining: z.number().int(), ticketOwnerId: zId.nullable(),
  }),
  'rectification.measure_cancelled': z.object({ ...zTicketRef, ...zMeasureRef, reason: z.string() }),
  'rectification.measure_commented': z.object({ ...zTicketRef, ...zMeasureRef, commentId: zId }),
  /** The measure's due date passed in its owner's calendar while it was still open. */
  'rectification.measure_overdue': z.object({ ...zTicketRef, ...zMeasureRef, dueDate: z.string() }),
  'acceptance.round_started': z.object({ ...zTicketRef, roundId: zId, round: z.number().int(), items: z.number().int() }),
  'acceptance.item_recorded': z.object({
    ...zTicketRef, roundId: zId, itemId: zId, result: z.enum(['pass', 'fail', 'na']), measureId: zId.nullable(),
  }),
  'acceptance.passed': z.object({ ...zTicketRef, roundId: zId, round: z.number().int() }),
  /** Only the failed items' measures are reopened. */
  'acceptance.failed': z.object({
    ...zTicketRef, roundId: zId, round: z.number().int(), reopenedMeasureIds: z.array(zId), reworkCount: z.number().int(),
  }),
  // ---- approvals (flow engine) ----
  /** A flow instance started at a gate; `notifyUserIds`: the first node's approvers and cc recipients. */
  'approval.started': z.object({ ...zApproval, notifyUserIds: z.array(zId), ccUserIds: z.array(zId) }),
  /** An approver approved their task; `notifyUserIds`: approvers of the node(s) now running, cc recipients. */
  'approval.task_approved': z.object({ ...zApproval, ...zApprovalStep, notifyUserIds: z.array(zId), ccUserIds: z.array(zId) }),
  'approval.task_rejected': z.object({ ...zApproval, ...zApprovalStep, targetNodeId: z.string().nullable(), notifyUserIds: z.array(zId) }),
  /** 退回 to a node (or the initiator). */
  'approval.returned': z.object({ ...zApproval, ...zApprovalStep, targetNodeId: z.string(), notifyUserIds: z.array(zId) }),
  'approval.transferred': z.object({ ...zApproval, ...zApprovalStep, toUserId: zId, notifyUserIds: z.array(zId) }),
  'approval.signer_added': z.object({ ...zApproval, ...zApprovalStep, position: z.enum(['before', 'after']), userIds: z.array(zId), notifyUserIds: z.array(zId) }),
  'approval.withdrawn': z.object({ ...zApproval, reason: z.string().nullable(), notifyUserIds: z.array(zId) }),
  'approval.urged': z.object({ ...zApproval, message: z.string().nullable(), notifyUserIds: z.array(zId) }),
  /** The instance ended approved / rejected (the gate's outcome). */
  'approval.approved': z.object({ ...zApproval, status: z.enum(FLOW_INSTANCE_STATUSES), notifyUserIds: z.array(zId) }),
  'approval.rejected': z.object({ ...zApproval, status: z.enum(FLOW_INSTANCE_STATUSES), opinion: z.string().nullable(), notifyUserIds: z.array(zId) }),
  // ---- follow-up, effectiveness, recurrence, knowledge (followup/, knowledge/) ----
  /** A follow-up link was issued and e-mailed to the customer (or could not be: `sentTo` null). */
  'followup.link_sent': z.object({ ...zTicketRef, linkId: zId, sentTo: z.string().nullable(), expiresAt: zInstant }),
  /** The customer answered through the link: confirmed (closed) or not solved (reopened). */
  'followup.answered': z.object({
    ...zTicketRef, followUpId: zId, solved: z.boolean(), rating: z.number().int().nullable(),
  }),
  /** An agent logged a phone follow-up with the customer's words. */
  'followup.phone_logged': z.object({
    ...zTicketRef, followUpId: zId, solved: z.boolean(), rating: z.number().int().nullable(),
  }),
  /** Silence in follow_up for the category's days: closed by the system with that reason. */
  'ticket.auto_closed': z.object({ ...zTicketRef, reason: z.string(), silentDays: z.number().int() }),
  /** An effectiveness check of a closed quality ticket was recorded. */
  'effectiveness.checked': z.object({
    ...zTicketRef, checkId: zId, outcome: z.enum(['effective', 'ineffective', 'inconclusive']), reopened: z.boolean(),
  }),
  'ticket.repeat_suggested': z.object({ ...zTicketRef, linkId: zId, earlierTicketId: zId, reason: z.string() }),
  'ticket.repeat_confirmed': z.object({ ...zTicketRef, linkId: zId, earlierTicketId: zId }),
  'ticket.repeat_dismissed': z.object({ ...zTicketRef, linkId: zId, earlierTicketId: zId }),
} as const;

/**
 * Events of knowledge articles (knowledge/): in the catalog, validated when recorded, but not
 * part of the ticket events' union above (every subscriber there reads a ticket), so they go to
 * the audit trail (chain `article:<id>`) and no outbox subscriber yet.
 */
export const ARTICLE_EVENT_PAYLOADS = {
  'knowledge.article_published': z.object({
    articleId: zId, title: z.string(), revision: z.number().int(), sourceTicketId: zId.nullable(),
  }),
  'knowledge.article_revised': z.object({ articleId: zId, title: z.string(), revision: z.number().int() }),
} as const;
export type ArticleEventType = keyof typeof ARTICLE_EVENT_PAYLOADS;

export type EventType = keyof typeof EVENT_PAYLOADS;
export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[];
export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_PAYLOADS)[T]>;

/**
 * What set a chain of automation off: people's commands start at depth 0 with no automations;
 * a subscriber acting on an event adds its name and one level. A subscriber never receives an
 * event its own action caused, and nothing is delivered past MAX_AUTOMATION_DEPTH.
 */
export const zEventCause = z.object({
  depth: z.number().int().min(0),
  automations: z.array(z.string()),
});
export type EventCause = z.infer<typeof zEventCause>;
export const MAX_AUTOMATION_DEPTH = 3;
export const HUMAN_CAUSE: EventCause = { depth: 0, automations: [] };

const zEnvelope = {
  id: zId,
  at: zInstant,
  actor: z.object({ kind: z.enum(['user', 'token', 'system']), userId: zId.nullable() }),
  cause: zEventCause,
};

/** One published event: envelope plus the type's payload (a discriminated union on `type`). */
export const zDomainEvent = z.discriminatedUnion('type', EVENT_TYPES.map((type) =>
  z.object({ ...zEnvelope, type: z.literal(type), payload: EVENT_PAYLOADS[type] })) as unknown as [
  z.ZodObject<{ type: z.ZodLiteral<EventType> }>, ...z.ZodObject<{ type: z.ZodLiteral<EventType> }>[],
]);

export type DomainEvent<T extends EventType = EventType> = T extends EventType ? {
  id: string;
  type: T;
  at: string;
  actor: { kind: 'user' | 'token' | 'system'; userId: string | null };
  cause: EventCause;
  payload: EventPayload<T>;
} : never;

/** Parses an event read back from storage; throws a ZodError naming the bad field. */
export function parseDomainEvent(value: unknown): DomainEvent {
  return zDomainEvent.parse(value) as unknown as DomainEvent;
}
