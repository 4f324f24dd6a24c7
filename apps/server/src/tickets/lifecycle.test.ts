import { describe, expect, it } from 'vitest';
import type { Role, TicketStatus, Transition } from '@closeloop/contract';
import { SYSTEM_ACTOR, scopesForRole, type Actor } from '../auth/actor.js';
import { allowedCommands, decideTransition, REOPEN_WINDOW_DAYS, type Decision, type Refusal } from './lifecycle.js';
import type { TicketRow } from './ticket-row.js';

const NOW = new Date('2026-11-23T06:05:00Z');
const DEPT = '00000000-0000-7000-8000-00000000d001';
const OTHER_DEPT = '00000000-0000-7000-8000-00000000d002';
const CUSTOMER = '00000000-0000-7000-8000-00000000c001';

function actor(role: Role, over: Partial<Actor> = {}): Actor {
  return {
    kind: 'user', userId: '00000000-0000-7000-8000-000000000000', role, departmentIds: [], customerId: role === 'customer' ? CUSTOMER : null, scopes: scopesForRole(role), ...over,
  };
}
const HANDLER = actor('handler', { userId: '00000000-0000-7000-8000-0000000000a1', departmentIds: [DEPT] });
const OTHER_HANDLER = actor('handler', { userId: '00000000-0000-7000-8000-0000000000a2', departmentIds: [DEPT] });
const MEASURE_OWNER = actor('handler', { userId: '00000000-0000-7000-8000-0000000000a3', departmentIds: [OTHER_DEPT] });
const MANAGER = actor('manager', { userId: '00000000-0000-7000-8000-0000000000b1', departmentIds: [DEPT] });
const ADMIN = actor('admin', { userId: '00000000-0000-7000-8000-0000000000b2' });
const AGENT = actor('agent', { userId: '00000000-0000-7000-8000-0000000000b3' });
const VERIFIER = actor('verifier', { userId: '00000000-0000-7000-8000-0000000000b4' });
const CUST = actor('customer', { userId: '00000000-0000-7000-8000-0000000000c1', customerId: CUSTOMER });
const OTHER_CUST = actor('customer', { userId: '00000000-0000-7000-8000-0000000000c2', customerId: '00000000-0000-7000-8000-00000000c002' });

/** The approved plan's measure counters (rectification/ keeps them; the table reads only these). */
const measures = (total: number, done: number): Partial<TicketRow> => ({ measuresTotal: total, measuresDone: done });

function ticket(over: Partial<TicketRow> = {}): TicketRow {
  return {
    id: '00000000-0000-7000-8000-0000000000f1', number: 'SH-20261123-0001', title: '电机异响', description: '使用三天后出现异响',
    scene: null, phenomenon: null, triedMeasures: null, readBackConfirmed: false, channel: 'phone',
    status: 'registered', priority: 'P2', priorityRank: 2, urgency: 'medium', processTemplate: 'full',
    categoryId: '00000000-0000-7000-8000-0000000000e1', customerId: CUSTOMER, product: { model: 'A100' },
    occurredAt: new Date('2026-11-20T00:00:00Z'), expectedBy: null, orderNo: null, customFields: {},
    departmentId: DEPT, ownerId: HANDLER.userId, createdById: AGENT.userId, waitingOnCustomer: false,
    escalated: false, reworkCount: 0, reopenCount: 0, analysis: null, plan: null, resolution: null,
    rootCauseClass: null, responsibleDepartmentId: null, measuresTotal: 0, measuresDone: 0, measureOwnerIds: [],
    acceptance: null, feedback: null, cancelReason: null, searchText: '', firstRespondedAt: null,
    resolvedAt: null, closedAt: null, createdAt: new Date('2026-11-21T00:00:00Z'),
    updatedAt: new Date('2026-11-21T00:00:00Z'), version: 1, ...over,
  };
}

function decide(t: TicketRow, a: Actor, transition: Transition | { command: 'auto_close' }) {
  return decideTransition({ ticket: t, actor: a, transition, now: NOW });
}
function ok(r: Decision | Refusal): Decision {
  if (!r.ok) throw new Error(`refused: ${r.code} ${r.message}`);
  return r;
}
function refused(r: Decision | Refusal): Refusal {
  if (r.ok) throw new Error(`allowed: ${r.command} → ${r.to}`);
  return r;
}
/** Applies a decision like the database would, so a walk can continue from the result. */
const apply = (t: TicketRow, d: Decision): TicketRow => ({ ...t, ...d.patch });

