/**
 * Domain events end to end: every payload a command publishes matches the catalog; a failing
 * subscriber neither rolls the command back nor loses the event (it is retried); the automation
 * guard stops a subscriber that reacts to its own changes; intake creates `registered` and its
 * routing is a transition event of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { parseDomainEvent, type DomainEvent } from '@closeloop/contract';
import { SYSTEM_ACTOR } from '../../src/auth/actor.js';
import { auditEvents, outbox, tickets } from '../../src/db/schema.js';
import { causedBy, domainEvent } from '../../src/events/publish.js';
import { registerSubscriber } from '../../src/events/registry.js';
import { runOutboxOnce } from '../../src/jobs/runner.js';
import { applyTransition } from '../../src/tickets/apply-transition.js';
import { backends } from '../backends.js';
import { createTestApp, json, makeCategory, makeDepartment, type TestApp } from '../harness.js';
import { createTicketRequest, person, ticketBody, type Person } from '../ticket-fixtures.js';

const seen: DomainEvent[] = [];
let failuresLeft = 0;
registerSubscriber({
  name: 'test-flaky',
  types: ['ticket.status_changed'],
  async handle(_ctx, events) {
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new Error('webhook endpoint down');
    }
    seen.push(...events);
  },
});

// Reacts to every ticket.updated by toggling the waiting flag again: a loop without the guard.
let loopRuns = 0;
let loopDb: TestApp['db'] | null = null;
registerSubscriber({
  name: 'test-loop',
  types: ['ticket.updated'],
  async handle(_ctx, events) {
    for (const e of events) {
      if (e.type !== 'ticket.updated' || e.payload.command !== 'set_waiting') continue;
      loopRuns++;
      const [row] = await loopDb!.select({ waiting: tickets.waitingOnCustomer }).from(tickets).where(eq(tickets.id, e.payload.ticketId));
      await applyTransition({
        db: loopDb!, actor: SYSTEM_ACTOR, ticketId: e.payload.ticketId,
        transition: { command: 'set_waiting', waiting: !row!.waiting }, cause: causedBy(e, 'test-loop'),
      });
    }
  },
});

// Sees every ticket.updated, including the automation's own.
const observed: DomainEvent[] = [];
registerSubscriber({ name: 'test-observer', types: ['ticket.updated'], async handle(_ctx, events) { observed.push(...events); } });

describe.each(backends)('domain events on $name', (backend) => {
  let t: TestApp;
  let agent: Person;
  let handler: Person;
  let categoryId: string;
  beforeAll(async () => {
    t = await createTestApp(backend);
    loopDb = t.db;
    const dept = await makeDepartment(t.db);
    agent = await person(t, 'agent');
    handler = await person(t, 'handler', [dept.id]);
    categoryId = (await makeCategory(t.db, { defaultDepartmentId: dept.id, defaultOwnerId: handler.id })).id;
  });
  afterAll(async () => { await t?.close(); });

  const drain = async () => {
    for (let i = 0; i < 20; i++) {
      // Due rows only: a failed row waits out its backoff, so run with no delay in tests.
      await t.db.update(outbox).set({ runAt: new Date(0) }).where(eq(outbox.status, 'pending'));
      if (await runOutboxOnce({ db: t.db, instanceId: 'events-test', backoff: () => 0 }) === 0) return;
    }
  };

  it('creates the ticket registered, then routes it by a system transition event of its own', async () => {
    const res = await createTicketRequest(t, agent.headers, ticketBody(categoryId));
    expect(res.statusCode).toBe(201);
    const id = json(res).id as string;
    const events = await t.db.select().from(auditEvents).where(eq(auditEvents.ticketId, id)).orderBy(auditEvents.seq);
    expect(events.map((e) => [e.seq, e.type, e.actorKind])).toEqual([[1, 'ticket.created', 'user'], [2, 'ticket.assigned', 'system']]);
    expect(events[0]!.after).toMatchObject({ status: 'registered' });
    expect(events[1]!.before).toMatchObject({ status: 'registered' });
    expect(events[1]!.after).toMatchObject({ status: 'assigned', ownerId: handler.id });
  });

  it('validates every published payload against the catalog, when written and when read', async () => {
    const res = await createTicketRequest(t, agent.headers, ticketBody(categoryId));
    const id = json(res).id as string;
    for (const command of [{ command: 'accept' }, { command: 'set_waiting', waiting: true }, { command: 'escalate', reason: '客户投诉' }]) {
      const step = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/transitions`, headers: handler.headers, payload: command });
      expect(step.statusCode).toBe(200);
    }
    const rows = await t.db.select().from(outbox).where(eq(outbox.kind, 'event'));
    const mine = rows.map((r) => (r.payload as { event: unknown }).event).filter((e) => (e as DomainEvent).payload.ticketId === id);
    expect(new Set(mine.map((e) => (e as DomainEvent).type))).toEqual(new Set(['ticket.created', 'ticket.assigned', 'ticket.status_changed', 'ticket.updated', 'ticket.escalated']));
    for (const e of mine) expect(() => parseDomainEvent(e)).not.toThrow();

    // A payload that does not match its type is refused at publishing…
    expect(() => domainEvent('ticket.status_changed', { ticketId: id, number: 'x', title: 'y', command: 'accept', from: 'assigned', to: 'nowhere' } as never, { actor: SYSTEM_ACTOR, at: new Date() }))
      .toThrow(/payload\.to/);
    // …and a stored row that no longer matches goes dead with the reason instead of reaching a subscriber.
    const bad = { ...(mine[0] as DomainEvent), payload: { ticketId: id } };
    await t.db.insert(outbox).values({ id: crypto.randomUUID(), kind: 'event', payload: { subscriber: 'notifications', event: bad } });
    await drain();
    const dead = (await t.db.select().from(outbox).where(eq(outbox.status, 'dead')))
      .filter((r) => (r.payload as { event: { payload: { ticketId: string } } }).event.payload.ticketId === id);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.lastError).toMatch(/invalid at event/);
  });

  it('keeps the command when a subscriber fails, and retries the subscriber until it succeeds', async () => {
    const id = json(await createTicketRequest(t, agent.headers, ticketBody(categoryId))).id as string;
    failuresLeft = 2;
    const step = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/transitions`, headers: handler.headers, payload: { command: 'accept' } });
    expect(step.statusCode).toBe(200);
    await runOutboxOnce({ db: t.db, instanceId: 'events-test', backoff: () => 0 });
    // The subscriber failed; the command stands.
    const [row] = await t.db.select().from(tickets).where(eq(tickets.id, id));
    expect(row!.status).toBe('analyzing');
    expect(seen.filter((e) => e.payload.ticketId === id)).toHaveLength(0);
    const [pending] = (await t.db.select().from(outbox).where(eq(outbox.kind, 'event')))
      .filter((r) => (r.payload as { subscriber: string; event: DomainEvent }).subscriber === 'test-flaky'
        && (r.payload as { event: DomainEvent }).event.payload.ticketId === id);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('webhook endpoint down') });
    await drain();
    expect(seen.filter((e) => e.payload.ticketId === id).map((e) => e.type)).toEqual(['ticket.status_changed']);
  });

  it('stops automation that reacts to its own changes (no self-trigger loop)', async () => {
    const id = json(await createTicketRequest(t, agent.headers, ticketBody(categoryId))).id as string;
    loopRuns = 0;
    const step = await t.app.inject({
      method: 'POST', url: `/api/v1/tickets/${id}/transitions`, headers: agent.headers, payload: { command: 'set_waiting', waiting: true },
    });
    expect(step.statusCode).toBe(200);
    await drain();
    // The person's change ran the automation once; the automation's own change did not run it again.
    expect(loopRuns).toBe(1);
    const waits = (await t.db.select().from(auditEvents).where(eq(auditEvents.ticketId, id))).filter((e) => e.type === 'ticket.set_waiting');
    expect(waits.map((e) => e.actorKind)).toEqual(['user', 'system']);
    const mine = observed.filter((e) => e.payload.ticketId === id);
    expect(mine.map((e) => [e.actor.kind, e.cause])).toEqual([
      ['user', { depth: 0, automations: [] }],
      ['system', { depth: 1, automations: ['test-loop'] }],
    ]);
  });
});
