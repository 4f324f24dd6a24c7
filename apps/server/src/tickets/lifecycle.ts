/**
 * The ticket lifecycle (SPEC §2): the ONE transition table and the pure functions over it.
 * Nothing else decides or writes `tickets.status`; apply-transition.ts persists what
 * `decideTransition` returns. No database here, so every rule is unit-tested on plain rows.
 */
import type {
  ApprovalGate, ErrorCode, ProcessTemplate, Role, TicketCommand, TicketStatus, Transition,
} from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { TicketRow } from './ticket-row.js';

/** A closed ticket may be reopened for this long after closing (warranty window, 保修期内重开). */
export const REOPEN_WINDOW_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

const OPEN: readonly TicketStatus[] = [
  'registered', 'assigned', 'analyzing', 'plan_review', 'rectifying', 'accepting', 'follow_up',
];
const BOTH: readonly ProcessTemplate[] = ['quick', 'full'];
const FULL: readonly ProcessTemplate[] = ['full'];
const QUICK: readonly ProcessTemplate[] = ['quick'];

/** The columns a transition may change. */
export type TicketChange = Partial<Pick<TicketRow,
  | 'status' | 'ownerId' | 'departmentId' | 'waitingOnCustomer' | 'escalated' | 'reworkCount'
  | 'reopenCount' | 'resolution' | 'feedback' | 'cancelReason'
  | 'firstRespondedAt' | 'resolvedAt' | 'closedAt'
  | 'rootCauseClass' | 'responsibleDepartmentId' | 'measuresTotal' | 'measuresDone' | 'measureOwnerIds'
>>;

/** Routing's first assignment of a registered ticket (the system actor, at intake or by rules). */
export interface AssignInput { command: 'assign'; departmentId: string | null; ownerId: string | null; reason: string }
/** Commands only the system issues: not part of the public API's Transition union. */
export type SystemTransition = { command: 'auto_close'; reason?: string } | AssignInput;

type Input<C extends TicketCommand> = C extends Transition['command'] ? Extract<Transition, { command: C }>
  : C extends 'assign' ? AssignInput : { command: C };

export interface Refusal {
  ok: false;
  code: Extract<ErrorCode, 'INVALID_TRANSITION' | 'FORBIDDEN' | 'VALIDATION_FAILED'>;
  message: string;
  /** The input field at fault, for VALIDATION_FAILED. */
  field?: string;
}

export interface Decision {
  ok: true;
  command: TicketCommand;
  from: TicketStatus;
  to: TicketStatus;
  /** Columns to write (status included when it changes); updatedAt/version are the caller's. */
  patch: TicketChange;
  /** The audit event's type: `ticket.<command>`, or the rule's own name (intake routing: ticket.assigned). */
  eventType: string;
  /** Set when the command waits for this gate's flow (if the category has one) instead of applying now. */
  approvalGate?: ApprovalGate;
}

// ---- who may act, beyond the role --------------------------------------------------------
// Named so the table stays data; each says whether this actor may act on this ticket.
const isOwner = (t: TicketRow, a: Actor) => !!a.userId && t.ownerId === a.userId;
const isOwnCustomer = (t: TicketRow, a: Actor) => !!a.customerId && t.customerId === a.customerId;

const WHO = {
  any: () => true,
  owner: isOwner,
  /** The owner; or, while nobody owns it, anyone of the ticket's department (picks it up). */
  ownerOrDepartmentIfUnowned: (t: TicketRow, a: Actor) =>
    isOwner(t, a) || (!t.ownerId && !!t.departmentId && a.departmentIds.includes(t.departmentId)),
  ownTicket: isOwnCustomer,
  /** Customers may withdraw their own report only before anyone started working on it. */
  ownTicketBeforeWork: (t: TicketRow, a: Actor) =>
    isOwnCustomer(t, a) && (t.status === 'registered' || t.status === 'assigned'),
} satisfies Record<string, (t: TicketRow, a: Actor) => boolean>;
type Who = keyof typeof WHO;

