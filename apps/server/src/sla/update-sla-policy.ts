/**
 * Changes an SLA policy (admin): a new version. Running clocks keep the version they were
 * computed from (a ticket's promise does not change under it) until the ticket's priority, tier,
 * category or explicit policy changes; tickets registered from now on get the new version.
 */
import { eq, sql } from 'drizzle-orm';
import type { SlaPolicy, SlaPolicyUpdate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import { canonicalJson } from '../audit/hash.js';
import type { Db } from '../db/client.js';
import { slaPolicies } from '../db/schema.js';
import { invalidField, notFound } from '../http/app-error.js';
import { checkSlaPolicyReferences, checkTargets } from './check-sla-policy.js';
import { slaPolicyChain, toSlaPolicy } from './policy-view.js';
import { forgetSlaConfig } from './sla-config.js';

export async function updateSlaPolicy(opts: { db: Db; actor: Actor; id: string; input: SlaPolicyUpdate }): Promise<SlaPolicy> {
  const { db, actor, id, input } = opts;
  if (Object.values(input).every((v) => v === undefined)) throw invalidField('body', 'nothing to change');
  if (input.targets) checkTargets(input.targets);
  await checkSlaPolicyReferences(db, input);
  const result = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(slaPolicies).where(eq(slaPolicies.id, id)).for('update');
    if (!row) throw notFound('SLA policy');
    const current = toSlaPolicy(row);
    const next = {
      ...current, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    } as SlaPolicy;
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const key of Object.keys(input) as (keyof SlaPolicyUpdate)[]) {
      if (input[key] === undefined || canonicalJson(current[key]) === canonicalJson(next[key])) continue;
      before[key] = current[key];
      after[key] = next[key];
    }
    if (!Object.keys(after).length) return row;
    const [updated] = await tx.update(slaPolicies).set({
      name: next.name, position: next.position, priorities: next.priorities, tiers: next.tiers, categoryIds: next.categoryIds,
      calendarId: next.calendarId, firstResponseMinutes: next.targets.firstResponse, updateMinutes: next.targets.update,
      resolutionMinutes: next.targets.resolution, warnPercent: next.warnPercent, level2AfterPercent: next.level2AfterPercent,
      customerUpdates: next.customerUpdates, active: next.active, version: row.version + 1, updatedAt: sql`now()`,
    }).where(eq(slaPolicies.id, id)).returning();
    await appendEvent({ tx, actor, chain: slaPolicyChain(id), type: 'sla_policy.updated', before, after: { ...after, version: row.version + 1 } });
    return updated!;
  });
  forgetSlaConfig();
  return toSlaPolicy(result);
}
