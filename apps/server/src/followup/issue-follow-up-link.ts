/**
 * Issues the customer's follow-up link when a ticket enters follow_up, in one transaction:
 * older links of the ticket are superseded, the new link stored (its token's hash only), the
 * e-mail recorded for delivery after commit (with the category's warranty notice), the silence
 * timer armed (auto-close after the category's days), the audit event and the published event.
 * Idempotent by the triggering event: a repeated delivery finds its link and does nothing.
 */
import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import type { EventCause } from '@closeloop/contract';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { customerIdentities, customers, followUpLinks, followUpTimers, tickets, users } from '../db/schema.js';
import { newId } from '../db/util.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { enqueueMany } from '../jobs/outbox.js';
import { enqueueEmail } from '../mail/enqueue-email.js';
import { followupSettingsOf, warrantyNoticeFor } from './followup-settings.js';
import { followupSecret, signFollowupToken, tokenHash } from './link-token.js';

const DAY_MS = 86_400_000;

export interface IssueLinkResult { linkId: string; token: string; sentTo: string | null; expiresAt: Date }

export async function issueFollowUpLink(opts: {
  db: Db; ticketId: string; sourceEventId: string; sourceEventAt: Date; now?: Date; cause?: EventCause;
}): Promise<IssueLinkResult | null> {
  const { db, ticketId } = opts;
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  const secret = await followupSecret(db);
  return db.transaction(async (tx) => {
    const [ticket] = await tx.select({
      id: tickets.id, number: tickets.number, title: tickets.title, status: tickets.status,
      categoryId: tickets.categoryId, customerId: tickets.customerId,
    }).from(tickets).where(eq(tickets.id, ticketId)).for('update');
    if (!ticket || ticket.status !== 'follow_up') return null;
    // A repeated delivery of the same event: the link it issued is there already.
    const [issued] = await tx.select({ id: followUpLinks.id }).from(followUpLinks).where(and(
      eq(followUpLinks.ticketId, ticketId), gte(followUpLinks.createdAt, opts.sourceEventAt),
    )).limit(1);
    if (issued) return null;
    const settings = await followupSettingsOf(tx, ticket.categoryId);

    const [customer] = await tx.select({ name: customers.name, email: customers.email }).from(customers)
      .where(eq(customers.id, ticket.customerId));
    const [identity] = await tx.select({ value: customerIdentities.value }).from(customerIdentities)
      .where(and(eq(customerIdentities.customerId, ticket.customerId), eq(customerIdentities.kind, 'email'))).limit(1);
    const [login] = await tx.select({ locale: users.locale }).from(users)
      .where(and(eq(users.customerId, ticket.customerId), eq(users.active, true))).limit(1);
    const locale = (login?.locale === 'en-US' ? 'en-US' : 'zh-CN') as 'zh-CN' | 'en-US';
    const address = identity?.value ?? customer?.email ?? null;

    await tx.update(followUpLinks).set({ supersededAt: now })
      .where(and(eq(followUpLinks.ticketId, ticketId), isNull(followUpLinks.usedAt), isNull(followUpLinks.supersededAt)));
    const linkId = newId(now.getTime());
    // Whole seconds: the token carries the expiry in seconds.
    const expiresAt = new Date(Math.floor((now.getTime() + settings.linkValidDays * DAY_MS) / 1000) * 1000);
    const token = signFollowupToken(secret, { linkId, ticketId, expiresAt });
    await tx.insert(followUpLinks).values({
      id: linkId, ticketId, tokenHash: tokenHash(token), expiresAt, sentTo: address, locale, createdAt: now,
    });

    if (address) {
      await enqueueEmail({
        tx, to: { address, name: customer?.name ?? null }, locale, kind: 'followup_request', ticketId,
        sourceKey: `followup:${opts.sourceEventId}`,
        data: {
          number: ticket.number, title: ticket.title, customerName: customer?.name ?? '',
          warrantyNotice: warrantyNoticeFor(settings, locale), expiresAt: expiresAt.toISOString(), linkId,
        },
      });
    }

    const dueAt = new Date(now.getTime() + settings.autoCloseDays * DAY_MS);
    await tx.insert(followUpTimers).values({
      id: newId(), ticketId, kind: 'silence', dueAt, payload: { silentDays: settings.autoCloseDays, linkId },
    }).onConflictDoUpdate({
      target: [followUpTimers.ticketId, followUpTimers.kind],
      set: { dueAt, status: 'pending', firedAt: null, payload: sql`excluded.payload` },
    });

    const data = { linkId, sentTo: address, expiresAt: expiresAt.toISOString(), autoCloseAt: dueAt.toISOString() };
    await appendEvent({ tx, actor: SYSTEM_ACTOR, chain: ticketChain(ticketId), ticketId, type: 'followup.link_sent', data, at: now, chainLocked: true });
    await enqueueMany(tx, eventOutboxRows([domainEvent('followup.link_sent', {
      ticketId, number: ticket.number, title: ticket.title, linkId, sentTo: address, expiresAt: expiresAt.toISOString(),
    }, { actor: SYSTEM_ACTOR, at: now, cause: opts.cause })]));
    return { linkId, token, sentTo: address, expiresAt };
  });
}
