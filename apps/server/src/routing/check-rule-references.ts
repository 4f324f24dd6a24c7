/**
 * A rule may only name things that exist: categories, departments, skill groups, active staff,
 * tags. Checked when the rule is saved (set-based, one query per kind), each bad reference
 * reported with its path in the definition (`definition.actions.0.departmentId`).
 */
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { FieldError, RuleCondition, RuleDefinition } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { categories, departments, skillGroups, slaPolicies, tags, users } from '../db/schema.js';
import { AppError } from '../http/app-error.js';

type Kind = 'category' | 'department' | 'group' | 'user' | 'tag' | 'slaPolicy';
interface Ref { kind: Kind; id: string; path: string }

function conditionRefs(c: RuleCondition, path: string, out: Ref[]): void {
  if ('all' in c) c.all.forEach((x, i) => conditionRefs(x, `${path}.all.${i}`, out));
  else if ('any' in c) c.any.forEach((x, i) => conditionRefs(x, `${path}.any.${i}`, out));
  else if ('not' in c) conditionRefs(c.not, `${path}.not`, out);
  else if (c.field === 'category') c.value.forEach((id, i) => out.push({ kind: 'category', id, path: `${path}.value.${i}` }));
  else if (c.field === 'tags') c.value.forEach((id, i) => out.push({ kind: 'tag', id, path: `${path}.value.${i}` }));
}

export function ruleReferences(def: RuleDefinition, base = 'definition'): Ref[] {
  const out: Ref[] = [];
  conditionRefs(def.conditions, `${base}.conditions`, out);
  def.actions.forEach((a, i) => {
    const p = `${base}.actions.${i}`;
    switch (a.type) {
      case 'assignGroup': out.push({ kind: 'group', id: a.skillGroupId, path: `${p}.skillGroupId` }); break;
      case 'setDepartment': out.push({ kind: 'department', id: a.departmentId, path: `${p}.departmentId` }); break;
      case 'setOwner': out.push({ kind: 'user', id: a.userId, path: `${p}.userId` }); break;
      case 'setCategory': out.push({ kind: 'category', id: a.categoryId, path: `${p}.categoryId` }); break;
      case 'addTags': a.tagIds.forEach((id, j) => out.push({ kind: 'tag', id, path: `${p}.tagIds.${j}` })); break;
      case 'setSlaPolicy': out.push({ kind: 'slaPolicy', id: a.slaPolicyId, path: `${p}.slaPolicyId` }); break;
      case 'notify': case 'addWatchers': a.userIds.forEach((id, j) => out.push({ kind: 'user', id, path: `${p}.userIds.${j}` })); break;
      default: break;
    }
  });
  return out;
}

const MESSAGES: Record<Kind, string> = {
  category: 'no such category', department: 'no such department', group: 'no such active skill group',
  user: 'not an active staff user', tag: 'no such active tag', slaPolicy: 'no such active SLA policy',
};

export async function checkRuleReferences(opts: { db: DbOrTx; definition: RuleDefinition; base?: string }): Promise<void> {
  const refs = ruleReferences(opts.definition, opts.base);
  const ids = (k: Kind) => [...new Set(refs.filter((r) => r.kind === k).map((r) => r.id))];
  const { db } = opts;
  const found = async (k: Kind): Promise<Set<string>> => {
    const want = ids(k);
    if (!want.length) return new Set();
    let rows: { id: string }[] = [];
    if (k === 'category') rows = await db.select({ id: categories.id }).from(categories).where(inArray(categories.id, want));
    if (k === 'department') rows = await db.select({ id: departments.id }).from(departments).where(inArray(departments.id, want));
    if (k === 'group') rows = await db.select({ id: skillGroups.id }).from(skillGroups).where(and(inArray(skillGroups.id, want), eq(skillGroups.active, true)));
    if (k === 'slaPolicy') {
      rows = await db.select({ id: slaPolicies.id }).from(slaPolicies).where(and(inArray(slaPolicies.id, want), eq(slaPolicies.active, true)));
    }
    if (k === 'tag') rows = await db.select({ id: tags.id }).from(tags).where(and(inArray(tags.id, want), eq(tags.active, true)));
    if (k === 'user') {
      rows = await db.select({ id: users.id }).from(users)
        .where(and(inArray(users.id, want), eq(users.active, true), ne(users.role, 'customer')));
    }
    return new Set(rows.map((r) => r.id));
  };
  const kinds: Kind[] = ['category', 'department', 'group', 'user', 'tag', 'slaPolicy'];
  const sets = new Map(await Promise.all(kinds.map(async (k) => [k, await found(k)] as const)));
  const fields: FieldError[] = refs.filter((r) => !sets.get(r.kind)!.has(r.id)).map((r) => ({ path: r.path, message: MESSAGES[r.kind] }));
  if (fields.length) throw new AppError('VALIDATION_FAILED', `${fields[0]!.path}: ${fields[0]!.message}`, fields);
}
