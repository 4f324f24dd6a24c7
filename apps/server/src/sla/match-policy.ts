/**
 * Which SLA policy applies to a ticket and what its clocks count against: pure, over the rows.
 * An explicit policy on the ticket (a rule's "set SLA policy") wins; otherwise the active
 * policies are tried by position and the first whose non-empty lists all match applies. For
 * the first response a customer tier's cap competes with the policy: the stricter (earlier due
 * time) wins, decided by the caller who knows the calendars.
 */
import type { CustomerTier, Priority, SlaMetric } from '@closeloop/contract';
import type { ClockTarget } from './clock-math.js';

export interface PolicyRow {
  id: string;
  name: string;
  position: number;
  priorities: Priority[];
  tiers: CustomerTier[];
  categoryIds: string[];
  calendarId: string | null;
  firstResponseMinutes: number | null;
  updateMinutes: number | null;
  resolutionMinutes: number | null;
  warnPercent: number;
  level2AfterPercent: number;
  customerUpdates: boolean;
  active: boolean;
  version: number;
}

export interface TierTargetRow {
  tier: CustomerTier;
  firstResponseMinutes: number;
  calendarId: string | null;
}

export interface SlaSubject {
  priority: Priority;
  tier: CustomerTier;
  categoryId: string;
  /** Set explicitly (rules engine, admin): wins over matching while that policy is active. */
  slaPolicyId: string | null;
}

const byPosition = (a: PolicyRow, b: PolicyRow) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function policyMatches(p: PolicyRow, s: SlaSubject): boolean {
  return p.active
    && (!p.priorities.length || p.priorities.includes(s.priority))
    && (!p.tiers.length || p.tiers.includes(s.tier))
    && (!p.categoryIds.length || p.categoryIds.includes(s.categoryId));
}

export function matchPolicy(policies: readonly PolicyRow[], s: SlaSubject): PolicyRow | null {
  if (s.slaPolicyId) {
    const explicit = policies.find((p) => p.id === s.slaPolicyId && p.active);
    if (explicit) return explicit;
  }
  return [...policies].sort(byPosition).find((p) => policyMatches(p, s)) ?? null;
}

const POLICY_MINUTES: Record<SlaMetric, keyof Pick<PolicyRow, 'firstResponseMinutes' | 'updateMinutes' | 'resolutionMinutes'>> = {
  first_response: 'firstResponseMinutes',
  update: 'updateMinutes',
  resolution: 'resolutionMinutes',
};

/** Targets competing for a metric (empty = no clock for it). */
export function targetCandidates(o: {
  policy: PolicyRow | null; tierTarget: TierTargetRow | null; metric: SlaMetric;
}): ClockTarget[] {
  const { policy, tierTarget, metric } = o;
  const out: ClockTarget[] = [];
  const minutes = policy?.[POLICY_MINUTES[metric]] ?? null;
  if (policy && minutes) {
    out.push({
      policyId: policy.id, policyVersion: policy.version, source: 'policy', calendarId: policy.calendarId,
      targetMinutes: minutes, warnPercent: policy.warnPercent, level2AfterPercent: policy.level2AfterPercent,
    });
  }
  if (metric === 'first_response' && tierTarget) {
    out.push({
      policyId: policy?.id ?? null, policyVersion: policy?.version ?? null, source: `tier:${tierTarget.tier}`,
      calendarId: tierTarget.calendarId, targetMinutes: tierTarget.firstResponseMinutes,
      warnPercent: policy?.warnPercent ?? 80, level2AfterPercent: policy?.level2AfterPercent ?? 50,
    });
  }
  return out;
}