const PLAN_INPUT: Extract<Transition, { command: 'submit_plan' }> = {
  command: 'submit_plan',
  analysis: {
    rootCause: { text: '轴承供应商批次不良', certainty: 'verified', evidenceAttachmentIds: [] }, rootCauseClass: 'supplier',
    fiveWhys: [], fishbone: [], evidenceAttachmentIds: [],
  },
  plan: {
    summary: '更换批次并加严来料检验',
    measures: [
      {
        type: 'corrective', action: '更换电机轴承', ownerId: MEASURE_OWNER.userId!, dueDate: '2026-11-30',
        criterion: { kind: 'metric', metric: '噪音', operator: '<', target: 45, unit: 'dB', duration: '连续24h' },
      },
      { type: 'preventive', preventiveKind: 'inspection_standard', action: '来料检验增加噪音项', ownerId: HANDLER.userId!, dueDate: '2026-12-05', criterion: { kind: 'check', text: '抽检 AQL 0.65' } },
    ],
  },
};

describe('full process, every step', () => {
  it('walks registered → closed with the fields each step sets', () => {
    let t = ticket({ status: 'assigned' });

    const accept = ok(decide(t, HANDLER, { command: 'accept' }));
    expect(accept).toMatchObject({ from: 'assigned', to: 'analyzing', eventType: 'ticket.accept' });
    expect(accept.patch).toEqual({ status: 'analyzing', firstRespondedAt: NOW });
    t = apply(t, accept);

    const submit = ok(decide(t, HANDLER, PLAN_INPUT));
    expect(submit.to).toBe('plan_review');
    // The plan version is rows of rectification/; the table changes only the status.
    expect(submit.patch).toEqual({ status: 'plan_review' });
    t = apply(t, submit);

    const reject = ok(decide(t, MANAGER, { command: 'reject_plan', opinion: '根因未验证' }));
    expect(reject.to).toBe('analyzing');
    t = apply(t, reject);
    t = apply(t, ok(decide(t, HANDLER, PLAN_INPUT)));

    const approve = ok(decide(t, MANAGER, { command: 'approve_plan' }));
    expect(approve.patch).toEqual({ status: 'rectifying' });
    t = { ...apply(t, approve), ...measures(2, 0) };
    expect(refused(decide(t, HANDLER, { command: 'start_acceptance' })).message).toContain('2 measure(s) not done yet');
    t = { ...t, ...measures(2, 2) };

    const start = ok(decide(t, HANDLER, { command: 'start_acceptance' }));
    expect(start.to).toBe('accepting');
    t = apply(t, start);

    const fail = ok(decide(t, VERIFIER, { command: 'fail_acceptance', reason: '噪音 52 dB' }));
    expect(fail.to).toBe('rectifying');
    expect(fail.patch).toEqual({ status: 'rectifying', reworkCount: 1 });
    t = { ...apply(t, fail), ...measures(2, 1) };
    expect(refused(decide(t, HANDLER, { command: 'start_acceptance' })).code).toBe('INVALID_TRANSITION');
    t = { ...t, ...measures(2, 2) };
    t = apply(t, ok(decide(t, HANDLER, { command: 'start_acceptance' })));

    const pass = ok(decide(t, VERIFIER, { command: 'pass_acceptance', note: '42 dB' }));
    expect(pass.to).toBe('follow_up');
    expect(pass.patch).toEqual({ status: 'follow_up', resolvedAt: NOW });
    t = apply(t, pass);

    const confirm = ok(decide(t, CUST, { command: 'confirm', rating: 5, comment: '满意' }));
    expect(confirm.to).toBe('closed');
    expect(confirm.patch).toMatchObject({ closedAt: NOW, feedback: { rating: 5, comment: '满意', at: NOW.toISOString() } });
    t = apply(t, confirm);
    expect(t.status).toBe('closed');
    expect(t.reworkCount).toBe(1);
  });

  it('refuses the quick-only resolve on a full ticket', () => {
    const r = refused(decide(ticket({ status: 'analyzing' }), HANDLER, { command: 'resolve', resolution: '已解答' }));
    expect(r.code).toBe('INVALID_TRANSITION');
    expect(r.message).toContain('cannot resolve a ticket in status analyzing');
  });
});

