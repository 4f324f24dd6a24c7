/**
 * The rectification loop as structured data (issue #8): root-cause analysis, responsibility
 * disputes, containment, the versioned plan with its measures (tasks), acceptance templates and
 * acceptance rounds, and the reads of the workbench (我的整改任务 / 待我验收) and stage durations.
 * Request shapes are `z…Input`; what the API answers is the plain name.
 */
import { z } from 'zod';
import { ROOT_CAUSE_CLASSES, TICKET_STATUSES } from './enums.js';
import { zDate, zId, zInstant, zText } from './common.js';

const zOptText = (max: number) => z.string().trim().max(max).optional();
const zRef = z.object({ id: zId, displayName: z.string() });

// ---- analysis (原因分析) -------------------------------------------------------------------
export const CAUSE_CERTAINTIES = ['verified', 'hypothesis'] as const;
export type CauseCertainty = (typeof CAUSE_CERTAINTIES)[number];
/** 人/机/料/法/环/测. */
export const FISHBONE_BRANCHES = ['man', 'machine', 'material', 'method', 'environment', 'measurement'] as const;
export type FishboneBranch = (typeof FISHBONE_BRANCHES)[number];

/** One stated cause, marked proven (verified, with evidence) or still a hypothesis. */
export const zCause = z.object({
  text: zText(2000),
  certainty: z.enum(CAUSE_CERTAINTIES).default('hypothesis'),
  evidenceAttachmentIds: z.array(zId).max(20).default([]),
});
export type Cause = z.infer<typeof zCause>;

export const zWhyStep = z.object({ why: zText(500), answer: zText(500) });
export type WhyStep = z.infer<typeof zWhyStep>;

export const zFishboneEntry = z.object({
  branch: z.enum(FISHBONE_BRANCHES),
  text: zText(500),
  certainty: z.enum(CAUSE_CERTAINTIES).default('hypothesis'),
});

/** The analysis document; saved while analysing (PUT), complete enough for a plan when rootCause is set. */
export const zAnalysisInput = z.object({
  directCause: zCause.optional(),
  indirectCause: zCause.optional(),
  rootCause: zCause.optional(),
  /** 5-Why: ordered why → answer pairs. */
  fiveWhys: z.array(zWhyStep).max(10).default([]),
  /** Quality problems: 发生原因 (why it happened) and 流出原因 (why it escaped to the customer). */
  occurrenceCause: zCause.optional(),
  escapeCause: zCause.optional(),
  fishbone: z.array(zFishboneEntry).max(60).default([]),
  rootCauseClass: z.enum(ROOT_CAUSE_CLASSES).optional(),
  responsibleDepartmentId: zId.optional(),
  evidenceAttachmentIds: z.array(zId).max(50).default([]),
});
export type AnalysisInput = z.infer<typeof zAnalysisInput>;

export const zRootCauseAnalysis = zAnalysisInput.extend({
  responsibleDepartment: z.object({ id: zId, name: z.string() }).nullable(),
  updatedBy: zRef.nullable(),
  updatedAt: zInstant,
});
export type RootCauseAnalysis = z.infer<typeof zRootCauseAnalysis>;

// ---- responsibility dispute (定性争议) ------------------------------------------------------
export const DISPUTE_DECISIONS = ['upheld', 'reassigned'] as const;
export const zDisputeRaiseInput = z.object({
  /** The department disputing that it is responsible (the caller must belong to it, or be a manager). */
  departmentId: zId,
  reason: zText(2000),
  /** The department the disputing side thinks is responsible, if any. */
  proposedDepartmentId: zId.optional(),
});
export const zDisputeDecideInput = z.object({
  /** upheld: the responsible department stays; reassigned: it becomes `responsibleDepartmentId`. */
  decision: z.enum(DISPUTE_DECISIONS),
  responsibleDepartmentId: zId.optional(),
  reasons: zText(2000),
});
export const zDispute = z.object({
  id: zId,
  department: z.object({ id: zId, name: z.string() }),
  reason: z.string(),
  proposedDepartmentId: zId.nullable(),
  raisedBy: zRef.nullable(),
  raisedAt: zInstant,
  status: z.enum(['open', 'decided']),
  decision: z.enum(DISPUTE_DECISIONS).nullable(),
  responsibleDepartmentId: zId.nullable(),
  reasons: z.string().nullable(),
  decidedBy: zRef.nullable(),
  decidedAt: zInstant.nullable(),
  /** Present (true) while the category's dispute flow decides it (approvals/): no manager decision then. */
  underApproval: z.boolean().optional(),
});
export type Dispute = z.infer<typeof zDispute>;

