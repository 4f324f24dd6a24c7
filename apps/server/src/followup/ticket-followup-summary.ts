/** Everything the staff ticket page's 回访 card shows, in one read. */
import { desc, eq, and } from 'drizzle-orm';
import type { TicketFollowupSummary } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { followUpLinks, followUps, followUpTimers, tickets, users } from '../db/schema.js';
import { findVisibleTicket } from '../tickets/access.js';
import { listTicketChecks } from './effectiveness-checks.js';
import { followupSettingsOf } from './followup-settings.js';
import { listTicketLinks } from './repeat-complaints.js';

export async function ticketFollowupSummary(opts: { db: Db; actor: Actor; ticketId: string; now?: Date }): Promise<TicketFollowupSummary> {
  const { db, ticketId } = opts;
  const now = opts.now ?? new Date();
  await findVisibleTicket({ db, actor: opts.actor, ticketId });
  const [t] = await db.select({ number: tickets.number, title: tickets.title, categoryId: tickets.categoryId })
    .from(tickets).where(eq(tickets.id, ticketId));
  const [link] = await db.select().from(followUpLinks).where(eq(followUpLinks.ticketId, ticketId))
    .orderBy(desc(followUpLinks.createdAt)).limit(1);
  const [timer] = await db.select({ dueAt: followUpTimers.dueAt }).from(followUpTimers)
    .where(and(eq(followUpTimers.ticketId, ticketId), eq(followUpTimers.status, 'pending')));
  const answers = await db.select({ f: followUps, name: users.displayName }).from(followUps)
    .leftJoin(users, eq(users.id, followUps.byUserId)).where(eq(followUps.ticketId, ticketId)).orderBy(followUps.at);
  const linkStatus = !link ? 'none' as const
    : link.usedAt ? 'used' as const
      : link.supersededAt ? 'superseded' as const
        : link.expiresAt.getTime() <= now.getTime() ? 'expired' as const : 'active' as const;
  return {
    link: {
      status: linkStatus, sentTo: link?.sentTo ?? null,
      createdAt: link?.createdAt.toISOString() ?? null, expiresAt: link?.expiresAt.toISOString() ?? null,
    },
    autoCloseAt: timer?.dueAt.toISOString() ?? null,
    followUps: answers.map(({ f, name }) => ({
      id: f.id, channel: f.channel, solved: f.solved, rating: f.rating, customerWords: f.customerWords,
      by: f.byUserId && name ? { id: f.byUserId, displayName: name } : null, at: f.at.toISOString(),
    })),
    effectiveness: await listTicketChecks(db, ticketId, t!),
    links: await listTicketLinks(db, ticketId),
    settings: await followupSettingsOf(db, t!.categoryId),
  };
}
