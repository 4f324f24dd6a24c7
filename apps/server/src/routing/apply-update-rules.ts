/**
 * Update rules (trigger `update`): after a ticket changed, the rules run again on it as the
 * system actor, in one transaction of their own (ticket locked, changes, audit events, outbox).
 * A rule version fires at most once per ticket (its firing event is the record), and what the
 * rules change is published with the subscriber in the cause, so the rules never receive the
 * events of their own changes (events/publish.ts) — no loops.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import type { DomainEvent, EventCause, Priority } from '@closeloop/contract';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { auditEvents, customers, tickets, ticketTags, ticketWatchers } from '../db/schema.js';
import { newId } from '../db/util.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { enqueueMany } from '../jobs/outbox.js';
import { decideTransition } from '../tickets/lifecycle.js';
import { PRIORITY_RANK } from '../tickets/priority.js';
import { ticketRowColumns } from '../tickets/ticket-row.js';
import { publishedEvents } from '../tickets/transition-events.js';
import { businessHours } from './business-hours.js';
import { evaluateRules, normalizeRuleText } from './evaluate-rules.js';
import { pickGroupMember } from './pick-group-member.js';
import { firingData } from './route-intake.js';
import { loadRoutingData } from './routing-cache.js';

const TERMINAL = new Set(['closed', 'cancelled']);

export async function applyUpdateRules(opts: { db: Db; ticketId: string; cause: EventCause; now?: Date }): Promise<number> {
  const { db, ticketId, cause } = opts;
  const data = await loadRoutingData(db);
  const rules = data.rules.update;
  if (!rules.length) return 0;
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  const isBusinessTime = await businessHours(db);
  return db.transaction(async (tx) => {
    const [ticket] = await tx.select(ticketRowColumns).from(tickets).where(eq(tickets.id, ticketId)).for('update');
    if (!ticket || TERMINAL.has(ticket.status)) return 0;
    const [cust] = await tx.select({ tier: customers.tier }).from(customers).where(eq(customers.id, ticket.customerId));
    const tagRows = await tx.select({ tagId: ticketTags.tagId }).from(ticketTags)
      .where(and(eq(ticketTags.ticketId, ticketId), ne(ticketTags.state, 'removed')));
    const firedBefore = await tx.select({ data: auditEvents.data }).from(auditEvents)
      .where(and(eq(auditEvents.ticketId, ticketId), eq(auditEvents.type, 'ticket.rule_fired')));
    const done = new Set(firedBefore.map((e) => `${String(e.data?.ruleId)}@${String(e.data?.version)}`));
    const fresh = rules.filter((r) => !done.has(`${r.id}@${r.version}`));
    if (!fresh.length) return 0;

    const { results, outcome } = evaluateRules({
      rules: fresh,
      facts: {
        categoryId: ticket.categoryId, channel: ticket.channel, priority: ticket.priority as Priority, urgency: ticket.urgency,
        customerTier: cust?.tier ?? 'regular', productModel: ticket.product.model,
        text: normalizeRuleText([ticket.title, ticket.description, ticket.scene, ticket.phenomenon]),
        tagIds: new Set(tagRows.map((r) => r.tagId)), customFields: ticket.customFields, at: now,
      },
      env: { groupDepartment: (id) => { const g = data.groups.get(id); return g?.active ? g.departmentId : null; }, isBusinessTime },
    });
    const fired = results.filter((r) => r.matched);
    if (!fired.length) return 0;
    const origin = { actor: SYSTEM_ACTOR, at: now, cause };
    const ref = { ticketId, number: ticket.number, title: ticket.title };
    const events: DomainEvent[] = [];

    // Fields first (priority, category), one row update.
    const fields: Record<string, unknown> = {};
    if (outcome.priority !== ticket.priority) Object.assign(fields, { priority: outcome.priority, priorityRank: PRIORITY_RANK[outcome.priority] });
    if (outcome.categoryId !== ticket.categoryId) fields.categoryId = outcome.categoryId;
    let current = ticket;
    if (Object.keys(fields).length) {
      const [row] = await tx.update(tickets).set({ ...fields, version: ticket.version + 1, updatedAt: now })
        .where(eq(tickets.id, ticketId)).returning(ticketRowColumns);
      current = row!;
      events.push(domainEvent('ticket.updated', { ...ref, command: null, fields: Object.keys(fields).filter((k) => k !== 'priorityRank') }, origin));
    }
    for (const r of fired) {
      await appendEvent({ tx, actor: SYSTEM_ACTOR, chain: ticketChain(ticketId), ticketId, type: 'ticket.rule_fired', at: now, chainLocked: true, data: firingData(r.rule, r.changes) });
    }
    // Team / owner through the lifecycle's reassign, as the system actor.
    if (outcome.routed) {
      let ownerId = outcome.ownerId;
      if (!ownerId && outcome.skillGroupId) {
        ownerId = await pickGroupMember({
          db: tx as unknown as Db, skillGroupId: outcome.skillGroupId, now, ticketId,
          strategy: data.groups.get(outcome.skillGroupId)?.strategy,
        });
      }
      const transition = { command: 'reassign' as const, departmentId: outcome.departmentId ?? undefined, ownerId, reason: 'rule' };
      if (outcome.departmentId !== current.departmentId || ownerId !== current.ownerId) {
        const decision = decideTransition({ ticket: current, actor: SYSTEM_ACTOR, transition, now });
        if (decision.ok) {
          const [row] = await tx.update(tickets).set({ ...decision.patch, updatedAt: now, version: current.version + 1 })
            .where(eq(tickets.id, ticketId)).returning(ticketRowColumns);
          await appendEvent({
            tx, actor: SYSTEM_ACTOR, chain: ticketChain(ticketId), ticketId, type: decision.eventType, at: now, chainLocked: true,
            before: { departmentId: current.departmentId, ownerId: current.ownerId }, after: { departmentId: row!.departmentId, ownerId: row!.ownerId },
            data: { departmentId: transition.departmentId ?? null, ownerId, reason: 'rule' },
          });
          events.push(...publishedEvents({ before: current, after: row!, command: 'reassign', data: { reason: 'rule' }, patch: decision.patch, origin }));
          current = row!;
        }
      }
    }
    if (outcome.tagIds.length) {
      await tx.insert(ticketTags).values(outcome.tagIds.filter((id) => data.tags.get(id)?.active).map((tagId) => ({
        ticketId, tagId, source: 'rule' as const, state: 'confirmed' as const, createdAt: now,
      }))).onConflictDoNothing();
    }
    if (outcome.watcherIds.length) {
      await tx.execute(sql`insert into ${ticketWatchers} (ticket_id, user_id, added_by)
        select ${ticketId}::uuid, u.id, 'rule' from users u where u.id in (${sql.join(outcome.watcherIds.map((id) => sql`${id}::uuid`), sql`, `)}) and u.active
        on conflict do nothing`);
    }
    const notify = fired.filter((r) => r.changes.notifyUserIds?.length).map((r) => ({
      id: newId(), kind: 'notify.users' as const, dedupeKey: `rule-notify:${ticketId}:${r.rule.id}:${r.rule.version}`,
      payload: { userIds: r.changes.notifyUserIds!, kind: 'rule_notify', ticketId, title: `${ticket.number} ${ticket.title}`, body: `规则『${r.rule.name}』已执行` },
    }));
    await enqueueMany(tx, [...eventOutboxRows(events), ...notify]);
    return fired.length;
  });
}
