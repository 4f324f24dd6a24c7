/**
 * The follow-up domain's subscriber (after commit, from the outbox):
 * - a ticket enters follow_up → the customer's link is issued and e-mailed, silence timer armed;
 * - it leaves follow_up → the silence timer is cancelled and unused links superseded;
 * - it closes in a category with an effectiveness check → the check is scheduled for its owner;
 * - it is reopened → pending effectiveness checks are cancelled;
 * - ticket.created → possible repeats of the same customer and model are suggested;
 * - it leaves analysis with a plan (plan_review) → repeats of the same model and root cause.
 * Idempotent: links by the event (issue-follow-up-link.ts), checks one pending per ticket,
 * suggestions by their unique pair.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { DomainEvent } from '@closeloop/contract';
import { followUpLinks, followUpTimers, tickets } from '../db/schema.js';
import { causedBy } from '../events/publish.js';
import type { Subscriber } from '../events/subscribers.js';
import { FOLLOWUP_SUBSCRIPTION } from '../events/subscriptions.js';
import { cancelPendingChecks, scheduleEffectivenessCheck } from './effectiveness-checks.js';
import { followupSettingsOf } from './followup-settings.js';
import { issueFollowUpLink } from './issue-follow-up-link.js';
import { suggestRepeats, suggestRepeatsForNewTickets } from './repeat-complaints.js';
import { FOLLOWUP_SUBSCRIBER } from './subscriber-name.js';

export const followupSubscriber: Subscriber = {
  ...FOLLOWUP_SUBSCRIPTION,
  async handle(ctx, events) {
    await suggestRepeatsForNewTickets({
      db: ctx.db,
      tickets: events.flatMap((e) => (e.type === 'ticket.created'
        ? [{ ticketId: e.payload.ticketId, cause: causedBy(e as DomainEvent, FOLLOWUP_SUBSCRIBER) }] : [])),
    });
    for (const e of events) {
      const cause = causedBy(e as DomainEvent, FOLLOWUP_SUBSCRIBER);
      if (e.type !== 'ticket.status_changed') continue;
      const { ticketId, from, to } = e.payload;
      if (to === 'follow_up') {
        await issueFollowUpLink({ db: ctx.db, ticketId, sourceEventId: e.id, sourceEventAt: new Date(e.at), cause });
      } else if (from === 'follow_up') {
        await ctx.db.update(followUpTimers).set({ status: 'cancelled' })
          .where(and(eq(followUpTimers.ticketId, ticketId), eq(followUpTimers.status, 'pending')));
        await ctx.db.update(followUpLinks).set({ supersededAt: new Date(e.at) })
          .where(and(eq(followUpLinks.ticketId, ticketId), isNull(followUpLinks.usedAt), isNull(followUpLinks.supersededAt)));
      }
      if (to === 'closed') {
        const [t] = await ctx.db.select({ categoryId: tickets.categoryId, ownerId: tickets.ownerId, status: tickets.status, closedAt: tickets.closedAt })
          .from(tickets).where(eq(tickets.id, ticketId));
        if (t?.status === 'closed') {
          const settings = await followupSettingsOf(ctx.db, t.categoryId);
          if (settings.effectivenessDays) {
            await scheduleEffectivenessCheck({
              db: ctx.db, ticketId, ownerId: t.ownerId, closedAt: t.closedAt ?? new Date(e.at), days: settings.effectivenessDays,
            });
          }
        }
      }
      if (from === 'closed' && to !== 'closed') await cancelPendingChecks(ctx.db, ticketId);
      if (to === 'plan_review') {
        await suggestRepeats({ db: ctx.db, ticketId, reason: 'same_model_root_cause', cause });
      }
    }
  },
};
