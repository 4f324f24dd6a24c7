/**
 * The rules engine's evaluation (规则引擎): pure functions from a ticket's facts and the ordered
 * rules to what each rule changes and the combined outcome. No database here, so every case is
 * unit-tested on plain values; intake (create-ticket.ts), the update subscriber and the
 * "test on a sample" screen all call exactly this.
 *
 * Order: rules run by position; each sees the facts as the rules before it left them (a rule
 * that sets 软件Bug makes a later "category = 软件Bug" rule match). Single-valued fields go to
 * the last rule that sets them; tags, watchers and notifications add up; `stop` ends the run.
 */
import { fieldConditionHolds, shapeType } from '../forms/typed-values.js';
import type {
  FormValues,
  CustomerTier, Priority, RuleAction, RuleChanges, RuleCondition, RuleDefinition, RuleLeaf,
} from '@closeloop/contract';

export interface RuleFacts {
  categoryId: string;
  channel: string;
  priority: Priority;
  urgency: string;
  customerTier: CustomerTier;
  productModel: string;
  /** Title, description, scene and phenomenon, normalized by normalizeRuleText. */
  text: string;
  tagIds: ReadonlySet<string>;
  customFields: FormValues;
  at: Date;
}

export interface LoadedRule {
  id: string | null;
  name: string;
  version: number;
  definition: RuleDefinition;
}

export interface RuleEnv {
  /** The department of each skill group an action may name. */
  groupDepartment: (skillGroupId: string) => string | null;
  /** Business hours of the default calendar (routing/business-hours.ts). */
  isBusinessTime: (at: Date) => boolean;
}

export interface RuleResult {
  rule: LoadedRule;
  matched: boolean;
  /** After an earlier rule's `stop`. */
  skipped: boolean;
  changes: RuleChanges;
}

export interface RuleOutcome {
  priority: Priority;
  categoryId: string;
  departmentId: string | null;
  skillGroupId: string | null;
  /** null = nobody chosen by the rules (a group may still pick one). */
  ownerId: string | null;
  /** Tags the rules added, in order. */
  tagIds: string[];
  slaPolicyId: string | null;
  notifyUserIds: string[];
  watcherIds: string[];
  /** Any rule set the department, group or owner: category defaults do not apply then. */
  routed: boolean;
}

export interface Evaluation {
  results: RuleResult[];
  outcome: RuleOutcome;
  /** The facts after every rule. */
  facts: RuleFacts;
}

/** Lower case and NFKC (full-width ＡＢ → ab) so keywords match however they were typed. */
export function normalizeRuleText(parts: Array<string | null | undefined>): string {
  return parts.filter(Boolean).join('\n').normalize('NFKC').toLowerCase();
}

/** Local hour in Asia/Shanghai (UTC+8 all year: China has no daylight saving time). */
export function shanghaiHour(at: Date): number {
  return (at.getUTCHours() + 8) % 24;
}

const keyword = (w: string) => w.normalize('NFKC').toLowerCase();

function matchLeaf(c: RuleLeaf, f: RuleFacts, env: RuleEnv): boolean {
  switch (c.field) {
    case 'category': return c.op === 'in' ? c.value.includes(f.categoryId) : !c.value.includes(f.categoryId);
    case 'channel': return c.op === 'in' ? (c.value as string[]).includes(f.channel) : !(c.value as string[]).includes(f.channel);
    case 'priority': return c.op === 'in' ? c.value.includes(f.priority) : !c.value.includes(f.priority);
    case 'urgency': return c.op === 'in' ? (c.value as string[]).includes(f.urgency) : !(c.value as string[]).includes(f.urgency);
    case 'customerTier': return c.op === 'in' ? c.value.includes(f.customerTier) : !c.value.includes(f.customerTier);
    case 'productModel': {
      const model = f.productModel.normalize('NFKC').toUpperCase();
      if (typeof c.value === 'string') return new RegExp(c.value, 'u').test(f.productModel);
      const values = c.value.map((v) => v.normalize('NFKC').toUpperCase());
      if (c.op === 'in') return values.includes(model);
      if (c.op === 'prefix') return values.some((v) => model.startsWith(v));
      return values.some((v) => model.includes(v));
    }
    case 'keywords': {
      const hit = c.value.some((w) => f.text.includes(keyword(w)));
      return c.op === 'any' ? hit : !hit;
    }
    case 'tags': {
      if (c.op === 'any') return c.value.some((t) => f.tagIds.has(t));
      if (c.op === 'all') return c.value.every((t) => f.tagIds.has(t));
      return !c.value.some((t) => f.tagIds.has(t));
    }
    case 'customField': {
      // Form values are stored typed (forms/validate-values.ts): the form engine compares them
      // by their type (numbers as numbers, options and cascader paths by code).
      const v = f.customFields[c.key];
      return fieldConditionHolds(shapeType(v), v, c.op, c.value);
    }
    case 'hourOfDay': {
      const [from, to] = c.value;
      const h = shanghaiHour(f.at);
      // 22–6 means "from 22:00 to 06:00", across midnight.
      return from <= to ? h >= from && h < to : h >= from || h < to;
    }
    case 'businessHours': return env.isBusinessTime(f.at) === (c.op === 'inside');
  }
}

