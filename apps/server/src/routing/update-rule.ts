/**
 * Changes a rule (admin). A new definition or name is a new version (tickets' firing events
 * keep naming the version that ran); position and active change the rule row only.
 */
import { and, eq } from 'drizzle-orm';
import type { Rule, RuleUpdate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { rules, ruleVersions } from '../db/schema.js';
import { notFound } from '../http/app-error.js';
import { checkRuleReferences } from './check-rule-references.js';
import { ruleChain } from './create-rule.js';
import { forgetRouting } from './routing-cache.js';
import { toRule } from './rule-view.js';

export async function updateRule(opts: { db: Db; actor: Actor; id: string; input: RuleUpdate }): Promise<Rule> {
  const { db, actor, id, input } = opts;
  if (input.definition) await checkRuleReferences({ db, definition: input.definition });
  const rule = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(rules).where(eq(rules.id, id)).for('update');
    if (!current) throw notFound('rule');
    const [cur] = await tx.select().from(ruleVersions)
      .where(and(eq(ruleVersions.ruleId, id), eq(ruleVersions.version, current.version)));
    const definition = input.definition ?? cur!.definition;
    const name = input.name ?? current.name;
    const newVersion = !!input.definition || name !== current.name;
    const version = newVersion ? current.version + 1 : current.version;
    if (newVersion) await tx.insert(ruleVersions).values({ ruleId: id, version, name, definition, createdById: actor.userId });
    const [row] = await tx.update(rules).set({
      name, version, trigger: definition.trigger,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      updatedAt: new Date(),
    }).where(eq(rules.id, id)).returning();
    const before = toRule(current, cur!.definition);
    const after = toRule(row!, definition);
    await appendEvent({ tx, actor, chain: ruleChain(id), type: 'rule.updated', before, after });
    return after;
  });
  forgetRouting();
  return rule;
}
