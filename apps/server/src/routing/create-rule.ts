/** Creates a rule (admin): the rule row and its version 1, with an audit event on `rule:<id>`. */
import type { Rule, RuleCreate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { rules, ruleVersions } from '../db/schema.js';
import { newId } from '../db/util.js';
import { checkRuleReferences } from './check-rule-references.js';
import { forgetRouting } from './routing-cache.js';
import { toRule } from './rule-view.js';

export const ruleChain = (id: string) => `rule:${id}`;

export async function createRule(opts: { db: Db; actor: Actor; input: RuleCreate }): Promise<Rule> {
  const { db, actor, input } = opts;
  await checkRuleReferences({ db, definition: input.definition });
  const id = newId();
  const rule = await db.transaction(async (tx) => {
    const [row] = await tx.insert(rules).values({
      id, name: input.name, description: input.description ?? null, position: input.position, active: input.active,
      trigger: input.definition.trigger, version: 1,
    }).returning();
    await tx.insert(ruleVersions).values({ ruleId: id, version: 1, name: input.name, definition: input.definition, createdById: actor.userId });
    const view = toRule(row!, input.definition);
    await appendEvent({ tx, actor, chain: ruleChain(id), type: 'rule.created', after: view });
    return view;
  });
  forgetRouting();
  return rule;
}
