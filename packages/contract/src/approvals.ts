/**
 * Approval flows (流程引擎, SPEC §4 and Appendix A): a flow definition is a tree like DingTalk's
 * designer — start → nodes → end; node kinds approver, cc (抄送), handler (办理人) and condition
 * (条件分支: branches side by side, ordered conditions, exactly one default branch, each branch its
 * own child node list). Every node carries a stable, client-generated id (the designer makes it).
 * Definitions are versioned (draft / active / archived); an instance keeps the version it
 * started with. Shared by the server (validation, engine, OpenAPI) and the web (designer, boxes).
 */
import { z } from 'zod';
import { zId, zInstant, zText } from './common.js';
import { ROLES } from './enums.js';

/** Where a flow is attached, per category. */
export const APPROVAL_GATES = ['plan_review', 'compensation', 'cancellation', 'dispute'] as const;
export type ApprovalGate = (typeof APPROVAL_GATES)[number];

export const FLOW_VERSION_STATUSES = ['draft', 'active', 'archived'] as const;
export type FlowVersionStatus = (typeof FLOW_VERSION_STATUSES)[number];

export const FLOW_INSTANCE_STATUSES = ['running', 'approved', 'rejected', 'cancelled'] as const;
export type FlowInstanceStatus = (typeof FLOW_INSTANCE_STATUSES)[number];

export const FLOW_TASK_STATUSES = ['waiting', 'running', 'approved', 'rejected', 'cancelled', 'returned', 'skipped'] as const;
export type FlowTaskStatus = (typeof FLOW_TASK_STATUSES)[number];

/** 依次 sequential, 会签 all-must, 或签 any-one. */
export const APPROVAL_MODES = ['sequential', 'all', 'any'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** Node ids are client-generated strings (the designer makes them), stable across versions. */
export const zNodeId = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

// ---- who: approvers, handlers, cc recipients --------------------------------------------------

export const zAssigneeSource = z.discriminatedUnion('kind', [
  /** Named users (in this order for 依次). */
  z.object({ kind: z.literal('users'), userIds: z.array(zId).min(1).max(50) }),
  /** Every active user with this role, optionally only those of one department. */
  z.object({ kind: z.literal('role'), role: z.enum(ROLES), departmentId: zId.nullable().default(null) }),
  /** The head of the ticket's department; levelsUp 1 = the head of its parent department, … */
  z.object({ kind: z.literal('department_head'), levelsUp: z.number().int().min(0).max(5).default(0) }),
  /** The initiator's manager: the head of the initiator's department (levelsUp further up). */
  z.object({ kind: z.literal('initiator_manager'), levelsUp: z.number().int().min(0).max(5).default(0) }),
  /** A person field of the ticket or its form (a field path of the catalog, type person). */
  z.object({ kind: z.literal('person_field'), field: z.string().min(1).max(128) }),
]);
export type AssigneeSource = z.infer<typeof zAssigneeSource>;

/** No approver found: auto-pass the node, send it to the flow admin, or refuse the submission. */
export const EMPTY_APPROVER_ACTIONS = ['auto_pass', 'to_admin', 'refuse'] as const;
/** The approver is the initiator: they approve themselves, or the task is skipped (auto-passed). */
export const SELF_APPROVER_ACTIONS = ['self_approve', 'skip'] as const;
export const TIMEOUT_ACTIONS = ['remind', 'auto_pass', 'auto_reject'] as const;

export const zRejectTarget = z.discriminatedUnion('kind', [
  /** End the flow as rejected; the request goes back to the initiator. */
  z.object({ kind: z.literal('initiator') }),
  /** Back to the previous approver node on the path (the initiator if there is none). */
  z.object({ kind: z.literal('previous') }),
  /** The rejecting approver picks one of these earlier nodes. */
  z.object({ kind: z.literal('nodes'), nodeIds: z.array(zNodeId).min(1).max(20) }),
]);
export type RejectTarget = z.infer<typeof zRejectTarget>;

export const zNodeTimeout = z.object({
  /** Business hours on the ticket's calendar. */
  businessHours: z.number().min(0.5).max(2000),
  action: z.enum(TIMEOUT_ACTIONS),
});
export type NodeTimeout = z.infer<typeof zNodeTimeout>;

// ---- conditions ---------------------------------------------------------------------------------

export const FIELD_TYPES = ['number', 'text', 'select', 'person'] as const;
export type FlowFieldType = (typeof FIELD_TYPES)[number];
export const CONDITION_OPERATORS = {
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between'],
  text: ['eq', 'ne', 'contains'],
  select: ['in', 'not_in'],
  person: ['in', 'not_in'],
} as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[FlowFieldType][number];

/**
 * One typed comparison. `field` is a path of the field catalog: `ticket.priority`,
 * `ticket.channel`, `ticket.departmentId`, `form.<field key>` (form engine), `subject.<key>`
 * (what the gate is about, e.g. `subject.amount` of a compensation).
 */
export const zCondition = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('number'), field: z.string().min(1).max(128),
    op: z.enum(CONDITION_OPERATORS.number),
    /** `between`: [low, high], both inclusive. */
    value: z.union([z.number(), z.tuple([z.number(), z.number()])]),
  }),
  z.object({ type: z.literal('text'), field: z.string().min(1).max(128), op: z.enum(CONDITION_OPERATORS.text), value: z.string().max(500) }),
  z.object({ type: z.literal('select'), field: z.string().min(1).max(128), op: z.enum(CONDITION_OPERATORS.select), value: z.array(z.string().max(200)).min(1).max(100) }),
  z.object({ type: z.literal('person'), field: z.string().min(1).max(128), op: z.enum(CONDITION_OPERATORS.person), value: z.array(zId).min(1).max(100) }),
]);
export type FlowCondition = z.infer<typeof zCondition>;