const WHO_MESSAGE: Record<Who, string> = {
  any: '',
  owner: 'only the ticket owner',
  ownerOrDepartmentIfUnowned: "only the ticket owner, or a member of the ticket's department while it has no owner,",
  ownTicket: 'only the customer of this ticket',
  ownTicketBeforeWork: 'a customer only before handling started',
};

interface Ctx<C extends TicketCommand> {
  ticket: TicketRow;
  actor: Actor;
  input: Input<C>;
  now: Date;
}

interface Rule<C extends TicketCommand = TicketCommand> {
  command: C;
  from: readonly TicketStatus[];
  /** Target status; 'same' keeps it; a function for status-dependent targets (reassign). */
  to: TicketStatus | 'same' | ((t: TicketRow) => TicketStatus);
  templates: readonly ProcessTemplate[];
  /** Roles allowed and, per role, which of those users. */
  roles: Partial<Record<Role, Who>>;
  /** Only the system actor (scheduled jobs); never offered to people. */
  systemOnly?: boolean;
  /** Audit event type when it is not `ticket.<command>`. */
  eventType?: string;
  /**
   * An approval gate (approvals/) that holds the command for these actors when the ticket's
   * category has a flow on it: the command is carried out by the system once the flow approves.
   */
  approvalGate?: { gate: ApprovalGate; for: (a: Actor) => boolean };
  /** A ticket-state precondition beyond the status (409 when it fails). */
  ready?: (t: TicketRow, now: Date) => string | null;
  /** Checks on the command input; may refuse with any code. */
  check?: (c: Ctx<C>) => Omit<Refusal, 'ok'> | null;
  patch: (c: Ctx<C>) => TicketChange;
}

const rule = <C extends TicketCommand>(r: Rule<C>) => r as unknown as Rule;

const STAFF_ANY = { manager: 'any', admin: 'any' } as const;

/** Open (todo/doing) measures of the approved plan, from the counters rectification/ keeps. */
const openMeasures = (t: TicketRow): number => t.measuresTotal - t.measuresDone;

