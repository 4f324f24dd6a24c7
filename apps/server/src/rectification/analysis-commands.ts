/**
 * Analysis (原因分析), responsibility disputes (定性争议) and containment (临时措施): commands
 * on a ticket outside the transition table, each one transaction with its audit event and
 * domain event (runTicketCommand). A dispute on a category with a flow on the `dispute` gate is
 * decided by the flow's outcome (approvals/), not by a manager: approved → reassigned to the
 * department the raiser proposed (required then), rejected → upheld with the opinion.
 */
import { and, eq, ne } from 'drizzle-orm';
import type {
  AnalysisInput, EventCause, ContainmentAction, Dispute, RootCauseAnalysis, TicketStatus,
} from '@closeloop/contract';
import { zAnalysisInput, zContainmentInput, zDisputeDecideInput, zDisputeRaiseInput } from '@closeloop/contract';
import type { z } from 'zod';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { disputeSubject, openApprovalGate, runningInstanceId } from '../approvals/open-gate.js';
import type { Db, Tx } from '../db/client.js';
import { departments, rectAnalyses, rectContainmentActions, rectDisputes, users } from '../db/schema.js';
import { newId } from '../db/util.js';
import { domainEvent } from '../events/publish.js';
import { AppError, forbidden, invalidField, notFound } from '../http/app-error.js';
import { saveAnalysisRow } from './save-analysis-row.js';
import type { TicketRow } from '../tickets/ticket-row.js';
import { runTicketCommand, runTicketCommandInTx, type CommandScope } from './ticket-command.js';
import { loadAnalysis, loadContainment, loadDisputes } from './views.js';

const MANAGERS = new Set(['manager', 'admin']);
const ANALYSIS_STATUSES: TicketStatus[] = ['analyzing', 'plan_review', 'rectifying', 'accepting'];
const isManager = (a: Actor) => a.kind === 'system' || MANAGERS.has(a.role);
const refOf = (s: CommandScope) => ({ ticketId: s.ticket.id, number: s.ticket.number, title: s.ticket.title });

function requireStatus(s: CommandScope, what: string, statuses: TicketStatus[]) {
  if (s.ticket.processTemplate !== 'full') throw new AppError('INVALID_TRANSITION', `${what}: not part of the ${s.ticket.processTemplate} process`);
  if (!statuses.includes(s.ticket.status as TicketStatus)) {
    throw new AppError('INVALID_TRANSITION', `${what}: not while the ticket is ${s.ticket.status}`);
  }
}
function requireOwnerOrManager(s: CommandScope, what: string) {
  if (isManager(s.actor)) return;
  if (s.actor.role === 'handler' && s.actor.userId && s.actor.userId === s.ticket.ownerId) return;
  throw forbidden(`only the ticket owner or a manager may ${what}`);
}

export async function saveAnalysis(opts: { db: Db; actor: Actor; ticketId: string; input: AnalysisInput }): Promise<RootCauseAnalysis> {
  await runTicketCommand(opts, async (s) => {
    requireStatus(s, 'save the analysis', ANALYSIS_STATUSES);
    requireOwnerOrManager(s, 'edit the analysis');
    const saved = await saveAnalysisRow(s.tx, { ticket: s.ticket, actor: s.actor, input: opts.input, now: s.now });
    s.patch(saved.patch);
    s.audit('rectification.analysis_saved', { ...opts.input });
    s.publish(saved.event);
  });
  return (await loadAnalysis(opts.db, opts.ticketId))!;
}