// ---- nodes --------------------------------------------------------------------------------------

const zNodeBase = { id: zNodeId, name: z.string().trim().min(1).max(64) };

export const zApproverNode = z.object({
  ...zNodeBase,
  kind: z.literal('approver'),
  approvers: z.array(zAssigneeSource).max(10),
  mode: z.enum(APPROVAL_MODES).default('any'),
  onEmpty: z.enum(EMPTY_APPROVER_ACTIONS).default('to_admin'),
  onSelf: z.enum(SELF_APPROVER_ACTIONS).default('self_approve'),
  rejectTo: zRejectTarget.default({ kind: 'initiator' }),
  /** 自动去重: someone who already approved earlier in this instance is auto-passed here. */
  dedupe: z.boolean().default(false),
  timeout: zNodeTimeout.nullable().default(null),
});
export const zCcNode = z.object({
  ...zNodeBase,
  kind: z.literal('cc'),
  recipients: z.array(zAssigneeSource).max(10),
});
/** 办理人: must do and confirm a piece of work (complete), no reject. */
export const zHandlerNode = z.object({
  ...zNodeBase,
  kind: z.literal('handler'),
  handlers: z.array(zAssigneeSource).max(10),
  mode: z.enum(APPROVAL_MODES).default('any'),
  onEmpty: z.enum(EMPTY_APPROVER_ACTIONS).default('to_admin'),
  timeout: zNodeTimeout.nullable().default(null),
});

export type ApproverNode = z.infer<typeof zApproverNode>;
export type CcNode = z.infer<typeof zCcNode>;
export type HandlerNode = z.infer<typeof zHandlerNode>;
export interface ConditionBranch {
  id: string;
  name: string;
  /** All must hold (AND). Ignored on the default branch. */
  conditions: FlowCondition[];
  isDefault: boolean;
  nodes: FlowNode[];
}
export interface ConditionNode { id: string; name: string; kind: 'condition'; branches: ConditionBranch[] }
export type FlowNode = ApproverNode | CcNode | HandlerNode | ConditionNode;

