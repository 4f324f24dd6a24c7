/**
 * What intake needs from routing, read once and kept for under a second: the active rules in
 * order with their current definitions, the active tags with their paths and words, and the
 * skill groups. Intake never reads these per ticket; saving a rule, tag or group here drops the
 * entry at once, other instances follow within REFERENCE_TTL_MS.
 */
import { asc, eq } from 'drizzle-orm';
import type { AssignmentStrategy, RuleTrigger } from '@closeloop/contract';
import { cachePerDatabase, REFERENCE_TTL_MS } from '../cache/ttl-cache.js';
import type { DbOrTx } from '../db/client.js';
import { rules, ruleVersions, skillGroups, tags } from '../db/schema.js';
import { and } from 'drizzle-orm';
import type { LoadedRule } from './evaluate-rules.js';
import type { TagMatcher } from './suggest-tags.js';

export interface TagRef { id: string; name: string; parentId: string | null; path: string; active: boolean; keywords: string[]; synonyms: string[] }
export interface GroupRef { id: string; name: string; departmentId: string; strategy: AssignmentStrategy; active: boolean }

export interface RoutingData {
  rules: Record<RuleTrigger, LoadedRule[]>;
  tags: Map<string, TagRef>;
  /** Active tags with words: what the tagger matches. */
  matchers: TagMatcher[];
  groups: Map<string, GroupRef>;
}

const cache = cachePerDatabase<RoutingData>(REFERENCE_TTL_MS, 10);

export function forgetRouting(): void {
  cache.clearAll();
}

/** Paths from the root (质量故障 › 电机异响); a broken parent link ends the path there. */
export function tagPaths(rows: ReadonlyArray<{ id: string; name: string; parentId: string | null }>): Map<string, string> {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = new Map<string, string>();
  for (const r of rows) {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let cur: typeof r | undefined = r; cur && !seen.has(cur.id); cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
      seen.add(cur.id);
      names.unshift(cur.name);
    }
    out.set(r.id, names.join(' › '));
  }
  return out;
}

export async function loadRoutingData(db: DbOrTx): Promise<RoutingData> {
  return cache(db).get('all', async () => {
    const [ruleRows, tagRows, groupRows] = await Promise.all([
      db.select({
        id: rules.id, name: rules.name, version: rules.version, trigger: rules.trigger, definition: ruleVersions.definition,
      }).from(rules)
        .innerJoin(ruleVersions, and(eq(ruleVersions.ruleId, rules.id), eq(ruleVersions.version, rules.version)))
        .where(eq(rules.active, true))
        .orderBy(asc(rules.position), asc(rules.createdAt), asc(rules.id)),
      db.select({
        id: tags.id, name: tags.name, parentId: tags.parentId, active: tags.active, keywords: tags.keywords, synonyms: tags.synonyms,
      }).from(tags),
      db.select({
        id: skillGroups.id, name: skillGroups.name, departmentId: skillGroups.departmentId, strategy: skillGroups.strategy,
        active: skillGroups.active,
      }).from(skillGroups),
    ]);
    const byTrigger: RoutingData['rules'] = { intake: [], update: [] };
    for (const r of ruleRows) byTrigger[r.trigger].push({ id: r.id, name: r.name, version: r.version, definition: r.definition });
    const paths = tagPaths(tagRows);
    const tagMap = new Map(tagRows.map((t) => [t.id, { ...t, path: paths.get(t.id)! }]));
    const matchers = [...tagMap.values()]
      .filter((t) => t.active && t.keywords.length + t.synonyms.length > 0)
      .map((t) => ({ id: t.id, path: t.path, words: [...t.keywords, ...t.synonyms] }));
    return { rules: byTrigger, tags: tagMap, matchers, groups: new Map(groupRows.map((g) => [g.id, g])) };
  });
}