describe('quick process, every step', () => {
  it('walks assigned → analyzing → follow_up → closed', () => {
    let t = ticket({ status: 'assigned', processTemplate: 'quick' });
    t = apply(t, ok(decide(t, HANDLER, { command: 'accept' })));
    expect(t.status).toBe('analyzing');
    const resolve = ok(decide(t, HANDLER, { command: 'resolve', resolution: '请按说明书第 5 页重置' }));
    expect(resolve.patch).toEqual({ status: 'follow_up', resolution: '请按说明书第 5 页重置', resolvedAt: NOW });
    t = apply(t, resolve);
    t = apply(t, ok(decide(t, AGENT, { command: 'confirm', rating: 4 })));
    expect(t.status).toBe('closed');
    expect(t.feedback).toEqual({ rating: 4, comment: null, at: NOW.toISOString() });
  });

  it('shares the side commands: reopen, cancel, reassign, auto_close', () => {
    const fu = ticket({ status: 'follow_up', processTemplate: 'quick' });
    expect(ok(decide(fu, CUST, { command: 'reopen', reason: '没解决' })).to).toBe('analyzing');
    expect(ok(decide(fu, SYSTEM_ACTOR, { command: 'auto_close' })).to).toBe('closed');
    expect(ok(decide(fu, AGENT, { command: 'cancel', reason: '重复' })).to).toBe('cancelled');
    expect(ok(decide(ticket({ status: 'registered', processTemplate: 'quick' }), AGENT, { command: 'reassign', departmentId: DEPT })).to).toBe('assigned');
  });

  it.each(['submit_plan', 'approve_plan', 'start_acceptance', 'pass_acceptance'] as const)('never offers %s', (command) => {
    for (const status of ['analyzing', 'plan_review', 'rectifying', 'accepting'] as TicketStatus[]) {
      expect(allowedCommands(ticket({ status, processTemplate: 'quick' }), ADMIN, NOW)).not.toContain(command);
    }
  });

  it('refuses submit_plan with a message naming command and status', () => {
    const r = refused(decide(ticket({ status: 'analyzing', processTemplate: 'quick' }), HANDLER, PLAN_INPUT));
    expect(r).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(r.message).toContain('cannot submit_plan a ticket in status analyzing');
  });
});

describe('side commands', () => {
  it('accept by a department member of an unowned ticket makes them the owner', () => {
    const d = ok(decide(ticket({ status: 'assigned', ownerId: null }), OTHER_HANDLER, { command: 'accept' }));
    expect(d.patch.ownerId).toBe(OTHER_HANDLER.userId);
  });

  it('accept keeps the first response time once set', () => {
    const first = new Date('2026-11-22T00:00:00Z');
    const d = ok(decide(ticket({ status: 'assigned', firstRespondedAt: first }), MANAGER, { command: 'accept' }));
    expect(d.patch.firstRespondedAt).toBeUndefined();
    expect(d.patch.ownerId).toBeUndefined();
  });

  it('reassign moves registered to assigned and leaves later statuses alone', () => {
    const a = ok(decide(ticket({ status: 'registered', ownerId: null }), AGENT, { command: 'reassign', ownerId: OTHER_HANDLER.userId! }));
    expect(a.patch).toEqual({ status: 'assigned', ownerId: OTHER_HANDLER.userId });
    const b = ok(decide(ticket({ status: 'rectifying' }), MANAGER, { command: 'reassign', departmentId: OTHER_DEPT }));
    expect(b.patch).toEqual({ departmentId: OTHER_DEPT });
    expect(b.to).toBe('rectifying');
    const c = ok(decide(ticket({ status: 'assigned' }), ADMIN, { command: 'reassign', ownerId: null }));
    expect(c.patch).toEqual({ ownerId: null });
  });

  it('reassign needs a department or an owner', () => {
    expect(refused(decide(ticket(), AGENT, { command: 'reassign', reason: 'x' }))).toMatchObject({
      code: 'VALIDATION_FAILED', field: 'departmentId',
    });
  });

  it('set_waiting and escalate keep the status', () => {
    const w = ok(decide(ticket({ status: 'analyzing' }), HANDLER, { command: 'set_waiting', waiting: true }));
    expect(w.patch).toEqual({ waitingOnCustomer: true });
    const e = ok(decide(ticket({ status: 'plan_review' }), OTHER_HANDLER, { command: 'escalate', reason: '超时' }));
    expect(e.patch).toEqual({ escalated: true });
    expect(e.eventType).toBe('ticket.escalate');
  });

  it('cancel stores the reason; a customer may withdraw their own fresh ticket', () => {
    const d = ok(decide(ticket({ status: 'assigned' }), CUST, { command: 'cancel', reason: '重复提交' }));
    expect(d.patch).toEqual({ status: 'cancelled', cancelReason: '重复提交' });
    expect(ok(decide(ticket({ status: 'accepting' }), AGENT, { command: 'cancel', reason: '无效' })).to).toBe('cancelled');
  });

  it('reopen from follow_up and from closed within the warranty window', () => {
    const fu = ok(decide(ticket({ status: 'follow_up', resolvedAt: NOW }), CUST, { command: 'reopen', reason: '仍有异响' }));
    expect(fu.patch).toEqual({ status: 'analyzing', reopenCount: 1, closedAt: null, resolvedAt: null, feedback: null });
    const closedAt = new Date(NOW.getTime() - (REOPEN_WINDOW_DAYS - 1) * 86_400_000);
    const cl = ok(decide(ticket({ status: 'closed', closedAt, reopenCount: 2, feedback: { rating: 2, comment: null, at: closedAt.toISOString() } }),
      AGENT, { command: 'reopen', reason: '同一问题再次出现' }));
    expect(cl.patch).toMatchObject({ status: 'analyzing', reopenCount: 3, feedback: null, closedAt: null });
  });

  it('auto_close is for the system actor only and never offered', () => {
    const t = ticket({ status: 'follow_up' });
    expect(ok(decide(t, SYSTEM_ACTOR, { command: 'auto_close' })).patch).toEqual({ status: 'closed', closedAt: NOW });
    expect(refused(decide(t, ADMIN, { command: 'auto_close' })).code).toBe('FORBIDDEN');
    expect(allowedCommands(t, SYSTEM_ACTOR, NOW)).not.toContain('auto_close');
  });
});

