/**
 * Customer self-service portal (自助服务): access by account or by ticket number + one-time code,
 * anonymous submission, the customer view of a ticket (chosen field by field, never the staff
 * view filtered), messages, confirming the fix, and the live stream's event format.
 * Routes: docs/portal.md.
 */
import { z } from 'zod';
import { zId, zInstant, zText } from './common.js';

/** What the customer is told about the state of the ticket; every internal status maps to one. */
export const PORTAL_STATUSES = ['received', 'in_progress', 'needs_info', 'awaiting_confirmation', 'done', 'cancelled'] as const;
export type PortalStatus = (typeof PORTAL_STATUSES)[number];
export const PORTAL_STATUS_LABELS: Record<'zh-CN' | 'en-US', Record<PortalStatus, string>> = {
  'zh-CN': {
    received: '已受理', in_progress: '处理中', needs_info: '待您补充', awaiting_confirmation: '待您确认',
    done: '已完成', cancelled: '已取消',
  },
  'en-US': {
    received: 'Received', in_progress: 'In progress', needs_info: 'Waiting for your information',
    awaiting_confirmation: 'Waiting for your confirmation', done: 'Completed', cancelled: 'Cancelled',
  },
};

/** Customer-readable timeline entries; nothing else of the staff history is shown. */
export const PORTAL_TIMELINE_KINDS = [
  'submitted', 'handling', 'reply', 'your_message', 'info_requested', 'info_provided',
  'solution_ready', 'reopened', 'closed', 'cancelled',
] as const;
export type PortalTimelineKind = (typeof PORTAL_TIMELINE_KINDS)[number];

// ---- access ------------------------------------------------------------------------------
export const zPortalTicketNumber = z.string().trim().min(1).max(40);

export const zPortalAccessRequest = z.object({
  ticketNumber: zPortalTicketNumber,
  via: z.enum(['phone', 'email']),
});
export type PortalAccessRequest = z.infer<typeof zPortalAccessRequest>;
/** Always the same answer (202), whether the number exists or has that contact: nothing leaks. */
export const zPortalAccessRequested = z.object({ accepted: z.literal(true), expiresInSeconds: z.number().int() });

export const zPortalAccessVerify = z.object({
  ticketNumber: zPortalTicketNumber,
  code: z.string().trim().regex(/^\d{6}$/, 'six digits'),
});
export type PortalAccessVerify = z.infer<typeof zPortalAccessVerify>;

/** Who the portal caller is: an account (all own tickets) or a code session (one ticket). */
export const zPortalMe = z.object({
  kind: z.enum(['account', 'ticket']),
  customerName: z.string(),
  /** Set for kind = ticket: the only ticket this session reaches. */
  ticketNumber: z.string().nullable(),
});
export type PortalMe = z.infer<typeof zPortalMe>;

export const zPortalUploadLimits = z.object({
  maxBytes: z.number().int(),
  maxFiles: z.number().int(),
  /** MIME types the server accepts (checked by content on the server). */
  acceptedTypes: z.array(z.string()),
  /** File-name endings for the file picker's accept attribute. */
  acceptedExtensions: z.array(z.string()),
});
export type PortalUploadLimits = z.infer<typeof zPortalUploadLimits>;

// ---- submission --------------------------------------------------------------------------
export const zPortalSubmit = z.object({
  /** 场景: where / when / doing what. */
  scene: zText(2000),
  /** 现象: what happens. */
  symptom: zText(2000),
  /** 已尝试措施 (optional). */
  triedSteps: z.string().trim().max(2000).optional(),
  /** Short title; made from the symptom when left out. */
  title: z.string().trim().max(200).optional(),
  product: z.object({
    model: zText(100),
    serial: z.string().trim().max(64).optional(),
  }),
  orderNo: z.string().trim().max(64).optional(),
  /** Ignored for a signed-in customer account (their own customer record is used). */
  contact: z.object({
    name: zText(64),
    phone: z.string().trim().regex(/^\+?[0-9][0-9 -]{2,30}$/, 'not a phone number').optional(),
    email: z.string().trim().toLowerCase().email().max(254).optional(),
  }).optional(),
});
export type PortalSubmit = z.infer<typeof zPortalSubmit>;
export const zPortalSubmitted = z.object({ number: z.string() });

// ---- the customer view -------------------------------------------------------------------
export const zPortalAttachment = z.object({
  id: zId,
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  createdAt: zInstant,
  /** Relative URL of the download through the portal session. */
  url: z.string(),
});
export type PortalAttachment = z.infer<typeof zPortalAttachment>;

export const zPortalTimelineEntry = z.object({
  /** Stable id for React keys and de-duplication. */
  id: z.string(),
  kind: z.enum(PORTAL_TIMELINE_KINDS),
  at: zInstant,
  /** 'you' = the customer side, 'service' = the company. */
  by: z.enum(['you', 'service']),
  /** Message text for reply / your_message / info_requested (the request's public wording) / solution_ready. */
  body: z.string().nullable(),
});
export type PortalTimelineEntry = z.infer<typeof zPortalTimelineEntry>;

export const zPortalTicketSummary = z.object({
  number: z.string(),
  title: z.string(),
  status: z.enum(PORTAL_STATUSES),
  createdAt: zInstant,
  updatedAt: zInstant,
});
export type PortalTicketSummary = z.infer<typeof zPortalTicketSummary>;
export const zPortalTicketList = z.object({ items: z.array(zPortalTicketSummary) });

export const zPortalTicket = zPortalTicketSummary.extend({
  submission: z.object({
    description: z.string(),
    scene: z.string().nullable(),
    symptom: z.string().nullable(),
    triedSteps: z.string().nullable(),
    productModel: z.string(),
    orderNo: z.string().nullable(),
  }),
  contactName: z.string(),
  /** What was done, shown while waiting for confirmation and after (resolution or plan summary). */
  solution: z.string().nullable(),
  /** The customer's rating once confirmed. */
  rating: z.object({ rating: z.number().int().nullable(), comment: z.string().nullable() }).nullable(),
  /** The customer may post a message now (ticket not closed/cancelled). */
  canMessage: z.boolean(),
  /** The customer may confirm now (status awaiting_confirmation). */
  canConfirm: z.boolean(),
  timeline: z.array(zPortalTimelineEntry),
  attachments: z.array(zPortalAttachment),
});
export type PortalTicket = z.infer<typeof zPortalTicket>;

// ---- actions -----------------------------------------------------------------------------
export const zPortalMessage = z.object({ body: zText(5000) });
export type PortalMessage = z.infer<typeof zPortalMessage>;

export const zPortalConfirm = z.discriminatedUnion('resolved', [
  z.object({ resolved: z.literal(true), rating: z.number().int().min(1).max(5), comment: z.string().trim().max(2000).optional() }),
  z.object({ resolved: z.literal(false), comment: zText(2000) }),
]);
export type PortalConfirm = z.infer<typeof zPortalConfirm>;

// ---- live stream -------------------------------------------------------------------------
/**
 * `data:` of an SSE `event: changed` on /portal/tickets/{number}/stream and /tickets/{id}/stream.
 * The client refetches the ticket on it. `seq` is the ticket's event number (Last-Event-ID).
 */
export const zStreamChanged = z.object({
  seq: z.number().int(),
  /** Customer stream: a timeline kind or 'attachment' / 'status'; staff stream: the audit event type. */
  kind: z.string(),
});
export type StreamChanged = z.infer<typeof zStreamChanged>;