// ---- containment (临时措施) -----------------------------------------------------------------
export const CONTAINMENT_LOCATIONS = ['customer', 'in_transit', 'warehouse', 'production'] as const;
export const zContainmentInput = z.object({
  location: z.enum(CONTAINMENT_LOCATIONS),
  action: zText(1000),
  ownerId: zId,
  /** Pieces concerned (e.g. 120 units quarantined). */
  quantity: z.number().int().min(0).max(100_000_000).optional(),
  result: zOptText(2000),
});
export const zContainmentAction = z.object({
  id: zId,
  location: z.enum(CONTAINMENT_LOCATIONS),
  action: z.string(),
  owner: zRef.nullable(),
  quantity: z.number().int().nullable(),
  result: z.string().nullable(),
  recordedBy: zRef.nullable(),
  recordedAt: zInstant,
});
export type ContainmentAction = z.infer<typeof zContainmentAction>;

// ---- plan (整改方案) and measures ----------------------------------------------------------
export const METRIC_OPERATORS = ['<', '<=', '=', '>=', '>'] as const;
export type MetricOperator = (typeof METRIC_OPERATORS)[number];
/** 噪音 < 45 dB 连续24h; 错误率 = 0 % 100次; 良率 >= 99.5 % 3批×1000. Or a yes/no check. */
export const zCriterion = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('metric'),
    metric: zText(100),
    operator: z.enum(METRIC_OPERATORS),
    target: z.number().finite(),
    unit: z.string().trim().max(20).default(''),
    duration: zOptText(100),
    sample: zOptText(100),
  }),
  z.object({ kind: z.literal('check'), text: zText(1000) }),
]);
export type Criterion = z.infer<typeof zCriterion>;

