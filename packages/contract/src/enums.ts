/** Closed vocabularies shared by server and web. Labels live in the web app's locale files. */
export const ROLES = ['admin', 'manager', 'agent', 'handler', 'verifier', 'customer'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ['admin', 'manager', 'agent', 'handler', 'verifier'] as const satisfies readonly Role[];

export const TICKET_STATUSES = [
  'registered', 'assigned', 'analyzing', 'plan_review', 'rectifying',
  'accepting', 'follow_up', 'closed', 'cancelled',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TERMINAL_STATUSES = ['closed', 'cancelled'] as const satisfies readonly TicketStatus[];

export const CHANNELS = ['phone', 'web', 'email', 'store', 'wechat', 'api', 'platform'] as const;
export type Channel = (typeof CHANNELS)[number];

export const PRIORITIES = ['P1', 'P2', 'P3'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const URGENCIES = ['low', 'medium', 'high', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** quick: intake → handling → follow-up → closed; full: every stage of the closed loop. */
export const PROCESS_TEMPLATES = ['quick', 'full'] as const;
export type ProcessTemplate = (typeof PROCESS_TEMPLATES)[number];

/** `complete_measure` is retired (measures are completed by id, rectification/); kept so stored events parse. */
export const TICKET_COMMANDS = [
  'accept', 'resolve', 'submit_plan', 'approve_plan', 'reject_plan', 'complete_measure',
  'start_acceptance', 'pass_acceptance', 'fail_acceptance', 'confirm', 'reopen', 'cancel',
  'reassign', 'set_waiting', 'escalate', 'auto_close', 'assign',
] as const;
export type TicketCommand = (typeof TICKET_COMMANDS)[number];

export const COMMENT_VISIBILITIES = ['public', 'internal'] as const;
export type CommentVisibility = (typeof COMMENT_VISIBILITIES)[number];

export const ROOT_CAUSE_CLASSES = [
  'design', 'manufacturing', 'supplier', 'logistics', 'installation', 'usage', 'service',
] as const;
export type RootCauseClass = (typeof ROOT_CAUSE_CLASSES)[number];

export const CUSTOMER_TIERS = ['vip', 'potential', 'regular'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];

/** Scopes an API token may carry. A session has every scope its role allows. */
export const TOKEN_SCOPES = ['tickets:read', 'tickets:write', 'customers:read', 'admin', 'integrations:write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'select', 'boolean'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
