import { describe, expect, it } from 'vitest';
import { PORTAL_STATUS_LABELS, TICKET_STATUSES } from '@closeloop/contract';
import { customerVisibleChange, portalStatus } from './customer-view.js';

describe('portal status wording', () => {
  it('maps every internal status, and waiting for the customer, to customer wording', () => {
    expect(Object.fromEntries(TICKET_STATUSES.map((s) => [s, portalStatus(s, false)]))).toEqual({
      registered: 'received', assigned: 'received', analyzing: 'in_progress', plan_review: 'in_progress',
      rectifying: 'in_progress', accepting: 'in_progress', follow_up: 'awaiting_confirmation', closed: 'done', cancelled: 'cancelled',
    });
    for (const s of ['registered', 'analyzing', 'rectifying'] as const) expect(portalStatus(s, true)).toBe('needs_info');
    expect(portalStatus('closed', true)).toBe('done');
    expect(PORTAL_STATUS_LABELS['zh-CN'].awaiting_confirmation).toBe('待您确认');
  });

  it('streams public comments and customer steps only', () => {
    expect(customerVisibleChange('comment.added', null, { visibility: 'internal' })).toBeNull();
    expect(customerVisibleChange('comment.added', null, { visibility: 'public' })).toBe('reply');
    expect(customerVisibleChange('ticket.reject_plan', { status: 'analyzing' }, null)).toBeNull();
    expect(customerVisibleChange('ticket.fail_acceptance', { status: 'rectifying', reworkCount: 1 }, null)).toBeNull();
    expect(customerVisibleChange('rectification.measure_completed', null, null)).toBeNull();
    expect(customerVisibleChange('ticket.pass_acceptance', { status: 'follow_up' }, null)).toBe('solution_ready');
  });
});
