import { describe, expect, it } from 'vitest';
import { CHANNELS, PRIORITIES, TICKET_STATUSES, zTicketCreate, zTransition } from '@closeloop/contract';
import { DEMO_CATEGORIES } from './categories.js';
import { DEMO_CUSTOMER_LOGINS, DEMO_STAFF } from './org.js';
import { planDemoTickets, submitPlanTransition, type DemoStep } from './plan-demo-tickets.js';

const NOW = new Date('2026-11-23T06:00:00Z');
const DAY = 24 * 3600_000;
const plans = planDemoTickets({ now: NOW });
const usernames = new Set([...DEMO_STAFF.map((s) => s.username), ...DEMO_CUSTOMER_LOGINS.map((l) => l.username)]);
const dummyId = '0190b3c5-0000-7000-8000-000000000001';

function textsOf(step: DemoStep): string[] {
  return Object.values(step).flatMap((v) => (typeof v === 'string' ? [v] : v && typeof v === 'object' && !(v instanceof Date) ? [JSON.stringify(v)] : []));
}

/** Values of `all` that no plan has, by `get`. */
function missing<T>(all: readonly T[], get: (p: (typeof plans)[number]) => T[]): T[] {
  const seen = new Set(plans.flatMap(get));
  return all.filter((v) => !seen.has(v));
}

describe('planDemoTickets', () => {
  it('is reproducible: the same seed and day give the same tickets', () => {
    expect(JSON.stringify(planDemoTickets({ now: NOW }))).toBe(JSON.stringify(plans));
    expect(JSON.stringify(planDemoTickets({ now: NOW, seed: 7 }))).not.toBe(JSON.stringify(plans));
  });

  it('plans 200 tickets over the last 60 days, in every status, more closed than in any other', () => {
    expect(plans).toHaveLength(200);
    expect(missing(TICKET_STATUSES, (p) => [p.target])).toEqual([]);
    const counts = new Map<string, number>();
    for (const p of plans) counts.set(p.target, (counts.get(p.target) ?? 0) + 1);
    const [top] = [...counts].sort((a, b) => b[1] - a[1]);
    expect(top![0]).toBe('closed');
    const outside = plans.filter((p) => p.createdAt >= NOW || p.createdAt.getTime() < NOW.getTime() - 61 * DAY);
    expect(outside.map((p) => p.key)).toEqual([]);
  });

  it('covers every category, channel and priority, with reworks, reopens and rejected plans', () => {
    expect(missing(DEMO_CATEGORIES.map((c) => c.code), (p) => [p.category])).toEqual([]);
    expect(missing(CHANNELS, (p) => [p.input.channel])).toEqual([]);
    expect(missing(PRIORITIES, (p) => (p.input.priority ? [p.input.priority] : []))).toEqual([]);
    const kinds = ['fail_acceptance', 'reopen', 'reject_plan', 'cancel', 'escalate', 'set_waiting'] as const;
    expect(missing(kinds, (p) => p.steps.map((s) => s.kind as (typeof kinds)[number]))).toEqual([]);
  });

  it('writes valid intake forms with no template marks left', () => {
    const problems: string[] = [];
    for (const p of plans) {
      const parsed = zTicketCreate.safeParse({ ...p.input, category: dummyId });
      if (!parsed.success) problems.push(`${p.key}: ${parsed.error.message}`);
      const all = [JSON.stringify(p.input), ...p.steps.flatMap(textsOf)].join('\n');
      const mark = /\{[a-zA-Z]+\}/.exec(all);
      if (mark) problems.push(`${p.key}: unfilled ${mark[0]}`);
      if (!/^1[3-9]\d{9}$/.test(p.input.customer.phone ?? '')) problems.push(`${p.key}: phone ${p.input.customer.phone}`);
    }
    expect(problems).toEqual([]);
  });

  it('scripts steps in time order, by known people, before now, with valid commands', () => {
    const problems: string[] = [];
    for (const p of plans) {
      let last = p.createdAt.getTime();
      for (const s of p.steps) {
        if (s.at.getTime() <= last) problems.push(`${p.key} ${s.kind}: not after the step before`);
        last = s.at.getTime();
        if ('by' in s && !usernames.has(s.by)) problems.push(`${p.key} ${s.kind}: unknown ${s.by}`);
        if (s.kind !== 'submit_plan') continue;
        // The same shape the API takes, with ids in place of usernames and codes.
        const transition = submitPlanTransition(s.solution, s.at, () => dummyId, () => dummyId);
        if (!zTransition.safeParse(transition).success) problems.push(`${p.key}: invalid submit_plan`);
        for (const m of s.solution.measures) if (!usernames.has(m.owner)) problems.push(`${p.key}: measure owner ${m.owner}`);
      }
      if (last >= NOW.getTime()) problems.push(`${p.key}: last step after now`);
    }
    expect(problems).toEqual([]);
  });

  it('gives the customers with a login several tickets, some filed by themselves', () => {
    const summary = DEMO_CUSTOMER_LOGINS.map((login) => {
      const own = plans.filter((p) => p.customerIndex === login.customerIndex);
      return {
        login: login.username,
        enough: own.length >= 3,
        filedThemselves: own.some((p) => p.creator.kind === 'user' && p.creator.username === login.username),
      };
    });
    expect(summary).toEqual(DEMO_CUSTOMER_LOGINS.map((l) => ({ login: l.username, enough: true, filedThemselves: true })));
  });
});