export async function raiseDispute(opts: {
  db: Db; actor: Actor; ticketId: string; input: z.infer<typeof zDisputeRaiseInput>;
}): Promise<Dispute> {
  const { input } = opts;
  const id = await runTicketCommand(opts, async (s) => {
    requireStatus(s, 'raise a dispute', ANALYSIS_STATUSES);
    if (!isManager(s.actor) && !s.actor.departmentIds.includes(input.departmentId)) {
      throw forbidden('a dispute is raised by a member of the disputing department');
    }
    for (const [path, deptId] of [['departmentId', input.departmentId], ['proposedDepartmentId', input.proposedDepartmentId]] as const) {
      if (!deptId) continue;
      const [d] = await s.tx.select({ id: departments.id }).from(departments).where(eq(departments.id, deptId));
      if (!d) throw invalidField(path, 'no such department');
    }
    const disputeId = newId(s.now.getTime());
    await s.tx.insert(rectDisputes).values({
      id: disputeId, ticketId: s.ticket.id, departmentId: input.departmentId, reason: input.reason,
      proposedDepartmentId: input.proposedDepartmentId ?? null, raisedBy: s.actor.userId, raisedAt: s.now,
    });
    s.audit('rectification.dispute_raised', { disputeId, ...input });
    s.publish(domainEvent('rectification.dispute_raised', { ...refOf(s), disputeId, departmentId: input.departmentId }, { actor: s.actor, at: s.now }));
    // The dispute gate: with a flow attached to the category, the flow decides (timeline order:
    // raised, then the approval's start).
    await s.flush();
    const gate = await openApprovalGate(s.tx, {
      gate: 'dispute', ticket: s.ticket, subjectRef: disputeSubject(disputeId), initiator: s.actor, now: s.now,
      fields: { 'subject.reason': input.reason },
      onFlow: () => {
        if (!input.proposedDepartmentId) {
          throw invalidField('proposedDepartmentId', 'this category decides disputes by an approval flow: name the department you think is responsible');
        }
      },
    });
    if (gate.result === 'refused') {
      throw invalidField('departmentId', `the dispute flow's node ${gate.refusedNodeId ?? ''} has no approver and refuses submission`);
    }
    if (gate.result === 'passed' && gate.instanceId) {
      // Approved at once (every node auto-passed).
      await applyDisputeDecision(s, disputeId, {
        decision: 'reassigned', responsibleDepartmentId: input.proposedDepartmentId, reasons: '审批通过', instanceId: gate.instanceId,
      });
    }
    return disputeId;
  });
  return (await loadDisputes(opts.db, opts.ticketId, id))[0]!;
}

export async function decideDispute(opts: {
  db: Db; actor: Actor; ticketId: string; disputeId: string; input: z.infer<typeof zDisputeDecideInput>;
}): Promise<Dispute> {
  const { input } = opts;
  await runTicketCommand(opts, async (s) => {
    if (!isManager(s.actor)) throw forbidden('only a manager decides a responsibility dispute');
    const [d] = await s.tx.select().from(rectDisputes)
      .where(and(eq(rectDisputes.id, opts.disputeId), eq(rectDisputes.ticketId, s.ticket.id))).for('update');
    if (!d) throw notFound('dispute');
    if (d.status !== 'open') throw new AppError('CONFLICT', 'the dispute is already decided');
    if (await runningInstanceId(s.tx, s.ticket.id, 'dispute', disputeSubject(d.id))) {
      throw new AppError('CONFLICT', 'the dispute is being decided by its approval flow');
    }
    await applyDisputeDecision(s, d.id, input);
  });
  return (await loadDisputes(opts.db, opts.ticketId, opts.disputeId))[0]!;
}

/** Writes a dispute's decision (a manager's, or an approval flow's outcome with its instance). */
async function applyDisputeDecision(
  s: CommandScope, disputeId: string, input: z.infer<typeof zDisputeDecideInput> & { instanceId?: string },
): Promise<void> {
  let responsible: string | null = null;
  if (input.decision === 'reassigned') {
    if (!input.responsibleDepartmentId) throw invalidField('responsibleDepartmentId', 'name the department that is responsible');
    const [dept] = await s.tx.select({ id: departments.id }).from(departments).where(eq(departments.id, input.responsibleDepartmentId));
    if (!dept) throw invalidField('responsibleDepartmentId', 'no such department');
    responsible = dept.id;
    const [a] = await s.tx.select({ content: rectAnalyses.content }).from(rectAnalyses).where(eq(rectAnalyses.ticketId, s.ticket.id));
    const content: AnalysisInput = { ...(a?.content ?? zAnalysisInput.parse({})), responsibleDepartmentId: responsible };
    await s.tx.insert(rectAnalyses).values({ ticketId: s.ticket.id, content, updatedBy: s.actor.userId, updatedAt: s.now })
      .onConflictDoUpdate({ target: rectAnalyses.ticketId, set: { content, updatedBy: s.actor.userId, updatedAt: s.now } });
    s.patch({ responsibleDepartmentId: responsible });
  }
  await s.tx.update(rectDisputes).set({
    status: 'decided', decision: input.decision, responsibleDepartmentId: responsible, reasons: input.reasons,
    decidedBy: s.actor.userId, decidedAt: s.now,
  }).where(eq(rectDisputes.id, disputeId));
  s.audit('rectification.dispute_decided', { disputeId, ...input });
  s.publish(domainEvent('rectification.dispute_decided', {
    ...refOf(s), disputeId, decision: input.decision, responsibleDepartmentId: responsible,
  }, { actor: s.actor, at: s.now }));
}

