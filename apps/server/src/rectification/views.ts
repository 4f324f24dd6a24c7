/**
 * Reading the rectification rows into the API shapes (contract rectification.ts): plan versions
 * with measures and their comments, acceptance rounds with items, analysis, disputes and
 * containment. Names of people come from the people cache in one lookup per read.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type {
  AcceptanceItem, AcceptanceRound, ContainmentAction, Dispute, PlanVersion, RectMeasure, RootCauseAnalysis,
} from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import {
  acceptanceItems, acceptanceRounds, departments, flowInstances, rectAnalyses, rectContainmentActions, rectDisputes,
  rectMeasureComments, rectMeasures, rectPlans,
} from '../db/schema.js';
import { peopleById } from '../people/people-cache.js';

type MeasureRow = typeof rectMeasures.$inferSelect;
type CommentRow = typeof rectMeasureComments.$inferSelect;
type Names = Map<string, { id: string; displayName: string }>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const refOf = (names: Names, id: string | null) => {
  const p = id ? names.get(id) : undefined;
  return p ? { id: p.id, displayName: p.displayName } : null;
};

/** Today's date in China (due dates are calendar days there). */
export function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export const isOverdue = (m: { status: string | null; dueDate: string | null }, today: string) =>
  (m.status === 'todo' || m.status === 'doing') && !!m.dueDate && m.dueDate < today;

async function namesOf(db: DbOrTx, ids: (string | null | undefined)[]): Promise<Names> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  return wanted.length ? peopleById(db, wanted) as Promise<Names> : new Map();
}

function measureView(m: MeasureRow, comments: CommentRow[], n: Names, today: string): RectMeasure {
  return {
    id: m.id, planId: m.planId, previousId: m.previousId, seq: m.seq, type: m.type,
    preventiveKind: (m.preventiveKind ?? null) as RectMeasure['preventiveKind'],
    owner: refOf(n, m.ownerId), action: m.action, dueDate: m.dueDate, criterion: m.criterion, status: m.status,
    overdue: isOverdue(m, today), evidenceAttachmentIds: m.evidenceAttachmentIds, note: m.note,
    startedAt: iso(m.startedAt), completedAt: iso(m.completedAt), completedBy: refOf(n, m.completedBy),
    onBehalf: m.onBehalf, cancelReason: m.cancelReason,
    comments: comments.map((c) => ({ id: c.id, author: refOf(n, c.authorId), body: c.body, createdAt: c.createdAt.toISOString() })),
  };
}

async function commentsOf(db: DbOrTx, measureIds: string[]): Promise<CommentRow[]> {
  if (!measureIds.length) return [];
  return db.select().from(rectMeasureComments).where(inArray(rectMeasureComments.measureId, measureIds))
    .orderBy(asc(rectMeasureComments.createdAt));
}

export async function loadMeasure(db: DbOrTx, measureId: string, now = new Date()): Promise<RectMeasure> {
  const [m] = await db.select().from(rectMeasures).where(eq(rectMeasures.id, measureId));
  const comments = await commentsOf(db, [measureId]);
  const n = await namesOf(db, [m!.ownerId, m!.completedBy, ...comments.map((c) => c.authorId)]);
  return measureView(m!, comments, n, chinaToday(now));
}

export async function loadPlanVersions(db: DbOrTx, ticketId: string, now = new Date()): Promise<PlanVersion[]> {
  const plans = await db.select().from(rectPlans).where(eq(rectPlans.ticketId, ticketId)).orderBy(desc(rectPlans.version));
  if (!plans.length) return [];
  const measures = await db.select().from(rectMeasures).where(inArray(rectMeasures.planId, plans.map((p) => p.id)))
    .orderBy(asc(rectMeasures.seq));
  const comments = await commentsOf(db, measures.map((m) => m.id));
  const n = await namesOf(db, [
    ...plans.flatMap((p) => [p.submittedBy, p.decidedBy]), ...measures.flatMap((m) => [m.ownerId, m.completedBy]),
    ...comments.map((c) => c.authorId),
  ]);
  const today = chinaToday(now);
  return plans.map((p) => ({
    id: p.id, version: p.version, status: p.status, summary: p.summary, submittedBy: refOf(n, p.submittedBy),
    submittedAt: p.submittedAt.toISOString(), decidedBy: refOf(n, p.decidedBy), decidedAt: iso(p.decidedAt),
    opinion: p.opinion, warnings: p.warnings,
    measures: measures.filter((m) => m.planId === p.id)
      .map((m) => measureView(m, comments.filter((c) => c.measureId === m.id), n, today)),
  }));
}

