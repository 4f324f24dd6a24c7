/** The admin view of an outbox row. */
import type { OutboxItem } from '@closeloop/contract';
import type { OutboxRow } from './handlers.js';

export function toOutboxItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    kind: row.kind,
    payload: row.payload,
    dedupeKey: row.dedupeKey,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    runAt: row.runAt.toISOString(),
    lockedBy: row.lockedBy,
    lockedUntil: row.lockedUntil?.toISOString() ?? null,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    processedAt: row.processedAt?.toISOString() ?? null,
  };
}
