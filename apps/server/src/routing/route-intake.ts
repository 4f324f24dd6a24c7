/**
 * Routing of a new ticket (intake): auto-tagging, then the intake rules, as pure work over the
 * registered ticket and the cached routing data. create-ticket.ts writes what this returns in
 * its one intake statement; the rule test screen (test-rules.ts) shows the same.
 */
import type { CustomerTier, FormValues, Priority, RuleChanges } from '@closeloop/contract';
import { evaluateRules, normalizeRuleText, type Evaluation, type LoadedRule } from './evaluate-rules.js';
import type { RoutingData } from './routing-cache.js';
import { suggestTags, type TagSuggestion } from './suggest-tags.js';

export interface IntakeFacts {
  title: string;
  description: string;
  scene: string | null;
  phenomenon: string | null;
  categoryId: string;
  channel: string;
  priority: Priority;
  urgency: string;
  customerTier: CustomerTier;
  productModel: string;
  customFields: FormValues;
  at: Date;
}

export interface IntakeRouting {
  suggestions: TagSuggestion[];
  evaluation: Evaluation;
}

export function routeIntake(opts: {
  data: RoutingData;
  facts: IntakeFacts;
  rules?: LoadedRule[];
  /** Business hours for `businessHours` conditions (business-hours.ts). */
  isBusinessTime: (at: Date) => boolean;
}): IntakeRouting {
  const { data, facts } = opts;
  const texts = [facts.title, facts.description, facts.scene, facts.phenomenon];
  const suggestions = data.matchers.length ? suggestTags({ tags: data.matchers, texts }) : [];
  const evaluation = evaluateRules({
    rules: opts.rules ?? data.rules.intake,
    facts: {
      categoryId: facts.categoryId, channel: facts.channel, priority: facts.priority, urgency: facts.urgency,
      customerTier: facts.customerTier, productModel: facts.productModel, text: normalizeRuleText(texts),
      tagIds: new Set(suggestions.map((s) => s.tagId)), customFields: facts.customFields, at: facts.at,
    },
    env: {
      groupDepartment: (id) => {
        const g = data.groups.get(id);
        return g?.active ? g.departmentId : null;
      },
      isBusinessTime: opts.isBusinessTime,
    },
  });
  return { suggestions, evaluation };
}

/** The rule firing's audit text data: what the rule set, without empty lists. */
export function firingData(rule: LoadedRule, changes: RuleChanges) {
  return { ruleId: rule.id, version: rule.version, name: rule.name, changes };
}
