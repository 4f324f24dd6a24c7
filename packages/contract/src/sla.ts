/**
 * SLA (服务级别): policies matched by priority × tier × category with targets in business minutes
 * of a calendar, first-response caps per customer tier, and the applied clocks of a ticket.
 * Shared by the server (validation, OpenAPI) and the web (settings page, badges).
 */
import { z } from 'zod';
import { zId, zInstant, zText } from './common.js';
import { CUSTOMER_TIERS, PRIORITIES } from './enums.js';

export const SLA_METRICS = ['first_response', 'update', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

/** A clock's status. `cancelled`: the ticket was cancelled, or the metric no longer applies. */
export const SLA_CLOCK_STATUSES = ['active', 'warned', 'breached', 'met', 'paused', 'cancelled'] as const;
export type SlaClockStatus = (typeof SLA_CLOCK_STATUSES)[number];

/** The ticket's SLA state on the list: the worst of its running clocks. */
export const SLA_STATES = ['active', 'warned', 'breached', 'paused'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** Business minutes: at most a year of 24×7 minutes. */
const zMinutes = z.number().int().min(1).max(525_600);

export const zSlaTargets = z.object({
  firstResponse: zMinutes.nullable(),
  update: zMinutes.nullable(),
  resolution: zMinutes.nullable(),
});
export type SlaTargets = z.infer<typeof zSlaTargets>;

export const zSlaPolicy = z.object({
  id: zId,
  name: z.string(),
  /** Policies are tried in ascending position; the first that matches applies. */
  position: z.number().int(),
  /** Empty = any. */
  priorities: z.array(z.enum(PRIORITIES)),
  tiers: z.array(z.enum(CUSTOMER_TIERS)),
  categoryIds: z.array(zId),
  /** null = the default calendar. */
  calendarId: zId.nullable(),
  targets: zSlaTargets,
  /** Share of a target after which the owner is warned. */
  warnPercent: z.number().int(),
  /** Level 2 (department head) this share of the target after the breach. */
  level2AfterPercent: z.number().int(),
  /** Automatic progress messages to the customer every update interval. */
  customerUpdates: z.boolean(),
  active: z.boolean(),
  version: z.number().int(),
  updatedAt: zInstant,
});
export type SlaPolicy = z.infer<typeof zSlaPolicy>;

export const zSlaPolicyList = z.object({ items: z.array(zSlaPolicy) });

export const zSlaPolicyCreate = z.object({
  name: zText(64),
  position: z.number().int().min(0).max(100_000).default(100),
  priorities: z.array(z.enum(PRIORITIES)).max(3).default([]),
  tiers: z.array(z.enum(CUSTOMER_TIERS)).max(3).default([]),
  categoryIds: z.array(zId).max(100).default([]),
  calendarId: zId.nullable().default(null),
  targets: zSlaTargets,
  warnPercent: z.number().int().min(1).max(99).default(80),
  level2AfterPercent: z.number().int().min(1).max(1000).default(50),
  customerUpdates: z.boolean().default(false),
});
export type SlaPolicyCreate = z.infer<typeof zSlaPolicyCreate>;

/** Written out rather than `.partial()`: zod 4 would fill the create defaults into a patch. */
export const zSlaPolicyUpdate = z.object({
  name: zText(64).optional(),
  position: z.number().int().min(0).max(100_000).optional(),
  priorities: z.array(z.enum(PRIORITIES)).max(3).optional(),
  tiers: z.array(z.enum(CUSTOMER_TIERS)).max(3).optional(),
  categoryIds: z.array(zId).max(100).optional(),
  calendarId: zId.nullable().optional(),
  targets: zSlaTargets.optional(),
  warnPercent: z.number().int().min(1).max(99).optional(),
  level2AfterPercent: z.number().int().min(1).max(1000).optional(),
  customerUpdates: z.boolean().optional(),
  active: z.boolean().optional(),
});
export type SlaPolicyUpdate = z.infer<typeof zSlaPolicyUpdate>;

/** First-response cap per customer tier (VIP ≤ 2 h …): the stricter of it and the policy wins. */
export const zSlaTierTarget = z.object({
  tier: z.enum(CUSTOMER_TIERS),
  firstResponseMinutes: zMinutes,
  calendarId: zId.nullable(),
});
export type SlaTierTarget = z.infer<typeof zSlaTierTarget>;
export const zSlaTierTargetList = z.object({ items: z.array(zSlaTierTarget) });
export const zSlaTierTargetsPut = z.object({ items: z.array(zSlaTierTarget).max(3) });

export const zSlaClock = z.object({
  metric: z.enum(SLA_METRICS),
  status: z.enum(SLA_CLOCK_STATUSES),
  policy: z.object({ id: zId, name: z.string(), version: z.number().int() }).nullable(),
  /** `policy` or `tier:<tier>`: where the target came from (the stricter wins). */
  source: z.string(),
  calendarId: zId.nullable(),
  targetMinutes: z.number().int(),
  startedAt: zInstant,
  dueAt: zInstant,
  warnAt: zInstant,
  pausedAt: zInstant.nullable(),
  pausedMinutes: z.number().int(),
  metAt: zInstant.nullable(),
  breachedAt: zInstant.nullable(),
  escalationLevel: z.number().int(),
  /** The update clock restarts with each public staff reply: how many times so far. */
  cycle: z.number().int(),
});
export type SlaClock = z.infer<typeof zSlaClock>;
export const zSlaClockList = z.object({ items: z.array(zSlaClock) });

/** What a ticket row carries for lists: the nearest due time of its running clocks. */
export const zTicketSla = z.object({
  dueAt: zInstant.nullable(),
  state: z.enum(SLA_STATES).nullable(),
});
export type TicketSla = z.infer<typeof zTicketSla>;

export const zSlaPolicySet = z.object({ policyId: zId.nullable() });
