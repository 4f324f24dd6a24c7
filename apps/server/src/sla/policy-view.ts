/** Stored SLA rows → the API's shapes. */
import type { SlaClock, SlaPolicy } from '@closeloop/contract';
import type { slaPolicies } from '../db/schema.js';
import type { Clock } from './clock-math.js';

export type PolicyDbRow = typeof slaPolicies.$inferSelect;
export const slaPolicyChain = (id: string) => `sla_policy:${id}`;

export function toSlaPolicy(p: PolicyDbRow): SlaPolicy {
  return {
    id: p.id, name: p.name, position: p.position, priorities: p.priorities, tiers: p.tiers, categoryIds: p.categoryIds,
    calendarId: p.calendarId,
    targets: { firstResponse: p.firstResponseMinutes, update: p.updateMinutes, resolution: p.resolutionMinutes },
    warnPercent: p.warnPercent, level2AfterPercent: p.level2AfterPercent, customerUpdates: p.customerUpdates,
    active: p.active, version: p.version, updatedAt: p.updatedAt.toISOString(),
  };
}

export function toSlaClock(c: Clock, policy: { id: string; name: string; version: number } | null): SlaClock {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    metric: c.metric, status: c.status, policy, source: c.source, calendarId: c.calendarId, targetMinutes: c.targetMinutes,
    startedAt: c.startedAt.toISOString(), dueAt: c.dueAt.toISOString(), warnAt: c.warnAt.toISOString(),
    pausedAt: iso(c.pausedAt), pausedMinutes: Math.round(c.pausedMinutes), metAt: iso(c.metAt), breachedAt: iso(c.breachedAt),
    escalationLevel: c.escalationLevel, cycle: c.cycle,
  };
}
