import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '@closeloop/contract';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { domainEvent } from '../events/publish.js';
import { happeningsOf } from './happenings.js';

const ID = '01a2345f-d9f9-748d-9b6a-b73b6a196c61';
const ref = { ticketId: ID, number: 'SH-20261123-0001', title: '空调异响' };
const person: Actor = { kind: 'user', userId: ID, role: 'handler', departmentIds: [], customerId: null, scopes: [] };
const at = new Date('2026-11-23T09:00:00+08:00');
const kinds = (e: DomainEvent) => happeningsOf(e).map((h) => h.happening);

describe('what ticket events mean for SLA clocks', () => {
  it('accept (受理) is the first response; resolve and close meet everything; cancel cancels; reopen restarts', () => {
    const status = (command: 'accept' | 'resolve' | 'confirm' | 'cancel' | 'reopen', from: 'assigned' | 'analyzing' | 'follow_up', to: 'analyzing' | 'follow_up' | 'closed' | 'cancelled') =>
      kinds(domainEvent('ticket.status_changed', { ...ref, command, from, to }, { actor: person, at }));
    expect(status('accept', 'assigned', 'analyzing')).toEqual([{ kind: 'first_response', at }]);
    expect(status('resolve', 'analyzing', 'follow_up')).toEqual([{ kind: 'resolved', at }]);
    expect(status('confirm', 'follow_up', 'closed')).toEqual([{ kind: 'resolved', at }]);
    expect(status('cancel', 'assigned', 'cancelled')).toEqual([{ kind: 'cancelled', at }]);
    expect(status('reopen', 'follow_up', 'analyzing')).toEqual([{ kind: 'reopened', at }]);
  });

  it('pauses and resumes on the waiting flag the event carries, recomputes on priority, category, policy and tier', () => {
    const updated = (fields: string[], extra: { command?: 'set_waiting'; waitingOnCustomer?: boolean } = {}) =>
      kinds(domainEvent('ticket.updated', { ...ref, command: extra.command ?? null, fields, waitingOnCustomer: extra.waitingOnCustomer }, { actor: person, at }));
    expect(updated(['waitingOnCustomer'], { command: 'set_waiting', waitingOnCustomer: true })).toEqual([{ kind: 'waiting', waiting: true, at }]);
    expect(updated(['waitingOnCustomer'], { command: 'set_waiting', waitingOnCustomer: false })).toEqual([{ kind: 'waiting', waiting: false, at }]);
    expect(updated(['title', 'priority'])).toEqual([{ kind: 'recompute', reason: 'priority', at }]);
    expect(updated(['customer.tier'])).toEqual([{ kind: 'recompute', reason: 'tier', at }]);
    expect(updated(['slaPolicyId'])).toEqual([{ kind: 'recompute', reason: 'policy', at }]);
    expect(updated(['title'])).toEqual([{ kind: 'ensure', at }]);
  });

  it('a public reply by staff answers the customer; the customer\'s own words, internal notes and automation do not', () => {
    const comment = (visibility: 'public' | 'internal', authorRole: string, actor: Actor = person) =>
      kinds(domainEvent('comment.added', { ...ref, commentId: ID, visibility, authorRole, ownerId: null, excerpt: '您好' }, { actor, at }));
    expect(comment('public', 'handler')).toEqual([{ kind: 'public_reply', at }]);
    expect(comment('internal', 'handler')).toEqual([]);
    expect(comment('public', 'customer', { ...person, role: 'customer' })).toEqual([]);
    expect(comment('public', 'system', SYSTEM_ACTOR)).toEqual([]);
  });
});