export function matchCondition(c: RuleCondition, f: RuleFacts, env: RuleEnv): boolean {
  if ('all' in c) return c.all.every((x) => matchCondition(x, f, env));
  if ('any' in c) return c.any.some((x) => matchCondition(x, f, env));
  if ('not' in c) return !matchCondition(c.not, f, env);
  return matchLeaf(c, f, env);
}

const addAll = (into: string[], items: readonly string[]) => {
  for (const i of items) if (!into.includes(i)) into.push(i);
};

function applyAction(a: RuleAction, changes: RuleChanges, env: RuleEnv): void {
  switch (a.type) {
    case 'assignGroup': {
      const dept = env.groupDepartment(a.skillGroupId);
      if (!dept) return; // a retired group: the rule's other actions still apply
      changes.skillGroupId = a.skillGroupId;
      changes.departmentId = dept;
      changes.ownerId = null;
      return;
    }
    case 'setDepartment':
      changes.departmentId = a.departmentId;
      delete changes.skillGroupId;
      changes.ownerId = null;
      return;
    case 'setOwner': changes.ownerId = a.userId; return;
    case 'setPriority': changes.priority = a.priority; return;
    case 'setCategory': changes.categoryId = a.categoryId; return;
    case 'addTags': addAll(changes.tagIds ??= [], a.tagIds); return;
    case 'setSlaPolicy': changes.slaPolicyId = a.slaPolicyId; return;
    case 'notify': addAll(changes.notifyUserIds ??= [], a.userIds); return;
    case 'addWatchers': addAll(changes.watcherIds ??= [], a.userIds); return;
    case 'stop': changes.stop = true; return;
  }
}

export function evaluateRules(opts: { rules: readonly LoadedRule[]; facts: RuleFacts; env: RuleEnv }): Evaluation {
  const { rules, env } = opts;
  let facts: RuleFacts = { ...opts.facts, tagIds: new Set(opts.facts.tagIds) };
  const outcome: RuleOutcome = {
    priority: facts.priority, categoryId: facts.categoryId, departmentId: null, skillGroupId: null, ownerId: null,
    tagIds: [], slaPolicyId: null, notifyUserIds: [], watcherIds: [], routed: false,
  };
  const results: RuleResult[] = [];
  let stopped = false;
  for (const rule of rules) {
    if (stopped) { results.push({ rule, matched: false, skipped: true, changes: {} }); continue; }
    if (!matchCondition(rule.definition.conditions, facts, env)) {
      results.push({ rule, matched: false, skipped: false, changes: {} });
      continue;
    }
    const changes: RuleChanges = {};
    for (const a of rule.definition.actions) applyAction(a, changes, env);
    results.push({ rule, matched: true, skipped: false, changes });

    if (changes.priority) outcome.priority = changes.priority;
    if (changes.categoryId) outcome.categoryId = changes.categoryId;
    if (changes.departmentId) {
      outcome.departmentId = changes.departmentId;
      outcome.skillGroupId = changes.skillGroupId ?? null;
      outcome.ownerId = null;
      outcome.routed = true;
    }
    if (changes.ownerId) { outcome.ownerId = changes.ownerId; outcome.routed = true; }
    if (changes.tagIds) addAll(outcome.tagIds, changes.tagIds);
    if (changes.slaPolicyId) outcome.slaPolicyId = changes.slaPolicyId;
    if (changes.notifyUserIds) addAll(outcome.notifyUserIds, changes.notifyUserIds);
    if (changes.watcherIds) addAll(outcome.watcherIds, changes.watcherIds);
    facts = {
      ...facts, priority: outcome.priority, categoryId: outcome.categoryId,
      tagIds: new Set([...facts.tagIds, ...(changes.tagIds ?? [])]),
    };
    if (changes.stop) stopped = true;
  }
  return { results, outcome, facts };
}