/** The transition table of SPEC §2. Order is the order commands are offered in. */
export const TRANSITIONS: readonly Rule[] = [
  rule({
    command: 'accept', from: ['assigned'], to: 'analyzing', templates: BOTH,
    roles: { handler: 'ownerOrDepartmentIfUnowned', ...STAFF_ANY },
    patch: ({ ticket, actor, now }) => ({
      ...(!ticket.ownerId && actor.userId ? { ownerId: actor.userId } : {}),
      ...(!ticket.firstRespondedAt ? { firstRespondedAt: now } : {}),
    }),
  }),
  rule({
    command: 'resolve', from: ['analyzing'], to: 'follow_up', templates: QUICK,
    roles: { handler: 'owner', ...STAFF_ANY },
    patch: ({ input, now }) => ({ resolution: input.resolution, resolvedAt: now }),
  }),
  rule({
    command: 'submit_plan', from: ['analyzing'], to: 'plan_review', templates: FULL,
    roles: { handler: 'owner', ...STAFF_ANY },
    // The plan version, its measures and the analysis are rows of rectification/ (rectificationStep).
    patch: () => ({}),
  }),
  rule({
    // Outcomes of the plan_review approval flow (approvals/): issued by the system only.
    command: 'approve_plan', from: ['plan_review'], to: 'rectifying', templates: FULL,
    roles: {}, systemOnly: true,
    patch: () => ({}),
  }),
  rule({
    command: 'reject_plan', from: ['plan_review'], to: 'analyzing', templates: FULL,
    roles: {}, systemOnly: true,
    check: ({ input }) => (input.opinion?.trim() ? null
      : { code: 'VALIDATION_FAILED', message: 'opinion: a rejection needs an opinion', field: 'opinion' }),
    patch: () => ({}),
  }),
  rule({
    command: 'start_acceptance', from: ['rectifying'], to: 'accepting', templates: FULL,
    roles: { handler: 'owner', ...STAFF_ANY },
    ready: (t) => {
      if (!t.measuresTotal) return 'the ticket has no approved plan measures';
      const open = openMeasures(t);
      return open ? `${open} measure(s) not done yet` : null;
    },
    patch: () => ({}),
  }),
  rule({
    command: 'pass_acceptance', from: ['accepting'], to: 'follow_up', templates: FULL,
    roles: { verifier: 'any', ...STAFF_ANY },
    check: ({ actor }) => (actor.userId ? null : { code: 'FORBIDDEN', message: 'acceptance needs a person as verifier' }),
    patch: ({ now }) => ({ resolvedAt: now }),
  }),
  rule({
    command: 'fail_acceptance', from: ['accepting'], to: 'rectifying', templates: FULL,
    roles: { verifier: 'any', ...STAFF_ANY },
    check: ({ actor }) => (actor.userId ? null : { code: 'FORBIDDEN', message: 'acceptance needs a person as verifier' }),
    // Only the failed items' measures are reopened (rectificationStep, which also checks the round).
    patch: ({ ticket }) => ({ reworkCount: ticket.reworkCount + 1 }),
  }),
  rule({
    command: 'confirm', from: ['follow_up'], to: 'closed', templates: BOTH,
    roles: { customer: 'ownTicket', agent: 'any', ...STAFF_ANY },
    patch: ({ input, now }) => ({
      feedback: { rating: input.rating, comment: input.comment ?? null, at: now.toISOString() },
      closedAt: now,
    }),
  }),
  rule({
    command: 'reopen', from: ['follow_up', 'closed'], to: 'analyzing', templates: BOTH,
    roles: { customer: 'ownTicket', agent: 'any', ...STAFF_ANY },
    ready: (t, now) => {
      if (t.status !== 'closed' || !t.closedAt) return null;
      return now.getTime() - t.closedAt.getTime() <= REOPEN_WINDOW_DAYS * DAY_MS ? null
        : `closed more than ${REOPEN_WINDOW_DAYS} days ago (warranty window); register a new ticket`;
    },
    patch: ({ ticket }) => ({
      reopenCount: ticket.reopenCount + 1, closedAt: null, resolvedAt: null, feedback: null,
    }),
  }),
  rule({
    command: 'cancel', from: OPEN, to: 'cancelled', templates: BOTH,
    roles: { customer: 'ownTicketBeforeWork', agent: 'any', ...STAFF_ANY },
    // Staff cancellations wait for the category's cancellation flow (撤销审批); the system then
    // issues this same command. A customer withdrawing before work is not gated.
    approvalGate: { gate: 'cancellation', for: (a) => a.kind !== 'system' && a.role !== 'customer' },
    patch: ({ input }) => ({ cancelReason: input.reason }),
  }),
  rule({
    command: 'reassign', from: OPEN,
    to: (t) => (t.status === 'registered' || t.status === 'assigned' ? 'assigned' : t.status as TicketStatus),
    templates: BOTH,
    roles: { agent: 'any', ...STAFF_ANY },
    check: ({ input }) => (input.departmentId !== undefined || input.ownerId !== undefined ? null
      : { code: 'VALIDATION_FAILED', message: 'departmentId: give a department and/or an owner', field: 'departmentId' }),
    patch: ({ input }) => ({
      ...(input.departmentId !== undefined ? { departmentId: input.departmentId } : {}),
      ...(input.ownerId !== undefined ? { ownerId: input.ownerId } : {}),
    }),
  }),
  rule({
    command: 'set_waiting', from: OPEN, to: 'same', templates: BOTH,
    roles: { agent: 'any', handler: 'owner', ...STAFF_ANY },
    patch: ({ input }) => ({ waitingOnCustomer: input.waiting }),
  }),
  rule({
    command: 'escalate', from: OPEN, to: 'same', templates: BOTH,
    roles: { agent: 'any', handler: 'any', ...STAFF_ANY },
    patch: () => ({ escalated: true }),
  }),
  rule({
    command: 'assign', from: ['registered'], to: 'assigned', templates: BOTH,
    roles: {}, systemOnly: true, eventType: 'ticket.assigned',
    check: ({ input }) => (input.departmentId || input.ownerId ? null
      : { code: 'VALIDATION_FAILED', message: 'departmentId: routing needs a department or an owner', field: 'departmentId' }),
    patch: ({ input }) => ({ departmentId: input.departmentId, ownerId: input.ownerId }),
  }),
  rule({
    command: 'auto_close', from: ['follow_up'], to: 'closed', templates: BOTH,
    roles: {}, systemOnly: true,
    patch: ({ now }) => ({ closedAt: now }),
  }),
];

