import { describe, expect, it } from 'vitest';
import { compileCalendar } from '../calendars/business-time.js';
import {
  clockTimers, meetClock, pauseClock, restartClock, resumeClock, retargetClock, startClock, ticketSlaSummary,
  type ClockTarget,
} from './clock-math.js';
import { planClockChanges, type Happening, type TicketSnapshot } from './plan-clock-changes.js';
import type { PolicyRow, TierTargetRow } from './match-policy.js';

/** 09:00–12:00 and 13:00–18:00 Monday to Friday, New Year 2026 as the State Council set it. */
const office = compileCalendar({
  timezone: 'Asia/Shanghai',
  week: [...Array.from({ length: 5 }, () => [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }]), [], []],
  days: [
    { date: '2026-01-01', kind: 'holiday', name: '元旦' },
    { date: '2026-01-02', kind: 'holiday', name: '元旦' },
    { date: '2026-01-03', kind: 'holiday', name: '元旦' },
    { date: '2026-01-04', kind: 'workday', name: '元旦调休' },
  ],
});
const allDay = compileCalendar({ alwaysOpen: true, week: Array.from({ length: 7 }, () => []) });
const OFFICE = '00000000-0000-7000-8000-00000000000a';
const ALWAYS = '00000000-0000-7000-8000-00000000000b';
const calendarOf = (id: string | null) => (id === ALWAYS ? allDay : office);

const at = (s: string) => new Date(s);
const target = (minutes: number, over: Partial<ClockTarget> = {}): ClockTarget => ({
  policyId: 'p', policyVersion: 1, source: 'policy', calendarId: OFFICE, targetMinutes: minutes, warnPercent: 80,
  level2AfterPercent: 50, ...over,
});
const clock = (minutes: number, start: string) => startClock({
  cal: office, id: 'c1', ticketId: 't1', metric: 'first_response', target: target(minutes), at: at(start), paused: false,
});

describe('SLA clock maths over business time', () => {
  it('counts a target in working minutes: 4 h from 16:00 on the last working day of 2025 falls on the 调休 Sunday', () => {
    const c = clock(240, '2025-12-31T16:00:00+08:00');
    // 2 h left on 31 December, 1–3 January off, Sunday 4 January is a make-up working day.
    expect(c.dueAt).toEqual(at('2026-01-04T11:00:00+08:00'));
    expect(c.warnAt).toEqual(at('2026-01-04T10:12:00+08:00'));
  });

  it('moves the due time by the paused business time when a pause spans a night and a holiday', () => {
    const started = clock(240, '2025-12-31T16:00:00+08:00');
    const paused = pauseClock(started, at('2025-12-31T17:00:00+08:00'));
    expect(paused.status).toBe('paused');
    expect(clockTimers(office, paused)).toEqual([]);
    const resumed = resumeClock(office, paused, at('2026-01-04T09:30:00+08:00'));
    // Paused: 17:00–18:00 on 31 Dec and 09:00–09:30 on 4 Jan = 90 business minutes; the night and
    // the three holidays cost nothing.
    expect(resumed.pausedMinutes).toBe(90);
    expect(resumed.status).toBe('active');
    // 11:00 + 90 business minutes = 12:00 + lunch + 30 min.
    expect(resumed.dueAt).toEqual(at('2026-01-04T13:30:00+08:00'));
    expect(clockTimers(office, resumed).map((t) => t.kind)).toEqual(['sla.warn', 'sla.breach']);
  });

  it('resuming twice or pausing twice changes nothing (events arrive at least once)', () => {
    const c = clock(240, '2026-11-23T09:00:00+08:00');
    const p = pauseClock(c, at('2026-11-23T10:00:00+08:00'));
    expect(pauseClock(p, at('2026-11-23T11:00:00+08:00'))).toBe(p);
    const r = resumeClock(office, p, at('2026-11-23T14:00:00+08:00'));
    expect(resumeClock(office, r, at('2026-11-23T15:00:00+08:00'))).toBe(r);
    expect(r.pausedMinutes).toBe(180);
  });

  it('keeps a breach on record through a pause, and schedules level 2 after the breach', () => {
    const c = { ...clock(60, '2026-11-23T09:00:00+08:00'), breachedAt: at('2026-11-23T10:00:00+08:00'), status: 'breached' as const, escalationLevel: 1 };
    const resumed = resumeClock(office, pauseClock(c, at('2026-11-23T10:30:00+08:00')), at('2026-11-23T11:00:00+08:00'));
    expect(resumed.status).toBe('breached');
    // Level 2 at 150 % of the target plus the 30 paused minutes: 09:00 + 120 min.
    expect(clockTimers(office, resumed)).toEqual([{ kind: 'sla.level2', dueAt: at('2026-11-23T11:00:00+08:00') }]);
  });

  it('restarts the update clock as a new cycle and stops a met clock', () => {
    const c = { ...clock(240, '2026-11-23T09:00:00+08:00'), metric: 'update' as const, warnedAt: at('2026-11-23T12:12:00+08:00'), status: 'warned' as const };
    const r = restartClock(office, c, at('2026-11-23T14:00:00+08:00'), false);
    // 14:00 + 4 working hours ends exactly at the close of the day.
    expect(r).toMatchObject({ cycle: 1, status: 'active', warnedAt: null, dueAt: at('2026-11-23T18:00:00+08:00') });
    const m = meetClock(r, at('2026-11-23T15:00:00+08:00'));
    expect(m.status).toBe('met');
    expect(clockTimers(office, m)).toEqual([]);
  });

  it('sums up the ticket: nearest running due time, worst state, paused when only paused clocks run', () => {
    const a = clock(60, '2026-11-23T09:00:00+08:00');
    const b = { ...clock(240, '2026-11-23T09:00:00+08:00'), id: 'c2', metric: 'resolution' as const, warnedAt: at('2026-11-23T12:12:00+08:00'), status: 'warned' as const };
    expect(ticketSlaSummary([a, b])).toEqual({ dueAt: a.dueAt, state: 'warned' });
    expect(ticketSlaSummary([meetClock(a, at('2026-11-23T09:30:00+08:00')), pauseClock(b, at('2026-11-23T10:00:00+08:00'))]))
      .toEqual({ dueAt: null, state: 'paused' });
    expect(ticketSlaSummary([])).toEqual({ dueAt: null, state: null });
  });

  it('retargets from the same start: a policy change mid-way keeps the elapsed and paused time', () => {
    const c = resumeClock(office, pauseClock(clock(480, '2026-11-23T09:00:00+08:00'), at('2026-11-23T10:00:00+08:00')), at('2026-11-23T11:00:00+08:00'));
    const r = retargetClock(office, c, target(240, { policyId: 'p2' }));
    // 09:00 + 240 + 60 paused = 15:00 (lunch skipped).
    expect(r.dueAt).toEqual(at('2026-11-23T15:00:00+08:00'));
    expect(r.policyId).toBe('p2');
  });
});

