/** The rules in evaluation order, with their current definitions (admin screens). */
import { and, asc, eq } from 'drizzle-orm';
import type { Rule } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { rules, ruleVersions } from '../db/schema.js';
import { toRule } from './rule-view.js';

export async function listRules(opts: { db: DbOrTx }): Promise<Rule[]> {
  const rows = await opts.db.select({ rule: rules, definition: ruleVersions.definition }).from(rules)
    .innerJoin(ruleVersions, and(eq(ruleVersions.ruleId, rules.id), eq(ruleVersions.version, rules.version)))
    .orderBy(asc(rules.position), asc(rules.createdAt), asc(rules.id));
  return rows.map((r) => toRule(r.rule, r.definition));
}
