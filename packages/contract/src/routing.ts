/**
 * Routing as data (SPEC §3): the tag library, the rules engine's rule definitions and the
 * skill groups (技能组). Rules are validated here so that a bad rule is refused with the path of
 * the field at fault (`definition.conditions.all.1.value`), and the server evaluates exactly
 * what this schema accepts.
 */
import { z } from 'zod';
import { zId, zInstant, zText } from './common.js';
import { CHANNELS, CUSTOMER_TIERS, PRIORITIES, URGENCIES } from './enums.js';

// ---- tags ----------------------------------------------------------------------------------
const zWordList = z.array(z.string().trim().min(1).max(40)).max(50);

export const zTagCreate = z.object({
  name: zText(40),
  /** A parent tag (质量故障 › 电机异响); at most two levels below a root. */
  parentId: zId.nullable().optional(),
  /** Words that suggest the tag when they occur in a new ticket's texts. */
  keywords: zWordList.default([]),
  /** Other ways customers say the same (嗡嗡响 for 异响); matched like keywords. */
  synonyms: zWordList.default([]),
  active: z.boolean().default(true),
});
export type TagCreate = z.infer<typeof zTagCreate>;
export const zTagUpdate = zTagCreate.partial();
export type TagUpdate = z.infer<typeof zTagUpdate>;

export const zTag = z.object({
  id: zId,
  name: z.string(),
  parentId: zId.nullable(),
  /** Names from the root down, e.g. 质量故障 › 电机异响. */
  path: z.string(),
  keywords: z.array(z.string()),
  synonyms: z.array(z.string()),
  active: z.boolean(),
});
export type Tag = z.infer<typeof zTag>;

export const TICKET_TAG_STATES = ['suggested', 'confirmed', 'removed'] as const;
export type TicketTagState = (typeof TICKET_TAG_STATES)[number];
export const TICKET_TAG_SOURCES = ['auto', 'rule', 'manual'] as const;
export type TicketTagSource = (typeof TICKET_TAG_SOURCES)[number];

export const zTicketTag = z.object({
  tagId: zId,
  name: z.string(),
  path: z.string(),
  source: z.enum(TICKET_TAG_SOURCES),
  state: z.enum(TICKET_TAG_STATES),
  /** The words that made the tagger suggest it, or the rule that set it. */
  reason: z.string().nullable(),
  decidedBy: z.object({ id: zId, displayName: z.string() }).nullable(),
  decidedAt: zInstant.nullable(),
});
export type TicketTag = z.infer<typeof zTicketTag>;

/** A person's decision on a ticket's tags: confirm or remove suggestions, add by hand. */
export const zTicketTagDecision = z.object({
  confirm: z.array(zId).max(50).default([]),
  remove: z.array(zId).max(50).default([]),
  add: z.array(zId).max(50).default([]),
});
export type TicketTagDecision = z.infer<typeof zTicketTagDecision>;

// ---- rules ---------------------------------------------------------------------------------
const zStrings = z.array(z.string().trim().min(1).max(100)).min(1).max(100);
const zIds = z.array(zId).min(1).max(100);

/** A regular expression an admin may write: bounded, compilable, no nested quantifiers. */
const zPattern = z.string().min(1).max(100).superRefine((p, ctx) => {
  // (a+)+ and the like backtrack exponentially; refusing them keeps evaluation linear enough.
  if (/\([^)]*[+*][^)]*\)\s*[+*{]/.test(p)) {
    ctx.addIssue({ code: 'custom', message: 'nested quantifiers are not allowed' });
    return;
  }
  try { RegExp(p, 'u'); } catch { ctx.addIssue({ code: 'custom', message: 'not a valid regular expression' }); }
});

/**
 * One comparison on the ticket. Each field allows its own operators (no loose aliases): a
 * discriminated union on `field`, so `{ field: 'priority', op: 'contains' }` is refused.
 */