/** Input shapes (defaults optional), as the designer sends them. */
type In<T extends z.ZodTypeAny> = z.input<T>;
export interface ConditionBranchInput { id: string; name: string; conditions?: In<typeof zCondition>[]; isDefault?: boolean; nodes: FlowNodeInput[] }
export interface ConditionNodeInput { id: string; name: string; kind: 'condition'; branches: ConditionBranchInput[] }
export type FlowNodeInput = In<typeof zApproverNode> | In<typeof zCcNode> | In<typeof zHandlerNode> | ConditionNodeInput;

export const zConditionBranch: z.ZodType<ConditionBranch, ConditionBranchInput> = z.lazy(() => z.object({
  id: zNodeId,
  name: z.string().trim().min(1).max(64),
  conditions: z.array(zCondition).max(20).default([]),
  isDefault: z.boolean().default(false),
  nodes: z.array(zFlowNode).max(50),
}));
export const zConditionNode: z.ZodType<ConditionNode, ConditionNodeInput> = z.lazy(() => z.object({
  ...zNodeBase,
  kind: z.literal('condition'),
  branches: z.array(zConditionBranch).min(2).max(10),
}));
export const zFlowNode: z.ZodType<FlowNode, FlowNodeInput> = z.lazy(() => z.union([
  zApproverNode, zCcNode, zHandlerNode, zConditionNode,
]));

/** The tree between the (implicit) start node and end node. */
export const zFlowTree = z.object({ nodes: z.array(zFlowNode).max(50) });
export type FlowTree = z.infer<typeof zFlowTree>;

// ---- field catalog and validation ---------------------------------------------------------------

export const zFlowField = z.object({
  /** `ticket.priority`, `form.<key>`, `subject.amount` … */
  path: z.string(),
  type: z.enum(FIELD_TYPES),
  label: z.string(),
  labelEn: z.string().optional(),
  /** select: the allowed values. */
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
});
export type FlowField = z.infer<typeof zFlowField>;
export const zFlowFieldCatalog = z.object({ gate: z.enum(APPROVAL_GATES), fields: z.array(zFlowField) });

export const FLOW_VALIDATION_CODES = [
  'unreachable_branch', 'no_approvers', 'missing_field', 'no_default_branch', 'many_default_branches',
  'wrong_field_type', 'bad_operator', 'duplicate_node_id', 'bad_reject_target', 'no_nodes', 'bad_value',
] as const;
export type FlowValidationCode = (typeof FLOW_VALIDATION_CODES)[number];
export const zFlowValidationError = z.object({
  /** The node (or branch) at fault; null for the whole flow. */
  nodeId: z.string().nullable(),
  code: z.enum(FLOW_VALIDATION_CODES),
  message: z.string(),
});
export type FlowValidationError = z.infer<typeof zFlowValidationError>;
export const zFlowValidation = z.object({ ok: z.boolean(), errors: z.array(zFlowValidationError) });
export type FlowValidation = z.infer<typeof zFlowValidation>;

// ---- definitions and versions -------------------------------------------------------------------

export const zFlowVersion = z.object({
  id: zId,
  number: z.number().int(),
  status: z.enum(FLOW_VERSION_STATUSES),
  tree: zFlowTree,
  publishedAt: zInstant.nullable(),
  publishedBy: zId.nullable(),
});
export type FlowVersion = z.infer<typeof zFlowVersion>;

