/**
 * SLA policies and tier targets as the subscriber and the timers read them, kept for under a
 * second like the other reference data: a change made through this instance drops them at
 * once, other instances follow within REFERENCE_TTL_MS.
 */
import { asc } from 'drizzle-orm';
import { cachePerDatabase, REFERENCE_TTL_MS } from '../cache/ttl-cache.js';
import type { DbOrTx } from '../db/client.js';
import { slaPolicies, slaTierTargets } from '../db/schema.js';
import type { PolicyRow, TierTargetRow } from './match-policy.js';

export interface SlaConfig {
  policies: PolicyRow[];
  tierTargets: TierTargetRow[];
}

const configCache = cachePerDatabase<SlaConfig>(REFERENCE_TTL_MS, 4);

export function forgetSlaConfig(): void {
  configCache.clearAll();
}

export async function slaConfig(db: DbOrTx): Promise<SlaConfig> {
  return configCache(db).get('config', async () => {
    const policies = await db.select().from(slaPolicies).orderBy(asc(slaPolicies.position), asc(slaPolicies.id));
    const tierTargets = await db.select().from(slaTierTargets);
    return {
      policies: policies.map((p) => ({
        id: p.id, name: p.name, position: p.position, priorities: p.priorities, tiers: p.tiers, categoryIds: p.categoryIds,
        calendarId: p.calendarId, firstResponseMinutes: p.firstResponseMinutes, updateMinutes: p.updateMinutes,
        resolutionMinutes: p.resolutionMinutes, warnPercent: p.warnPercent, level2AfterPercent: p.level2AfterPercent,
        customerUpdates: p.customerUpdates, active: p.active, version: p.version,
      })),
      tierTargets: tierTargets.map((t) => ({ tier: t.tier, firstResponseMinutes: t.firstResponseMinutes, calendarId: t.calendarId })),
    };
  });
}
