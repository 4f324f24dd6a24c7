/**
 * E-mail out to customers: a staff member's PUBLIC comment on a ticket whose customer has an
 * e-mail address goes out through the mail outbox (template customer_reply), threaded so the
 * customer's answer comes back onto the ticket (mail-in/threading.ts). Internal notes never go
 * out; the customer's own comments (from the portal or from e-mail) are never mailed back.
 * Idempotent by the event id (the delivery's source key).
 */
import type { DomainEvent } from '@closeloop/contract';
import { sqlOf } from '../db/client.js';
import { enqueueEmail } from '../mail/enqueue-email.js';
import type { Subscriber } from '../events/subscribers.js';
import { CUSTOMER_MAIL_SUBSCRIPTION } from '../events/subscriptions.js';

const LOAD = `select t.number, t.title, c.body, cu.email, cu.name, u.display_name as by_name
  from comments c join tickets t on t.id = c.ticket_id join customers cu on cu.id = t.customer_id
  left join users u on u.id = c.author_id
  where c.id = $1::uuid and c.visibility = 'public'`;

export const customerMailSubscriber: Subscriber = {
  ...CUSTOMER_MAIL_SUBSCRIPTION,
  async handle(ctx, events) {
    for (const e of events as DomainEvent[]) {
      if (e.type !== 'comment.added') continue;
      const p = e.payload;
      if (p.visibility !== 'public' || p.authorRole === 'customer') continue;
      const [row] = await sqlOf(ctx.db).query<{ number: string; title: string; body: string; email: string | null; name: string; by_name: string | null }>(
        LOAD, [p.commentId], 'customer_mail_load_v1',
      );
      if (!row?.email) continue;
      await ctx.db.transaction((tx) => enqueueEmail({
        tx, to: { address: row.email!, name: row.name }, locale: 'zh-CN', kind: 'customer_reply',
        data: { number: row.number, title: row.title, body: row.body, by: row.by_name }, sourceKey: `${e.id}:customer-mail`,
        ticketId: p.ticketId,
      }));
    }
  },
};