const BY_COMMAND = new Map<TicketCommand, Rule>(TRANSITIONS.map((r) => [r.command, r]));

export function ruleFor(command: TicketCommand): Rule | undefined {
  return BY_COMMAND.get(command);
}

const invalid = (message: string): Refusal => ({ ok: false, code: 'INVALID_TRANSITION', message });
const forbidden = (message: string): Refusal => ({ ok: false, code: 'FORBIDDEN', message });

/** Status, template, role and ownership: what does not depend on the command's input. */
function gate(r: Rule, ticket: TicketRow, actor: Actor, now: Date): Refusal | null {
  const status = ticket.status as TicketStatus;
  if (!r.from.includes(status)) return invalid(`cannot ${r.command} a ticket in status ${status}`);
  if (!r.templates.includes(ticket.processTemplate)) {
    return invalid(`cannot ${r.command} a ticket in status ${status}: not part of the ${ticket.processTemplate} process`);
  }
  if (r.systemOnly) {
    if (actor.kind !== 'system') return forbidden(`${r.command} is done by the system only`);
  } else {
    const who = r.roles[actor.role];
    if (!who) return forbidden(`role ${actor.role} may not ${r.command}`);
    if (!WHO[who](ticket, actor)) return forbidden(`${WHO_MESSAGE[who]} may ${r.command} this ticket`);
  }
  const notReady = r.ready?.(ticket, now);
  if (notReady) return invalid(`cannot ${r.command} a ticket in status ${status}: ${notReady}`);
  return null;
}

/**
 * Decides a command on a ticket: refused (and why), or the columns to write and the event type.
 * Wrong status/template → INVALID_TRANSITION; role or ownership → FORBIDDEN.
 */
export function decideTransition(opts: {
  ticket: TicketRow;
  actor: Actor;
  transition: Transition | SystemTransition;
  now?: Date;
}): Decision | Refusal {
  const { ticket, actor, transition } = opts;
  const now = opts.now ?? new Date();
  const r = BY_COMMAND.get(transition.command);
  if (!r) return { ok: false, code: 'VALIDATION_FAILED', message: `unknown command ${transition.command}`, field: 'command' };
  const refused = gate(r, ticket, actor, now);
  if (refused) return refused;
  const ctx: Ctx<TicketCommand> = { ticket, actor, input: transition as Input<TicketCommand>, now };
  const bad = r.check?.(ctx);
  if (bad) return { ok: false, ...bad };
  const from = ticket.status as TicketStatus;
  const to = r.to === 'same' ? from : typeof r.to === 'function' ? r.to(ticket) : r.to;
  const patch: TicketChange = { ...r.patch(ctx), ...(to !== from ? { status: to } : {}) };
  const held = r.approvalGate?.for(actor) ? { approvalGate: r.approvalGate.gate } : {};
  return { ok: true, command: r.command, from, to, patch, eventType: r.eventType ?? `ticket.${r.command}`, ...held };
}

/** Commands the actor may issue on the ticket now (drives the UI's action buttons). */
export function allowedCommands(ticket: TicketRow, actor: Actor, now: Date = new Date()): TicketCommand[] {
  return TRANSITIONS.filter((r) => !r.systemOnly && !gate(r, ticket, actor, now)).map((r) => r.command);
}