export const zFlowDefinition = z.object({
  id: zId,
  name: z.string(),
  gate: z.enum(APPROVAL_GATES),
  /** Categories the flow is attached to (per gate a category has at most one flow). */
  categoryIds: z.array(zId),
  /** The flow admin: gets the nodes whose approvers are empty (onEmpty to_admin). */
  adminUserId: zId,
  /** The draft the designer edits (published as the next version). */
  draft: zFlowTree,
  activeVersion: zFlowVersion.nullable(),
  versions: z.array(zFlowVersion.omit({ tree: true })),
  version: z.number().int(),
  updatedAt: zInstant,
});
export type FlowDefinition = z.infer<typeof zFlowDefinition>;
export const zFlowDefinitionList = z.object({ items: z.array(zFlowDefinition.omit({ draft: true, activeVersion: true })) });

export const zFlowDefinitionCreate = z.object({
  name: zText(64),
  gate: z.enum(APPROVAL_GATES),
  categoryIds: z.array(zId).max(200).default([]),
  adminUserId: zId,
  draft: zFlowTree.default({ nodes: [] }),
});
export type FlowDefinitionCreate = z.input<typeof zFlowDefinitionCreate>;
export const zFlowDefinitionUpdate = z.object({
  name: zText(64).optional(),
  categoryIds: z.array(zId).max(200).optional(),
  adminUserId: zId.optional(),
  draft: zFlowTree.optional(),
  /** Optimistic concurrency: the definition's version as read. */
  version: z.number().int(),
});
export type FlowDefinitionUpdate = z.input<typeof zFlowDefinitionUpdate>;
export const zFlowPublish = z.object({ version: z.number().int() });

// ---- instances, tasks, path ---------------------------------------------------------------------

export const TASK_KINDS = ['approve', 'handle', 'cc'] as const;
export type FlowTaskKind = (typeof TASK_KINDS)[number];

export const zFlowTask = z.object({
  id: zId,
  nodeId: z.string(),
  kind: z.enum(TASK_KINDS),
  assigneeId: zId,
  status: z.enum(FLOW_TASK_STATUSES),
  /** For 依次: order within the node. */
  seq: z.number().int(),
  /** Set on tasks created by 加签 (they cannot add more) or 转交 (the previous assignee). */
  addedBy: zId.nullable(),
  origin: z.enum(['node', 'add_before', 'add_after', 'transfer', 'admin']),
  opinion: z.string().nullable(),
  attachmentIds: z.array(zId),
  actedAt: zInstant.nullable(),
  /** cc: when the recipient read it. */
  readAt: zInstant.nullable(),
  dueAt: zInstant.nullable(),
});
export type FlowTaskView = z.infer<typeof zFlowTask>;

export const FLOW_ACTION_KINDS = [
  'start', 'approve', 'reject', 'return', 'transfer', 'add_signer', 'withdraw', 'urge', 'cc_read',
  'auto_pass', 'auto_reject', 'skip', 'remind', 'to_admin', 'complete',
] as const;
export type FlowActionKind = (typeof FLOW_ACTION_KINDS)[number];

/** One step of the path: who did what, when (the read-only view of the instance). */
export const zFlowPathStep = z.object({
  /** Ascending: the order things happened in. */
  id: z.number().int(),
  kind: z.enum(FLOW_ACTION_KINDS),
  nodeId: z.string().nullable(),
  taskId: zId.nullable(),
  actorId: zId.nullable(),
  actorName: z.string().nullable(),
  /** transfer / add_signer: the other person(s); return / reject: the target node. */
  targetUserIds: z.array(zId),
  targetNodeId: z.string().nullable(),
  opinion: z.string().nullable(),
  attachmentIds: z.array(zId),
  at: zInstant,
});
export type FlowPathStep = z.infer<typeof zFlowPathStep>;

