/**
 * 规则测试: runs the tagger and the rules of a trigger on a sample ticket, with an unsaved draft
 * in place of (or after) the saved rules, and says which rules fire and what they change —
 * the same evaluation intake runs, and nothing is written.
 */
import type { RuleTestRequest, RuleTestResult } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { categoryById } from '../categories/category-cache.js';
import { invalidField } from '../http/app-error.js';
import { checkRuleReferences } from './check-rule-references.js';
import type { LoadedRule } from './evaluate-rules.js';
import { businessHours } from './business-hours.js';
import { routeIntake } from './route-intake.js';
import { loadRoutingData } from './routing-cache.js';

export async function testRules(opts: { db: DbOrTx; input: RuleTestRequest }): Promise<RuleTestResult> {
  const { db, input } = opts;
  const { sample, draft } = input;
  const category = await categoryById(db, sample.category);
  if (!category) throw invalidField('sample.category', 'no such category');
  if (draft) await checkRuleReferences({ db, definition: draft.definition, base: 'draft.definition' });
  const data = await loadRoutingData(db);
  const trigger = draft?.definition.trigger ?? 'intake';
  let list: LoadedRule[] = [...data.rules[trigger]];
  if (draft) {
    const d: LoadedRule = { id: draft.id ?? null, name: draft.name, version: 0, definition: draft.definition };
    const at = draft.id ? list.findIndex((r) => r.id === draft.id) : -1;
    if (at >= 0) list[at] = d;
    else list.push(d);
  }
  const priority = sample.priority
    ?? (sample.urgency === 'critical' ? 'P1' : sample.urgency === 'high' ? 'P2' : category.defaultPriority);
  const { suggestions, evaluation } = routeIntake({
    data, rules: list, isBusinessTime: await businessHours(db),
    facts: {
      title: sample.title, description: sample.description, scene: sample.scene ?? null, phenomenon: sample.phenomenon ?? null,
      categoryId: category.id, channel: sample.channel, priority, urgency: sample.urgency, customerTier: sample.customerTier,
      productModel: sample.productModel, customFields: sample.customFields, at: sample.at ? new Date(sample.at) : new Date(),
    },
  });
  const o = evaluation.outcome;
  return {
    rules: evaluation.results.map((r) => ({ ruleId: r.rule.id, name: r.rule.name, matched: r.matched, skipped: r.skipped, changes: r.changes })),
    suggestedTags: suggestions,
    outcome: {
      priority: sample.priority ?? o.priority, categoryId: o.categoryId,
      departmentId: o.routed ? o.departmentId : category.defaultDepartmentId,
      skillGroupId: o.routed ? o.skillGroupId : null, ownerId: o.routed ? o.ownerId : category.defaultOwnerId,
      tagIds: [...new Set([...suggestions.map((s) => s.tagId), ...o.tagIds])], slaPolicyId: o.slaPolicyId,
    },
  };
}