const policy = (over: Partial<PolicyRow>): PolicyRow => ({
  id: 'p', name: 'p', position: 100, priorities: [], tiers: [], categoryIds: [], calendarId: OFFICE,
  firstResponseMinutes: null, updateMinutes: null, resolutionMinutes: null, warnPercent: 80, level2AfterPercent: 50,
  customerUpdates: false, active: true, version: 1, ...over,
});
const POLICIES: PolicyRow[] = [
  policy({ id: 'p1', position: 10, priorities: ['P1'], calendarId: ALWAYS, firstResponseMinutes: 60, updateMinutes: 240, resolutionMinutes: 1440, customerUpdates: true }),
  policy({ id: 'p2', position: 20, priorities: ['P2'], firstResponseMinutes: 240, updateMinutes: 1440, resolutionMinutes: 4320 }),
  policy({ id: 'p3', position: 30, priorities: ['P3'], firstResponseMinutes: 480, resolutionMinutes: 2400 }),
];
const TIERS: TierTargetRow[] = [
  { tier: 'vip', firstResponseMinutes: 120, calendarId: OFFICE },
  { tier: 'potential', firstResponseMinutes: 240, calendarId: OFFICE },
  { tier: 'regular', firstResponseMinutes: 480, calendarId: OFFICE },
];

let ids = 0;
function plan(ticket: Partial<TicketSnapshot>, happenings: Happening[], clocks = [] as ReturnType<typeof planClockChanges>['clocks']) {
  return planClockChanges({
    ticket: {
      id: 't1', status: 'assigned', priority: 'P3', tier: 'regular', categoryId: 'cat', slaPolicyId: null,
      waitingOnCustomer: false, createdAt: at('2026-11-23T09:00:00+08:00'), firstRespondedAt: null, ...ticket,
    },
    clocks, happenings, policies: POLICIES, tierTargets: TIERS, calendarOf, newId: () => `id${++ids}`,
  });
}