export const zRuleLeaf = z.discriminatedUnion('field', [
  z.object({ field: z.literal('category'), op: z.enum(['in', 'notIn']), value: zIds }),
  z.object({ field: z.literal('channel'), op: z.enum(['in', 'notIn']), value: z.array(z.enum(CHANNELS)).min(1) }),
  z.object({ field: z.literal('priority'), op: z.enum(['in', 'notIn']), value: z.array(z.enum(PRIORITIES)).min(1) }),
  z.object({ field: z.literal('urgency'), op: z.enum(['in', 'notIn']), value: z.array(z.enum(URGENCIES)).min(1) }),
  z.object({ field: z.literal('customerTier'), op: z.enum(['in', 'notIn']), value: z.array(z.enum(CUSTOMER_TIERS)).min(1) }),
  /** The product model (产品型号); `matches` = regular expression, e.g. A系列 `A\d+$`. */
  z.object({ field: z.literal('productModel'), op: z.enum(['in', 'prefix', 'contains', 'matches']), value: z.union([zStrings, zPattern]) })
    .refine((c) => (c.op === 'matches') === (typeof c.value === 'string'), {
      message: "'matches' takes one pattern, the other operators a list of models", path: ['value'],
    }),
  /** Any of the words in title, description, scene or phenomenon (关键词). */
  z.object({ field: z.literal('keywords'), op: z.enum(['any', 'none']), value: zStrings }),
  /** Tags the ticket carries (suggested or confirmed, not removed). */
  z.object({ field: z.literal('tags'), op: z.enum(['any', 'all', 'none']), value: zIds }),
  z.object({
    field: z.literal('customField'), key: z.string().trim().min(1).max(40),
    op: z.enum(['in', 'contains', 'gt', 'lt', 'isSet']),
    value: z.union([z.array(z.union([z.string().max(200), z.number(), z.boolean()])).min(1).max(100), z.number(), z.string().max(200)]).optional(),
  }),
  /** Local hour of day in Asia/Shanghai, from inclusive to exclusive (22–6 wraps midnight). */
  z.object({ field: z.literal('hourOfDay'), op: z.literal('between'), value: z.tuple([z.number().int().min(0).max(23), z.number().int().min(0).max(24)]) }),
  /** Inside the business hours of the default calendar (工作时间) or outside. */
  z.object({ field: z.literal('businessHours'), op: z.enum(['inside', 'outside']) }),
]);
export type RuleLeaf = z.infer<typeof zRuleLeaf>;

export type RuleCondition = RuleLeaf | { all: RuleCondition[] } | { any: RuleCondition[] } | { not: RuleCondition };

/** Conditions nest: all (且) / any (或) / not, to a depth the UI can still show. */
export const zRuleCondition: z.ZodType<RuleCondition> = z.lazy(() => z.union([
  z.object({ all: z.array(zRuleCondition).min(1).max(30) }).strict(),
  z.object({ any: z.array(zRuleCondition).min(1).max(30) }).strict(),
  z.object({ not: zRuleCondition }).strict(),
  zRuleLeaf,
]));

export const zRuleAction = z.discriminatedUnion('type', [
  /** To a skill group: its department, and a member picked by the group's strategy. */
  z.object({ type: z.literal('assignGroup'), skillGroupId: zId }),
  z.object({ type: z.literal('setDepartment'), departmentId: zId }),
  z.object({ type: z.literal('setOwner'), userId: zId }),
  z.object({ type: z.literal('setPriority'), priority: z.enum(PRIORITIES) }),
  z.object({ type: z.literal('setCategory'), categoryId: zId }),
  z.object({ type: z.literal('addTags'), tagIds: zIds }),
  z.object({ type: z.literal('setSlaPolicy'), slaPolicyId: zId }),
  z.object({ type: z.literal('notify'), userIds: zIds, message: z.string().trim().max(200).optional() }),
  z.object({ type: z.literal('addWatchers'), userIds: zIds }),
  /** Later rules are not evaluated for this ticket. */
  z.object({ type: z.literal('stop') }),
]);
export type RuleAction = z.infer<typeof zRuleAction>;

export const RULE_TRIGGERS = ['intake', 'update'] as const;
export type RuleTrigger = (typeof RULE_TRIGGERS)[number];

/** What a rule version holds; the rule's name and position live on the rule. */
export const zRuleDefinition = z.object({
  trigger: z.enum(RULE_TRIGGERS),
  conditions: zRuleCondition,
  actions: z.array(zRuleAction).min(1).max(20),
});
export type RuleDefinition = z.infer<typeof zRuleDefinition>;

export const zRuleCreate = z.object({
  name: zText(80),
  description: z.string().trim().max(500).optional(),
  /** Rules run in ascending position; equal positions by creation. */
  position: z.number().int().min(0).max(100000).default(1000),
  active: z.boolean().default(true),
  definition: zRuleDefinition,
});
export type RuleCreate = z.infer<typeof zRuleCreate>;
export const zRuleUpdate = zRuleCreate.partial();
export type RuleUpdate = z.infer<typeof zRuleUpdate>;