export const zFlowInstance = z.object({
  id: zId,
  definitionId: zId,
  definitionName: z.string(),
  /** The version it started with (kept after republishing). */
  versionId: zId,
  versionNumber: z.number().int(),
  gate: z.enum(APPROVAL_GATES),
  ticketId: zId,
  ticketNumber: z.string(),
  ticketTitle: z.string(),
  /** What the gate is about, e.g. `plan:3`, `compensation:<id>`. */
  subjectRef: z.string(),
  initiatorId: zId,
  status: z.enum(FLOW_INSTANCE_STATUSES),
  /** The node(s) running now (empty when ended). */
  currentNodeIds: z.array(z.string()),
  tree: zFlowTree,
  tasks: z.array(zFlowTask),
  path: z.array(zFlowPathStep),
  startedAt: zInstant,
  endedAt: zInstant.nullable(),
  /** Actions the caller may take now. */
  allowed: z.object({
    withdraw: z.boolean(),
    urge: z.boolean(),
    /** Task ids the caller may act on. */
    taskIds: z.array(zId),
  }),
});
export type FlowInstanceView = z.infer<typeof zFlowInstance>;

// ---- action inputs --------------------------------------------------------------------------------

const zOpinion = z.string().trim().max(2000);
const zAttachments = z.array(zId).max(20).default([]);

export const zTaskApprove = z.object({ opinion: zOpinion.optional(), attachmentIds: zAttachments });
/** Reject needs an opinion; targetNodeId when the node's rejectTo is `nodes`. */
export const zTaskReject = z.object({ opinion: zOpinion.min(1), attachmentIds: zAttachments, targetNodeId: zNodeId.optional() });
/** 退回: back to a node already passed (its approvers act again), or `initiator`. */
export const zTaskReturn = z.object({ opinion: zOpinion.min(1), targetNodeId: z.union([zNodeId, z.literal('initiator')]) });
export const zTaskTransfer = z.object({ userId: zId, opinion: zOpinion.optional() });
export const zTaskAddSigner = z.object({
  position: z.enum(['before', 'after']),
  userIds: z.array(zId).min(1).max(10),
  opinion: zOpinion.optional(),
});
export const zInstanceWithdraw = z.object({ reason: zOpinion.optional() });
export const zInstanceUrge = z.object({ message: zOpinion.optional() });

export type TaskApprove = z.input<typeof zTaskApprove>;
export type TaskReject = z.input<typeof zTaskReject>;
export type TaskReturn = z.input<typeof zTaskReturn>;
export type TaskTransfer = z.input<typeof zTaskTransfer>;
export type TaskAddSigner = z.input<typeof zTaskAddSigner>;

/** Urge (催办): at most this many per instance per hour. */
export const URGE_LIMIT_PER_HOUR = 3;

// ---- workbench boxes ------------------------------------------------------------------------------

/** todo 待我审批, done 我已审批, cc 抄送我. */
export const APPROVAL_BOXES = ['todo', 'done', 'cc'] as const;
export type ApprovalBox = (typeof APPROVAL_BOXES)[number];
export const zApprovalBoxQuery = z.object({
  box: z.enum(APPROVAL_BOXES).default('todo'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const zApprovalBoxItem = z.object({
  taskId: zId,
  instanceId: zId,
  nodeId: z.string(),
  nodeName: z.string(),
  taskStatus: z.enum(FLOW_TASK_STATUSES),
  instanceStatus: z.enum(FLOW_INSTANCE_STATUSES),
  gate: z.enum(APPROVAL_GATES),
  definitionName: z.string(),
  ticketId: zId,
  ticketNumber: z.string(),
  ticketTitle: z.string(),
  initiatorId: zId,
  initiatorName: z.string(),
  /** todo: when the task started; done: when acted; cc: when sent. */
  at: zInstant,
  readAt: zInstant.nullable(),
});
export type ApprovalBoxItem = z.infer<typeof zApprovalBoxItem>;
export const zApprovalBoxPage = z.object({ items: z.array(zApprovalBoxItem), nextCursor: z.string().nullable(), todoCount: z.number().int() });

/** The result of a gate: no flow (passed), an instance started (running), or refused (empty approver rule). */
export const GATE_RESULTS = ['passed', 'running', 'refused'] as const;
export type GateResult = (typeof GATE_RESULTS)[number];
