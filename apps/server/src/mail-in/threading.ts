/**
 * Threading headers of a staff reply mailed to a customer: Reply-To a signed reply address,
 * In-Reply-To the customer's latest message, References the ticket's messages (oldest first,
 * the last 20), the subject token; and the outgoing Message-ID recorded for the ticket before
 * sending, so the customer's answer finds the ticket by In-Reply-To even without the address.
 */
import type { Db } from '../db/client.js';
import { sqlOf } from '../db/client.js';
import { mailMessages } from '../db/schema.js';
import { newId } from '../db/util.js';
import { replyAddress, subjectToken, type ReplyKeys } from './reply-address.js';

const CHAIN = `select m.message_id, m.direction, t.number from tickets t
  left join lateral (select message_id, direction, created_at from mail_messages
    where ticket_id = t.id and message_id <> $2::text and outcome in ('ticket', 'comment', 'sent')
    order by created_at desc, id desc limit 20) m on true
  where t.id = $1::uuid order by m.created_at nulls last`;

export async function threadingOf(db: Db, o: {
  ticketId: string; messageId: string; deliveryId: string; subject: string; address: string; reply: ReplyKeys | undefined;
}): Promise<{ subject: string; headers: { replyTo?: string; inReplyTo?: string; references?: string[] } }> {
  const rows = await sqlOf(db).query<{ message_id: string | null; direction: string | null; number: string }>(
    CHAIN, [o.ticketId, o.messageId], 'mail_out_chain_v1',
  );
  await db.insert(mailMessages).values({
    id: newId(), messageId: o.messageId, direction: 'out', outcome: 'sent', ticketId: o.ticketId,
    fromAddress: null, subject: o.subject, source: `delivery:${o.deliveryId}`,
  }).onConflictDoNothing({ target: mailMessages.messageId });
  const chain = rows.filter((r) => r.message_id).map((r) => r.message_id!);
  const lastIn = rows.filter((r) => r.direction === 'in').at(-1)?.message_id ?? chain.at(-1);
  const keys = o.reply ?? { domain: undefined, secret: undefined };
  const token = rows[0] ? subjectToken(keys, rows[0].number) : null;
  const replyTo = replyAddress(keys, o.ticketId);
  return {
    subject: token && !o.subject.includes(token) ? `${o.subject} ${token}` : o.subject,
    headers: {
      ...(replyTo ? { replyTo } : {}),
      ...(lastIn ? { inReplyTo: lastIn } : {}),
      ...(chain.length ? { references: chain } : {}),
    },
  };
}
