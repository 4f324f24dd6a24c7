/**
 * The flow engine's state and inputs: plain data, no database. The persistence layer stores
 * `EngineState` (flow_instances.state) and mirrors its tasks into flow_tasks for the boxes.
 */
import type {
  AssigneeSource, FlowActionKind, FlowInstanceStatus, FlowTaskKind, FlowTaskStatus, FlowTree, Role,
} from '@closeloop/contract';

/** Field values the conditions and person fields read: keyed by catalog path (`subject.amount`). */
export type FieldValue = string | number | boolean | null | string[];
export type FieldValues = Record<string, FieldValue | undefined>;

/** Who is who: resolves assignee sources. Synchronous: the caller loads what it needs first. */
export interface Directory {
  /** Active staff users with this role (in a stable order), optionally of one department. */
  usersWithRole(role: Role, departmentId: string | null): string[];
  /** The head of the department `levelsUp` levels above it (0 = its own head), or null. */
  departmentHead(departmentId: string, levelsUp: number): string | null;
  /** The user's primary department (for the initiator's manager), or null. */
  departmentOf(userId: string): string | null;
  /** Whether the user exists and is active staff (named approvers who left are dropped). */
  isActiveStaff(userId: string): boolean;
}

export type TaskOrigin = 'node' | 'add_before' | 'add_after' | 'transfer' | 'admin';

export interface EngineTask {
  id: string;
  nodeId: string;
  /** Which activation of the node (a node entered again after a return gets fresh tasks). */
  round: number;
  kind: FlowTaskKind;
  assigneeId: string;
  status: FlowTaskStatus;
  seq: number;
  origin: TaskOrigin;
  /** 加签: the task whose holder added this signer; 转交: the task it was moved from. */
  parentTaskId: string | null;
  addedBy: string | null;
  opinion: string | null;
  attachmentIds: string[];
  /** When it became running (ISO). */
  startedAt: string | null;
  actedAt: string | null;
  /** Acted by the system (skip, dedupe, timeout), not by its assignee. */
  auto: boolean;
  readAt: string | null;
  dueAt: string | null;
}

export interface EngineLogEntry {
  kind: FlowActionKind;
  nodeId: string | null;
  taskId: string | null;
  actorId: string | null;
  targetUserIds: string[];
  targetNodeId: string | null;
  opinion: string | null;
  attachmentIds: string[];
  at: string;
}

export interface EngineState {
  status: FlowInstanceStatus;
  initiatorId: string;
  adminUserId: string;
  /** The nodes the instance runs through, in order (conditions resolved at start). */
  route: string[];
  /** Index into route of the running node; route.length when ended. */
  current: number;
  /** Activation count per node id. */
  rounds: Record<string, number>;
  tasks: EngineTask[];
  log: EngineLogEntry[];
  /** Urge times (ISO), for the per-hour limit. */
  urges: string[];
  endedAt: string | null;
}

export interface EngineContext {
  tree: FlowTree;
  directory: Directory;
  fields: FieldValues;
  /** The ticket's department (department_head sources). */
  ticketDepartmentId: string | null;
  now: Date;
  newId: () => string;
  /** The due instant `businessHours` business hours after `from` (the ticket's calendar). */
  dueAt: (from: Date, businessHours: number) => Date;
}

export type EngineAction =
  | { kind: 'approve'; taskId: string; actorId: string; opinion?: string | null; attachmentIds?: string[] }
  | { kind: 'complete'; taskId: string; actorId: string; opinion?: string | null; attachmentIds?: string[] }
  | { kind: 'reject'; taskId: string; actorId: string; opinion: string; attachmentIds?: string[]; targetNodeId?: string }
  | { kind: 'return'; taskId: string; actorId: string; opinion: string; targetNodeId: string }
  | { kind: 'transfer'; taskId: string; actorId: string; userId: string; opinion?: string | null }
  | { kind: 'add_signer'; taskId: string; actorId: string; position: 'before' | 'after'; userIds: string[]; opinion?: string | null }
  | { kind: 'withdraw'; actorId: string; reason?: string | null }
  | { kind: 'urge'; actorId: string; message?: string | null }
  | { kind: 'cc_read'; taskId: string; actorId: string }
  /** A timer fired for the task (the system). */
  | { kind: 'timeout'; taskId: string };

export type NotifyReason = 'task' | 'cc' | 'urge' | 'remind' | 'outcome' | 'transferred' | 'signer_added';
export type EngineEffect =
  | { type: 'notify'; reason: NotifyReason; userIds: string[]; nodeId: string | null }
  | { type: 'timer'; taskId: string; at: string };

export interface EngineResult {
  state: EngineState;
  effects: EngineEffect[];
  /** Set when this step ended the instance. */
  outcome: Exclude<FlowInstanceStatus, 'running'> | null;
  /** The rejecting opinion when the outcome is rejected. */
  outcomeOpinion: string | null;
  /** Log entries this step added (for flow_actions, audit and events). */
  logged: EngineLogEntry[];
  /** Tasks created or changed by this step. */
  changedTaskIds: string[];
}

export type EngineRefusalCode = 'NOT_FOUND' | 'FORBIDDEN' | 'INVALID_TRANSITION' | 'VALIDATION_FAILED' | 'RATE_LIMITED';
export class EngineRefusal extends Error {
  constructor(readonly code: EngineRefusalCode, message: string, readonly field?: string) { super(message); }
}

export type { AssigneeSource };