describe('refusals', () => {
  it('wrong status', () => {
    const r = refused(decide(ticket({ status: 'analyzing' }), MANAGER, { command: 'approve_plan' }));
    expect(r).toEqual({ ok: false, code: 'INVALID_TRANSITION', message: 'cannot approve_plan a ticket in status analyzing' });
    expect(refused(decide(ticket({ status: 'registered' }), HANDLER, { command: 'accept' })).code).toBe('INVALID_TRANSITION');
    expect(refused(decide(ticket({ status: 'cancelled' }), ADMIN, { command: 'escalate', reason: 'x' })).code).toBe('INVALID_TRANSITION');
    expect(refused(decide(ticket({ status: 'closed', closedAt: NOW }), ADMIN, { command: 'cancel', reason: 'x' })).code).toBe('INVALID_TRANSITION');
  });

  it('wrong role', () => {
    const t = ticket({ status: 'plan_review' });
    expect(refused(decide(t, HANDLER, { command: 'approve_plan' }))).toMatchObject({ code: 'FORBIDDEN', message: 'role handler may not approve_plan' });
    expect(refused(decide(ticket({ status: 'accepting' }), HANDLER, { command: 'pass_acceptance' })).code).toBe('FORBIDDEN');
    expect(refused(decide(ticket({ status: 'analyzing' }), VERIFIER, PLAN_INPUT)).code).toBe('FORBIDDEN');
    expect(refused(decide(ticket({ status: 'assigned' }), CUST, { command: 'reassign', ownerId: null })).code).toBe('FORBIDDEN');
    expect(refused(decide(ticket({ status: 'follow_up' }), HANDLER, { command: 'confirm', rating: 5 })).code).toBe('FORBIDDEN');
  });

  it('not the owner', () => {
    expect(refused(decide(ticket({ status: 'assigned' }), OTHER_HANDLER, { command: 'accept' })).code).toBe('FORBIDDEN');
    expect(refused(decide(ticket({ status: 'analyzing' }), OTHER_HANDLER, PLAN_INPUT)).code).toBe('FORBIDDEN');
    expect(refused(decide(ticket({ status: 'analyzing' }), OTHER_HANDLER, { command: 'set_waiting', waiting: true })).code).toBe('FORBIDDEN');
    // an unowned ticket of another department cannot be picked up
    const foreign = actor('handler', { userId: '00000000-0000-7000-8000-0000000000a9', departmentIds: [OTHER_DEPT] });
    expect(refused(decide(ticket({ status: 'assigned', ownerId: null }), foreign, { command: 'accept' })).code).toBe('FORBIDDEN');
  });

  it('customer on another customer\'s ticket', () => {
    const t = ticket({ status: 'follow_up' });
    expect(refused(decide(t, OTHER_CUST, { command: 'confirm', rating: 1 })).code).toBe('FORBIDDEN');
    expect(refused(decide(t, OTHER_CUST, { command: 'reopen', reason: 'x' })).code).toBe('FORBIDDEN');
    expect(refused(decide(ticket({ status: 'registered' }), OTHER_CUST, { command: 'cancel', reason: 'x' })).code).toBe('FORBIDDEN');
  });

  it('a customer cannot cancel once handling started', () => {
    expect(refused(decide(ticket({ status: 'analyzing' }), CUST, { command: 'cancel', reason: '不需要了' })).code).toBe('FORBIDDEN');
  });

  it('start_acceptance with open measures says how many', () => {
    const r = refused(decide(ticket({ status: 'rectifying', ...measures(3, 1) }), HANDLER, { command: 'start_acceptance' }));
    expect(r.code).toBe('INVALID_TRANSITION');
    expect(r.message).toContain('2 measure(s) not done yet');
    expect(refused(decide(ticket({ status: 'rectifying' }), HANDLER, { command: 'start_acceptance' })).message)
      .toContain('no approved plan measures');
  });

  it('reopen after the warranty window', () => {
    const closedAt = new Date(NOW.getTime() - (REOPEN_WINDOW_DAYS + 1) * 86_400_000);
    const r = refused(decide(ticket({ status: 'closed', closedAt }), CUST, { command: 'reopen', reason: '又坏了' }));
    expect(r.code).toBe('INVALID_TRANSITION');
    expect(r.message).toContain(`${REOPEN_WINDOW_DAYS} days`);
  });
});

