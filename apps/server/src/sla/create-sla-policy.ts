/** A new SLA policy (admin), audited on its own chain; applies to tickets registered from now on. */
import type { SlaPolicy, SlaPolicyCreate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { slaPolicies } from '../db/schema.js';
import { newId } from '../db/util.js';
import { checkSlaPolicyReferences, checkTargets } from './check-sla-policy.js';
import { slaPolicyChain, toSlaPolicy } from './policy-view.js';
import { forgetSlaConfig } from './sla-config.js';

export async function createSlaPolicy(opts: { db: Db; actor: Actor; input: SlaPolicyCreate }): Promise<SlaPolicy> {
  const { db, actor, input } = opts;
  checkTargets(input.targets);
  await checkSlaPolicyReferences(db, input);
  const row = await db.transaction(async (tx) => {
    const [created] = await tx.insert(slaPolicies).values({
      id: newId(), name: input.name, position: input.position, priorities: input.priorities, tiers: input.tiers,
      categoryIds: input.categoryIds, calendarId: input.calendarId, firstResponseMinutes: input.targets.firstResponse,
      updateMinutes: input.targets.update, resolutionMinutes: input.targets.resolution, warnPercent: input.warnPercent,
      level2AfterPercent: input.level2AfterPercent, customerUpdates: input.customerUpdates,
    }).returning();
    await appendEvent({ tx, actor, chain: slaPolicyChain(created!.id), type: 'sla_policy.created', after: toSlaPolicy(created!) });
    return created!;
  });
  forgetSlaConfig();
  return toSlaPolicy(row);
}