describe('planning clock changes', () => {
  it('starts the metrics of the matching policy; P3 has no update clock and resolves in 5 working days', () => {
    const r = plan({}, [{ kind: 'ensure', at: at('2026-11-23T09:00:00+08:00') }]);
    expect(r.clocks.map((c) => [c.metric, c.targetMinutes, c.dueAt.toISOString()])).toEqual([
      ['first_response', 480, '2026-11-23T10:00:00.000Z'],
      ['resolution', 2400, '2026-11-27T10:00:00.000Z'],
    ]);
  });

  it('lets the stricter target win: a VIP on P3 answers within 2 h, a P1 keeps its 1 h on the 7×24 calendar', () => {
    const vip = plan({ tier: 'vip' }, []);
    expect(vip.clocks[0]).toMatchObject({ metric: 'first_response', targetMinutes: 120, source: 'tier:vip' });
    // Saturday 03:00: P1's hour on the 7×24 calendar beats VIP's two office hours on Monday.
    const p1 = plan({ tier: 'vip', priority: 'P1', createdAt: at('2026-11-28T03:00:00+08:00') }, []);
    expect(p1.clocks[0]).toMatchObject({ targetMinutes: 60, source: 'policy', dueAt: at('2026-11-28T04:00:00+08:00') });
  });

  it('an explicit policy on the ticket wins over matching', () => {
    const r = plan({ slaPolicyId: 'p2', priority: 'P3' }, []);
    expect(r.clocks[0]).toMatchObject({ policyId: 'p2', targetMinutes: 240 });
  });

  it('recomputes on a priority change mid-way and records it; repeating the recompute records nothing', () => {
    const first = plan({}, []);
    const changed = plan({ priority: 'P1' }, [{ kind: 'recompute', reason: 'priority', at: at('2026-11-23T09:30:00+08:00') }], first.clocks);
    const fr = changed.clocks.find((c) => c.metric === 'first_response')!;
    expect(fr).toMatchObject({ policyId: 'p1', targetMinutes: 60, dueAt: at('2026-11-23T10:00:00+08:00'), calendarId: ALWAYS });
    // P1 adds an update clock from the change on.
    expect(changed.created.map((c) => c.metric)).toEqual(['update']);
    expect(changed.recomputed).toHaveLength(1);
    expect(changed.recomputed[0]!.clocks.map((c) => c.metric)).toEqual(['first_response', 'update', 'resolution']);
    const again = plan({ priority: 'P1' }, [{ kind: 'recompute', reason: 'priority', at: at('2026-11-23T09:31:00+08:00') }], changed.clocks);
    expect(again.recomputed).toEqual([]);
    expect(again.changed).toEqual([]);
  });

  it('meets the first response on accept, restarts the update clock on each public reply, stops all on resolve', () => {
    const start = plan({ priority: 'P1' }, []);
    const r = plan({ priority: 'P1' }, [
      { kind: 'first_response', at: at('2026-11-23T09:20:00+08:00') },
      { kind: 'public_reply', at: at('2026-11-23T11:00:00+08:00') },
      { kind: 'public_reply', at: at('2026-11-23T11:00:00+08:00') },
    ], start.clocks);
    expect(r.clocks.find((c) => c.metric === 'first_response')).toMatchObject({ status: 'met', metAt: at('2026-11-23T09:20:00+08:00') });
    // The same reply delivered twice restarts the cycle once.
    expect(r.clocks.find((c) => c.metric === 'update')).toMatchObject({ cycle: 1, dueAt: at('2026-11-23T15:00:00+08:00') });
    const done = plan({ priority: 'P1' }, [{ kind: 'resolved', at: at('2026-11-23T12:00:00+08:00') }], r.clocks);
    expect(done.clocks.every((c) => c.status === 'met')).toBe(true);
  });

  it('pauses and resumes every running clock while the ticket waits on the customer; cancel ends them', () => {
    const start = plan({ priority: 'P2' }, []);
    const r = plan({ priority: 'P2' }, [
      { kind: 'waiting', waiting: true, at: at('2026-11-23T17:00:00+08:00') },
      { kind: 'waiting', waiting: false, at: at('2026-11-24T10:00:00+08:00') },
    ], start.clocks);
    expect(r.clocks.map((c) => c.pausedMinutes)).toEqual([120, 120, 120]);
    const cancelled = plan({ priority: 'P2' }, [{ kind: 'cancelled', at: at('2026-11-24T11:00:00+08:00') }], r.clocks);
    expect(cancelled.clocks.every((c) => c.status === 'cancelled')).toBe(true);
  });
});