export const MEASURE_TYPES = ['corrective', 'preventive'] as const;
/** Preventive actions: 横向展开 to similar models, update SOP / inspection standard / FMEA. */
export const PREVENTIVE_KINDS = ['horizontal_deployment', 'sop', 'inspection_standard', 'fmea', 'other'] as const;
export const MEASURE_STATUSES = ['todo', 'doing', 'done', 'cancelled'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];
export const PLAN_STATUSES = ['submitted', 'approved', 'rejected', 'superseded'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/**
 * One measure as submitted. Owner, due date and criterion are required; zod names the field
 * (plan.measures.1.ownerId). `previousId`: the measure of the previous version this one revises
 * (for the version diff; ids are never reused).
 */
export const zMeasureInput = z.object({
  previousId: zId.optional(),
  type: z.enum(MEASURE_TYPES).default('corrective'),
  preventiveKind: z.enum(PREVENTIVE_KINDS).optional(),
  ownerId: zId,
  action: zText(1000),
  dueDate: zDate,
  criterion: zCriterion,
});
export type MeasureInput = z.infer<typeof zMeasureInput>;

export const zPlanInput = z.object({
  summary: zText(4000),
  measures: z.array(zMeasureInput).min(1).max(50),
});
export type PlanInput = z.infer<typeof zPlanInput>;

/** Vague wording found at submission (尽快/加强/注意/及时 …), or the 防错 hint. */
export const zPlanWarning = z.object({
  path: z.string(),
  kind: z.enum(['vague', 'prefer_error_proofing']),
  word: z.string(),
  message: z.string(),
});
export type PlanWarning = z.infer<typeof zPlanWarning>;

export const zMeasureComment = z.object({ id: zId, author: zRef.nullable(), body: z.string(), createdAt: zInstant });

export const zRectMeasure = z.object({
  id: zId,
  planId: zId,
  previousId: zId.nullable(),
  seq: z.number().int(),
  type: z.enum(MEASURE_TYPES),
  preventiveKind: z.enum(PREVENTIVE_KINDS).nullable(),
  owner: zRef.nullable(),
  action: z.string(),
  /** Null only on measures migrated from plans of earlier releases that had none. */
  dueDate: zDate.nullable(),
  criterion: zCriterion,
  /** null while the plan is not approved (not a task yet). */
  status: z.enum(MEASURE_STATUSES).nullable(),
  overdue: z.boolean(),
  evidenceAttachmentIds: z.array(zId),
  note: z.string().nullable(),
  startedAt: zInstant.nullable(),
  completedAt: zInstant.nullable(),
  completedBy: zRef.nullable(),
  /** Completed by the ticket owner or a manager instead of the measure owner. */
  onBehalf: z.boolean(),
  cancelReason: z.string().nullable(),
  comments: z.array(zMeasureComment),
});
export type RectMeasure = z.infer<typeof zRectMeasure>;

export const zPlanVersion = z.object({
  id: zId,
  version: z.number().int(),
  status: z.enum(PLAN_STATUSES),
  summary: z.string(),
  submittedBy: zRef.nullable(),
  submittedAt: zInstant,
  decidedBy: zRef.nullable(),
  decidedAt: zInstant.nullable(),
  /** The approver's opinion (approval) or the rejection opinion. */
  opinion: z.string().nullable(),
  warnings: z.array(zPlanWarning),
  measures: z.array(zRectMeasure),
});
export type PlanVersion = z.infer<typeof zPlanVersion>;

export const zMeasureStartInput = z.object({ note: zOptText(2000) });
/** Evidence (attachment ids of the ticket) or a note is required. */
export const zMeasureCompleteInput = z.object({
  evidenceAttachmentIds: z.array(zId).max(20).default([]),
  note: zOptText(2000),
});
export const zMeasureCommentInput = z.object({ body: zText(4000) });
export const zMeasureCancelInput = z.object({ reason: zText(2000) });

// ---- acceptance (验收) ----------------------------------------------------------------------
export const zAcceptanceTemplateInput = z.object({
  item: zText(200),
  criterion: zText(1000),
  method: zOptText(1000),
  sort: z.number().int().min(0).max(10000).default(100),
});
export const zAcceptanceTemplatePatch = z.object({
  item: zText(200).optional(),
  criterion: zText(1000).optional(),
  method: z.string().trim().max(1000).nullable().optional(),
  sort: z.number().int().min(0).max(10000).optional(),
  active: z.boolean().optional(),
});
export const zAcceptanceTemplateItem = z.object({
  id: zId,
  categoryId: zId,
  item: z.string(),
  criterion: z.string(),
  method: z.string().nullable(),
  sort: z.number().int(),
  active: z.boolean(),
});
export type AcceptanceTemplateItem = z.infer<typeof zAcceptanceTemplateItem>;
export const zAcceptanceTemplateList = z.object({ items: z.array(zAcceptanceTemplateItem) });

export const ACCEPTANCE_RESULTS = ['pass', 'fail', 'na'] as const;
export type AcceptanceResult = (typeof ACCEPTANCE_RESULTS)[number];
export const ROUND_STATUSES = ['open', 'passed', 'failed'] as const;

/** Recording one checklist item. `na` needs `naReason`; evidence is an attachment or a report number. */
export const zAcceptanceItemInput = z.object({
  measuredValue: zOptText(200),
  result: z.enum(ACCEPTANCE_RESULTS),
  naReason: zOptText(1000),
  evidenceAttachmentIds: z.array(zId).max(20).default([]),
  /** e.g. TR-2023-088. */
  reportNo: zOptText(64),
  note: zOptText(2000),
}).refine((i) => i.result !== 'na' || !!i.naReason, { message: 'a not-applicable item needs a reason', path: ['naReason'] });

export const zAcceptanceItem = z.object({
  id: zId,
  seq: z.number().int(),
  source: z.enum(['measure', 'template']),
  measureId: zId.nullable(),
  templateItemId: zId.nullable(),
  item: z.string(),
  /** From the measure (structured) or the template (text). */
  criterion: z.union([zCriterion, z.object({ kind: z.literal('text'), text: z.string() })]),
  method: z.string().nullable(),
  measuredValue: z.string().nullable(),
  result: z.enum(ACCEPTANCE_RESULTS).nullable(),
  naReason: z.string().nullable(),
  evidenceAttachmentIds: z.array(zId),
  reportNo: z.string().nullable(),
  note: z.string().nullable(),
  verifier: zRef.nullable(),
  verifiedAt: zInstant.nullable(),
});
export type AcceptanceItem = z.infer<typeof zAcceptanceItem>;

export const zAcceptanceRound = z.object({
  id: zId,
  round: z.number().int(),
  status: z.enum(ROUND_STATUSES),
  planId: zId,
  startedBy: zRef.nullable(),
  startedAt: zInstant,
  completedBy: zRef.nullable(),
  completedAt: zInstant.nullable(),
  /** The pass note or fail reason given with pass_acceptance / fail_acceptance. */
  result: z.string().nullable(),
  items: z.array(zAcceptanceItem),
});
export type AcceptanceRound = z.infer<typeof zAcceptanceRound>;

// ---- stage durations -----------------------------------------------------------------------
export const zStageDuration = z.object({
  status: z.enum(TICKET_STATUSES),
  /** Business minutes in the default calendar, over every stay in this status. */
  businessMinutes: z.number().int(),
  /** Wall-clock minutes. */
  minutes: z.number().int(),
  entered: z.number().int(),
});
export const zStageDurations = z.object({
  calendarId: zId.nullable(),
  items: z.array(zStageDuration),
});
export type StageDurations = z.infer<typeof zStageDurations>;

// ---- reads ---------------------------------------------------------------------------------
/** GET /tickets/:id/rectification */
export const zRectification = z.object({
  ticketId: zId,
  analysis: zRootCauseAnalysis.nullable(),
  disputes: z.array(zDispute),
  containment: z.array(zContainmentAction),
  /** Every version, newest first. */
  plans: z.array(zPlanVersion),
  /** The latest rejected version while no newer one exists: prefill the revision from it. */
  revisionBase: zPlanVersion.nullable(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  /** Every round, newest first. */
  acceptanceRounds: z.array(zAcceptanceRound),
  stageDurations: zStageDurations,
});
export type Rectification = z.infer<typeof zRectification>;

const zTicketBrief = z.object({
  id: zId, number: z.string(), title: z.string(), status: z.enum(TICKET_STATUSES), priority: z.string(),
});

/** GET /me/measures: measures I own on approved plans, open (todo/doing) first, then by due date. */
export const zMyMeasuresQuery = z.object({
  open: z.enum(['true', 'false']).default('true'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const zMyMeasure = z.object({
  id: zId,
  ticket: zTicketBrief,
  action: z.string(),
  type: z.enum(MEASURE_TYPES),
  status: z.enum(MEASURE_STATUSES),
  dueDate: zDate.nullable(),
  overdue: z.boolean(),
  criterion: zCriterion,
});
export const zMyMeasureList = z.object({ items: z.array(zMyMeasure) });

/** GET /me/acceptances: tickets in accepting whose open round I may record (verifier, manager, admin). */
export const zMyAcceptance = z.object({
  ticket: zTicketBrief,
  round: z.number().int(),
  startedAt: zInstant,
  items: z.number().int(),
  recorded: z.number().int(),
  /** Items I may not record: I own their measure. */
  ownMeasureItems: z.number().int(),
});
export const zMyAcceptanceList = z.object({ items: z.array(zMyAcceptance) });