type ItemRow = typeof acceptanceItems.$inferSelect;
function itemView(i: ItemRow, n: Names): AcceptanceItem {
  return {
    id: i.id, seq: i.seq, source: i.measureId ? 'measure' : 'template', measureId: i.measureId, templateItemId: i.templateItemId,
    item: i.item, criterion: i.criterion, method: i.method, measuredValue: i.measuredValue, result: i.result,
    naReason: i.naReason, evidenceAttachmentIds: i.evidenceAttachmentIds, reportNo: i.reportNo, note: i.note,
    verifier: refOf(n, i.verifierId), verifiedAt: iso(i.verifiedAt),
  };
}

export async function loadItem(db: DbOrTx, itemId: string): Promise<AcceptanceItem> {
  const [i] = await db.select().from(acceptanceItems).where(eq(acceptanceItems.id, itemId));
  return itemView(i!, await namesOf(db, [i!.verifierId]));
}

export async function loadRounds(db: DbOrTx, ticketId: string): Promise<AcceptanceRound[]> {
  const rounds = await db.select().from(acceptanceRounds).where(eq(acceptanceRounds.ticketId, ticketId)).orderBy(desc(acceptanceRounds.round));
  if (!rounds.length) return [];
  const items = await db.select().from(acceptanceItems).where(inArray(acceptanceItems.roundId, rounds.map((r) => r.id)))
    .orderBy(asc(acceptanceItems.seq));
  const n = await namesOf(db, [...rounds.flatMap((r) => [r.startedBy, r.completedBy]), ...items.map((i) => i.verifierId)]);
  return rounds.map((r) => ({
    id: r.id, round: r.round, status: r.status, planId: r.planId ?? '', startedBy: refOf(n, r.startedBy),
    startedAt: r.startedAt.toISOString(), completedBy: refOf(n, r.completedBy), completedAt: iso(r.completedAt), result: r.result,
    items: items.filter((i) => i.roundId === r.id).map((i) => itemView(i, n)),
  }));
}

export async function loadAnalysis(db: DbOrTx, ticketId: string): Promise<RootCauseAnalysis | null> {
  const [a] = await db.select().from(rectAnalyses).where(eq(rectAnalyses.ticketId, ticketId));
  if (!a) return null;
  const deptId = a.content.responsibleDepartmentId;
  const [dept] = deptId ? await db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.id, deptId)) : [];
  const n = await namesOf(db, [a.updatedBy]);
  return {
    ...a.content,
    fiveWhys: a.content.fiveWhys ?? [], fishbone: a.content.fishbone ?? [], evidenceAttachmentIds: a.content.evidenceAttachmentIds ?? [],
    responsibleDepartment: dept ?? null, updatedBy: refOf(n, a.updatedBy), updatedAt: a.updatedAt.toISOString(),
  };
}

export async function loadDisputes(db: DbOrTx, ticketId: string, id?: string): Promise<Dispute[]> {
  const rows = await db.select({ d: rectDisputes, deptName: departments.name, flowId: flowInstances.id }).from(rectDisputes)
    .innerJoin(departments, eq(departments.id, rectDisputes.departmentId))
    // The dispute gate's running instance (flow_instances_running_uq), if a flow decides it.
    .leftJoin(flowInstances, and(
      eq(flowInstances.ticketId, rectDisputes.ticketId), eq(flowInstances.gate, 'dispute'),
      sql`${flowInstances.subjectRef} = 'dispute:' || ${rectDisputes.id}`, sql`${flowInstances.status} = 'running'`,
    ))
    .where(id ? eq(rectDisputes.id, id) : eq(rectDisputes.ticketId, ticketId)).orderBy(asc(rectDisputes.raisedAt));
  const n = await namesOf(db, rows.flatMap((r) => [r.d.raisedBy, r.d.decidedBy]));
  return rows.map(({ d, deptName, flowId }) => ({
    id: d.id, department: { id: d.departmentId, name: deptName }, reason: d.reason, proposedDepartmentId: d.proposedDepartmentId,
    raisedBy: refOf(n, d.raisedBy), raisedAt: d.raisedAt.toISOString(), status: d.status, decision: d.decision ?? null,
    responsibleDepartmentId: d.responsibleDepartmentId, reasons: d.reasons, decidedBy: refOf(n, d.decidedBy), decidedAt: iso(d.decidedAt),
    ...(flowId ? { underApproval: true } : {}),
  }));
}

export async function loadContainment(db: DbOrTx, ticketId: string, id?: string): Promise<ContainmentAction[]> {
  const rows = await db.select().from(rectContainmentActions)
    .where(id ? eq(rectContainmentActions.id, id) : eq(rectContainmentActions.ticketId, ticketId))
    .orderBy(asc(rectContainmentActions.recordedAt));
  const n = await namesOf(db, rows.flatMap((r) => [r.ownerId, r.recordedBy]));
  return rows.map((r) => ({
    id: r.id, location: r.location as ContainmentAction['location'], action: r.action, owner: refOf(n, r.ownerId),
    quantity: r.quantity, result: r.result, recordedBy: refOf(n, r.recordedBy), recordedAt: r.recordedAt.toISOString(),
  }));
}
