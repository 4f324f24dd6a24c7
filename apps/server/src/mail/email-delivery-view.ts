/** The admin view of an e-mail delivery. */
import type { EmailDelivery } from '@closeloop/contract';
import type { emailDeliveries } from '../db/schema.js';

export function toEmailDelivery(row: typeof emailDeliveries.$inferSelect): EmailDelivery {
  return {
    id: row.id,
    userId: row.userId,
    address: row.address,
    locale: row.locale,
    kind: row.kind,
    ticketId: row.ticketId,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    messageId: row.messageId,
    notBefore: row.notBefore.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
