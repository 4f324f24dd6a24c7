/** The admin view of an e-mail delivery. */
import type { EmailDelivery } from '@closeloop/contract';
import type { emailDeliveries } from '../db/schema.js';
import { skipReasonOf } from './skip-reasons.js';

export function toEmailDelivery(row: typeof emailDeliveries.$inferSelect, userName: string | null): EmailDelivery {
  return {
    id: row.id,
    userId: row.userId,
    recipientName: userName ?? row.displayName,
    address: row.address,
    locale: row.locale,
    kind: row.kind,
    ticketId: row.ticketId,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    skipReason: row.status === 'skipped' ? skipReasonOf(row.lastError) : null,
    messageId: row.messageId,
    notBefore: row.notBefore.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
