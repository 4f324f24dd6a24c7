/**
 * The notifications subscriber: in-app notifications for the domain events people must act on
 * — a ticket assigned to them, an escalation in their department, a customer's comment on their
 * ticket. Texts are rendered at delivery in each recipient's language. Idempotent: a
 * notification's source key is `<event id>:<recipient>`, so a repeated delivery adds nothing.
 * Each notification also records its e-mail (mail/record-email-deliveries.ts) under the same
 * key; a kind switched off for the in-app channel adds no in-app row but may still be e-mailed.
 */
import type { DomainEvent } from '@closeloop/contract';
import { sqlOf } from '../db/client.js';
import { newId } from '../db/util.js';
import type { Subscriber, SubscriberContext } from '../events/subscribers.js';
import { NOTIFICATIONS_SUBSCRIPTION } from '../events/subscriptions.js';
import { peopleById } from '../people/people-cache.js';
import { escalationRecipients } from './escalation-recipients.js';
import { queueRecipients } from '../routing/queue-recipients.js';
import { recordEmailDeliveries, type UserEmailItem } from '../mail/record-email-deliveries.js';
import { messages, type MessageLocale } from './messages.js';

/**
 * Many notifications in one statement; a source key seen before adds nothing, and neither does a
 * kind the recipient switched off in-app (notifications/get-notification-preferences.ts).
 */
const INSERT_NOTIFICATIONS = `insert into notifications (id, user_id, kind, title, body, ticket_id, source_key)
  select n.id, n."userId", n.kind, n.title, n.body, n."ticketId", n."sourceKey"
  from jsonb_to_recordset($1::text::jsonb) as n(id uuid, "userId" uuid, kind text, title text, body text, "ticketId" uuid, "sourceKey" text)
  where not exists (select 1 from notification_preferences p
    where p.user_id = n."userId" and p.kind = n.kind and p.channel = 'in_app' and not p.enabled)
  on conflict (source_key) do nothing`;

interface Pending {
  event: DomainEvent;
  userId: string;
  kind: string;
  text: (locale: MessageLocale, byName: string | null) => { title: string; body: string | null };
  /** What the e-mail template of `kind` needs (mail/templates.ts); rendered when it is sent. */
  emailData: (byName: string | null) => Record<string, unknown>;
}

async function recipientsOf(ctx: SubscriberContext, event: DomainEvent): Promise<Pending[]> {
  const self = event.actor.userId;
  switch (event.type) {
    case 'ticket.assigned': {
      const { to, from, number, title } = event.payload;
      if (!to.ownerId && to.departmentId && (to.departmentId !== from.departmentId || from.ownerId)) {
        // Routed to a team without a person: its members' queue (待领取), and their bells ring.
        const ids = (await queueRecipients(ctx.db, { departmentId: to.departmentId, skillGroupId: event.payload.skillGroupId }))
          .filter((id) => id !== self);
        return ids.map((userId) => ({
          event, userId, kind: 'ticket_queued',
          text: (locale: MessageLocale) => messages[locale].ticketQueued({ number, title }),
          emailData: () => ({ number, title }),
        }));
      }
      // Telling people about their own action is noise: self-assignment notifies nobody.
      if (!to.ownerId || to.ownerId === from.ownerId || to.ownerId === self) return [];
      return [{
        event, userId: to.ownerId, kind: 'ticket_assigned',
        text: (locale, by) => messages[locale].ticketAssigned({ number, title, by }),
        emailData: (by) => ({ number, title, by }),
      }];
    }
    case 'ticket.escalated': {
      const ids = (await escalationRecipients(ctx.db, event.payload.departmentId)).filter((id) => id !== self);
      const { number, title, reason } = event.payload;
      return ids.map((userId) => ({
        event, userId, kind: 'ticket_escalated', text: () => ({ title: `${number} ${title}`, body: reason }),
        emailData: () => ({ number, title, reason }),
      }));
    }
    case 'comment.added': {
      const { authorRole, ownerId, number, excerpt } = event.payload;
      if (authorRole !== 'customer' || !ownerId) return [];
      return [{
        event, userId: ownerId, kind: 'ticket_customer_comment',
        text: (locale) => messages[locale].customerCommented({ number, excerpt }),
        emailData: () => ({ number, excerpt }),
      }];
    }
    default:
      return [];
  }
}

export const notificationsSubscriber: Subscriber = {
  ...NOTIFICATIONS_SUBSCRIPTION,
  async handle(ctx, events) {
    const pending: Pending[] = [];
    for (const e of events) pending.push(...await recipientsOf(ctx, e));
    if (!pending.length) return;
    const people = await peopleById(ctx.db, [
      ...pending.map((p) => p.userId),
      ...pending.flatMap((p) => (p.event.actor.userId ? [p.event.actor.userId] : [])),
    ]);
    const emails: UserEmailItem[] = [];
    const values = pending.flatMap((p) => {
      const recipient = people.get(p.userId);
      // A removed or deactivated user stays so: retrying would not help.
      if (!recipient || !recipient.active || recipient.role === 'customer') return [];
      const byName = p.event.actor.userId ? people.get(p.event.actor.userId)?.displayName ?? null : null;
      const text = p.text(recipient.locale, byName);
      const sourceKey = `${p.event.id}:${recipient.id}`;
      const ticketId = p.event.payload.ticketId;
      emails.push({ sourceKey, userId: recipient.id, kind: p.kind, data: p.emailData(byName), ticketId, at: new Date(p.event.at) });
      return [{ id: newId(), userId: recipient.id, kind: p.kind, title: text.title, body: text.body, ticketId, sourceKey }];
    });
    if (values.length) {
      await sqlOf(ctx.db).query(INSERT_NOTIFICATIONS, [JSON.stringify(values)], 'notifications_insert_v1');
      // After the in-app rows: a crash between the two repeats both, and both are idempotent.
      await recordEmailDeliveries({ db: ctx.db, items: emails });
    }
  },
};
