/**
 * Follow-up (回访), effectiveness checks and repeat complaints: the customer's link (no login),
 * phone follow-ups, per-category settings, effectiveness tasks, ticket links and rates.
 */
import { z } from 'zod';
import { zId, zInstant, zText } from './common.js';

export const FOLLOW_UP_CHANNELS = ['link', 'phone'] as const;
export const EFFECTIVENESS_OUTCOMES = ['effective', 'ineffective', 'inconclusive'] as const;
export type EffectivenessOutcome = (typeof EFFECTIVENESS_OUTCOMES)[number];
export const TICKET_LINK_STATUSES = ['suggested', 'confirmed', 'dismissed'] as const;
export const REPEAT_REASONS = ['same_customer_model', 'same_model_root_cause'] as const;

/** Category follow-up settings; every field has a default (shown when the category has none). */
export const zFollowupSettings = z.object({
  categoryId: zId,
  /** Sent with the follow-up link, e.g. 3个月内如有问题免费上门. */
  warrantyNotice: z.string().trim().max(500).nullable(),
  warrantyNoticeEn: z.string().trim().max(500).nullable(),
  linkValidDays: z.number().int().min(1).max(60),
  autoCloseDays: z.number().int().min(1).max(90),
  /** Effectiveness check this many days after closure (quality problems); null = none. */
  effectivenessDays: z.number().int().min(1).max(90).nullable(),
  /** Repeat complaints: earlier tickets closed within this many days count. */
  warrantyDays: z.number().int().min(1).max(3650),
});
export type FollowupSettings = z.infer<typeof zFollowupSettings>;
export const zFollowupSettingsUpdate = zFollowupSettings.omit({ categoryId: true }).partial();
export type FollowupSettingsUpdate = z.infer<typeof zFollowupSettingsUpdate>;

/** What the customer sees when opening the link. */
export const zPublicFollowUp = z.object({
  number: z.string(),
  title: z.string(),
  /** What was done: the resolution (quick) or the plan summary (full). */
  whatWasDone: z.string().nullable(),
  warrantyNotice: z.string().nullable(),
  customerName: z.string(),
  locale: z.enum(['zh-CN', 'en-US']),
  expiresAt: zInstant,
});
export type PublicFollowUp = z.infer<typeof zPublicFollowUp>;

export const zPublicFollowUpAnswer = z.discriminatedUnion('solved', [
  z.object({ solved: z.literal(true), rating: z.number().int().min(1).max(5), comment: z.string().trim().max(2000).optional() }),
  z.object({ solved: z.literal(false), comment: zText(2000) }),
]);
export type PublicFollowUpAnswer = z.infer<typeof zPublicFollowUpAnswer>;

export const zPublicFollowUpResult = z.object({
  solved: z.boolean(),
  status: z.string(),
  warrantyNotice: z.string().nullable(),
});
export type PublicFollowUpResult = z.infer<typeof zPublicFollowUpResult>;

export const zPhoneFollowUp = z.object({
  channel: z.literal('phone'),
  /** The customer's own words, as noted on the call. */
  customerWords: zText(2000),
  solved: z.boolean(),
  rating: z.number().int().min(1).max(5).optional(),
});
export type PhoneFollowUp = z.infer<typeof zPhoneFollowUp>;

export const zFollowUp = z.object({
  id: zId,
  channel: z.enum(FOLLOW_UP_CHANNELS),
  solved: z.boolean(),
  rating: z.number().int().nullable(),
  customerWords: z.string().nullable(),
  by: z.object({ id: zId, displayName: z.string() }).nullable(),
  at: zInstant,
});
export type FollowUp = z.infer<typeof zFollowUp>;

export const zEffectivenessCheck = z.object({
  id: zId,
  ticketId: zId,
  ticket: z.object({ number: z.string(), title: z.string() }),
  ownerId: zId.nullable(),
  dueAt: zInstant,
  /** The due time has come (a pending check may be recorded). */
  due: z.boolean(),
  status: z.enum(['pending', 'done', 'cancelled']),
  outcome: z.enum(EFFECTIVENESS_OUTCOMES).nullable(),
  note: z.string().nullable(),
  reopened: z.boolean(),
  checkedAt: zInstant.nullable(),
});
export type EffectivenessCheck = z.infer<typeof zEffectivenessCheck>;
export const zEffectivenessCheckList = z.object({ items: z.array(zEffectivenessCheck) });

export const zEffectivenessOutcomeInput = z.object({
  outcome: z.enum(EFFECTIVENESS_OUTCOMES),
  note: zText(2000),
});
export type EffectivenessOutcomeInput = z.infer<typeof zEffectivenessOutcomeInput>;

export const zTicketLink = z.object({
  id: zId,
  /** The other ticket (the earlier one, or the later one when read from the earlier ticket). */
  other: z.object({ id: zId, number: z.string(), title: z.string(), status: z.string(), createdAt: zInstant }),
  direction: z.enum(['earlier', 'later']),
  kind: z.literal('possible_repeat'),
  status: z.enum(TICKET_LINK_STATUSES),
  reason: z.enum(REPEAT_REASONS),
  decidedBy: z.object({ id: zId, displayName: z.string() }).nullable(),
  decidedAt: zInstant.nullable(),
  note: z.string().nullable(),
});
export type TicketLink = z.infer<typeof zTicketLink>;

export const zTicketLinkDecision = z.object({
  status: z.enum(['confirmed', 'dismissed']),
  note: z.string().trim().max(1000).optional(),
});
export type TicketLinkDecision = z.infer<typeof zTicketLinkDecision>;

/** The follow-up card of the staff ticket page: everything at once. */
export const zTicketFollowupSummary = z.object({
  link: z.object({
    status: z.enum(['none', 'active', 'used', 'expired', 'superseded']),
    sentTo: z.string().nullable(),
    createdAt: zInstant.nullable(),
    expiresAt: zInstant.nullable(),
  }),
  autoCloseAt: zInstant.nullable(),
  followUps: z.array(zFollowUp),
  effectiveness: z.array(zEffectivenessCheck),
  links: z.array(zTicketLink),
  settings: zFollowupSettings,
  /**
   * Only in the answer of POST /tickets/{id}/follow-up-link: the new link itself, for an agent
   * to pass on by SMS or chat (it is stored nowhere, so it cannot be read again later).
   */
  issuedUrl: z.string().optional(),
});
export type TicketFollowupSummary = z.infer<typeof zTicketFollowupSummary>;

export const zRepeatRateQuery = z.object({
  from: zInstant,
  to: zInstant,
});
export const zRepeatRates = z.object({
  from: zInstant,
  to: zInstant,
  /** Tickets created in the period. */
  created: z.number().int(),
  /** Of those, reopened at least once. */
  reopened: z.number().int(),
  /** Of those, confirmed repeat complaints of an earlier ticket. */
  repeats: z.number().int(),
  reopenRate: z.number(),
  repeatRate: z.number(),
});
export type RepeatRates = z.infer<typeof zRepeatRates>;