export const zRule = z.object({
  id: zId,
  name: z.string(),
  description: z.string().nullable(),
  position: z.number().int(),
  active: z.boolean(),
  version: z.number().int(),
  definition: zRuleDefinition,
  updatedAt: zInstant,
});
export type Rule = z.infer<typeof zRule>;

/** What a rule changed on a ticket (only the fields it set). */
export const zRuleChanges = z.object({
  departmentId: zId.optional(),
  ownerId: zId.nullable().optional(),
  skillGroupId: zId.optional(),
  priority: z.enum(PRIORITIES).optional(),
  categoryId: zId.optional(),
  tagIds: z.array(zId).optional(),
  slaPolicyId: zId.optional(),
  notifyUserIds: z.array(zId).optional(),
  watcherIds: z.array(zId).optional(),
  stop: z.boolean().optional(),
});
export type RuleChanges = z.infer<typeof zRuleChanges>;

/** A sample ticket to test rules on (规则测试): the fields conditions read. */
export const zRuleSample = z.object({
  title: z.string().max(200).default(''),
  description: z.string().max(20000).default(''),
  scene: z.string().max(2000).optional(),
  phenomenon: z.string().max(2000).optional(),
  category: zId,
  channel: z.enum(CHANNELS).default('phone'),
  urgency: z.enum(URGENCIES).default('medium'),
  priority: z.enum(PRIORITIES).optional(),
  customerTier: z.enum(CUSTOMER_TIERS).default('regular'),
  productModel: z.string().max(100).default(''),
  customFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  at: zInstant.optional(),
});
export type RuleSample = z.infer<typeof zRuleSample>;

export const zRuleTestRequest = z.object({
  sample: zRuleSample,
  /** A rule not saved yet, tested in its place (or appended when new). */
  draft: z.object({ id: zId.optional(), name: zText(80), position: z.number().int().default(1000), definition: zRuleDefinition }).optional(),
});
export type RuleTestRequest = z.infer<typeof zRuleTestRequest>;

export const zRuleTestResult = z.object({
  /** Every rule of the trigger in order, whether it matched and what it changed. */
  rules: z.array(z.object({
    ruleId: zId.nullable(), name: z.string(), matched: z.boolean(), skipped: z.boolean(), changes: zRuleChanges,
  })),
  suggestedTags: z.array(z.object({ tagId: zId, path: z.string(), words: z.array(z.string()) })),
  outcome: z.object({
    priority: z.enum(PRIORITIES),
    categoryId: zId,
    departmentId: zId.nullable(),
    skillGroupId: zId.nullable(),
    ownerId: zId.nullable(),
    tagIds: z.array(zId),
    slaPolicyId: zId.nullable(),
  }),
});
export type RuleTestResult = z.infer<typeof zRuleTestResult>;

// ---- skill groups ----------------------------------------------------------------------------
export const ASSIGNMENT_STRATEGIES = ['round_robin', 'least_open', 'queue'] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

export const zSkillGroupCreate = z.object({
  name: zText(60),
  /** The department whose queue the group's tickets are in; members must belong to it. */
  departmentId: zId,
  /** round_robin 轮询, least_open 最少未结, queue 仅入组队列 (members pick up from 待领取). */
  strategy: z.enum(ASSIGNMENT_STRATEGIES).default('round_robin'),
  active: z.boolean().default(true),
});
export type SkillGroupCreate = z.infer<typeof zSkillGroupCreate>;
export const zSkillGroupUpdate = zSkillGroupCreate.partial();
export type SkillGroupUpdate = z.infer<typeof zSkillGroupUpdate>;

export const zSkillGroupMemberInput = z.object({
  userId: zId,
  onDuty: z.boolean().default(true),
  /** Open tickets the member may hold before the group skips them; null = no limit. */
  capacity: z.number().int().min(1).max(10000).nullable().default(null),
});
export type SkillGroupMemberInput = z.infer<typeof zSkillGroupMemberInput>;

export const zSkillGroupMember = z.object({
  userId: zId,
  displayName: z.string(),
  onDuty: z.boolean(),
  capacity: z.number().int().nullable(),
  openTickets: z.number().int(),
  lastAssignedAt: zInstant.nullable(),
});

export const zSkillGroup = z.object({
  id: zId,
  name: z.string(),
  departmentId: zId,
  departmentName: z.string(),
  strategy: z.enum(ASSIGNMENT_STRATEGIES),
  active: z.boolean(),
  members: z.array(zSkillGroupMember),
});
export type SkillGroup = z.infer<typeof zSkillGroup>;

export const zReassignWithReason = z.object({ reason: zText(500) });