/**
 * The dispute gate's outcome, in the transaction of the approval action that ended the flow
 * (the ticket row is locked): approved → reassigned to the proposed department, rejected →
 * upheld with the opinion. A withdrawn flow leaves the dispute open for a manager.
 */
export async function decideDisputeByFlow(tx: Tx, opts: {
  ticket: TicketRow; subjectRef: string; instanceId: string; outcome: 'approved' | 'rejected'; opinion: string | null;
  now: Date; cause?: EventCause;
}): Promise<void> {
  const disputeId = opts.subjectRef.startsWith('dispute:') ? opts.subjectRef.slice('dispute:'.length) : null;
  if (!disputeId) return;
  await runTicketCommandInTx(tx, { ticket: opts.ticket, actor: SYSTEM_ACTOR, now: opts.now, cause: opts.cause }, async (s) => {
    const [d] = await s.tx.select({ status: rectDisputes.status, proposed: rectDisputes.proposedDepartmentId }).from(rectDisputes)
      .where(and(eq(rectDisputes.id, disputeId), eq(rectDisputes.ticketId, s.ticket.id))).for('update');
    if (!d || d.status !== 'open') return;
    if (opts.outcome === 'approved' && d.proposed) {
      await applyDisputeDecision(s, disputeId, {
        decision: 'reassigned', responsibleDepartmentId: d.proposed, reasons: opts.opinion?.trim() || '审批通过', instanceId: opts.instanceId,
      });
    } else {
      await applyDisputeDecision(s, disputeId, {
        decision: 'upheld', reasons: opts.opinion?.trim() || (opts.outcome === 'approved' ? '审批通过' : '审批未通过'), instanceId: opts.instanceId,
      });
    }
  });
}

export async function recordContainment(opts: {
  db: Db; actor: Actor; ticketId: string; input: z.infer<typeof zContainmentInput>;
}): Promise<ContainmentAction> {
  const { input } = opts;
  const id = await runTicketCommand(opts, async (s) => {
    requireStatus(s, 'record containment', ['assigned', ...ANALYSIS_STATUSES]);
    requireOwnerOrManager(s, 'record containment actions');
    const [owner] = await s.tx.select({ id: users.id }).from(users)
      .where(and(eq(users.id, input.ownerId), eq(users.active, true), ne(users.role, 'customer')));
    if (!owner) throw invalidField('ownerId', 'not an active staff user');
    const containmentId = newId(s.now.getTime());
    await s.tx.insert(rectContainmentActions).values({
      id: containmentId, ticketId: s.ticket.id, location: input.location, action: input.action, ownerId: input.ownerId,
      quantity: input.quantity ?? null, result: input.result ?? null, recordedBy: s.actor.userId, recordedAt: s.now,
    });
    s.audit('rectification.containment_recorded', { containmentId, ...input });
    s.publish(domainEvent('rectification.containment_recorded', {
      ...refOf(s), containmentId, location: input.location, ownerId: input.ownerId,
    }, { actor: s.actor, at: s.now }));
    return containmentId;
  });
  return (await loadContainment(opts.db, opts.ticketId, id))[0]!;
}