describe('allowedCommands', () => {
  it('offers the owner the next step and the side commands', () => {
    expect(allowedCommands(ticket({ status: 'analyzing' }), HANDLER, NOW)).toEqual(['submit_plan', 'set_waiting', 'escalate']);
  });

  it('offers a customer only what concerns their own ticket', () => {
    expect(allowedCommands(ticket({ status: 'registered' }), CUST, NOW)).toEqual(['cancel']);
    expect(allowedCommands(ticket({ status: 'analyzing' }), CUST, NOW)).toEqual([]);
    expect(allowedCommands(ticket({ status: 'follow_up' }), CUST, NOW)).toEqual(['confirm', 'reopen']);
    expect(allowedCommands(ticket({ status: 'follow_up' }), OTHER_CUST, NOW)).toEqual([]);
  });

  it('offers a verifier acceptance, nothing else on an open plan', () => {
    expect(allowedCommands(ticket({ status: 'accepting' }), VERIFIER, NOW)).toEqual(['pass_acceptance', 'fail_acceptance']);
    expect(allowedCommands(ticket({ status: 'plan_review' }), VERIFIER, NOW)).toEqual([]);
  });

  it('offers start_acceptance only once every measure is done', () => {
    const open = ticket({ status: 'rectifying', ...measures(1, 0) });
    expect(allowedCommands(open, HANDLER, NOW)).not.toContain('start_acceptance');
    const done = ticket({ status: 'rectifying', ...measures(1, 1) });
    expect(allowedCommands(done, HANDLER, NOW)).toContain('start_acceptance');
  });

  it('offers a measure owner from another department only escalate (measures are worked on by id)', () => {
    const t = ticket({ status: 'rectifying', ...measures(1, 0), measureOwnerIds: [MEASURE_OWNER.userId!] });
    expect(allowedCommands(t, MEASURE_OWNER, NOW)).toEqual(['escalate']);
  });

  it('offers nothing on a cancelled ticket and only reopen on a recently closed one', () => {
    expect(allowedCommands(ticket({ status: 'cancelled' }), ADMIN, NOW)).toEqual([]);
    expect(allowedCommands(ticket({ status: 'closed', closedAt: NOW }), ADMIN, NOW)).toEqual(['reopen']);
    const old = new Date(NOW.getTime() - (REOPEN_WINDOW_DAYS + 1) * 86_400_000);
    expect(allowedCommands(ticket({ status: 'closed', closedAt: old }), ADMIN, NOW)).toEqual([]);
  });
});
