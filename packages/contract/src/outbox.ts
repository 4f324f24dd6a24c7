import { z } from 'zod';
import { zId, zInstant } from './common.js';

/** pending → processing → done, or dead after its last failed attempt (admin may retry it). */
export const OUTBOX_STATUSES = ['pending', 'processing', 'done', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export const zOutboxStatus = z.enum(OUTBOX_STATUSES);

export const zOutboxItem = z.object({
  id: zId,
  kind: z.string(),
  payload: z.record(z.string(), z.unknown()),
  dedupeKey: z.string().nullable(),
  status: zOutboxStatus,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  runAt: zInstant,
  lockedBy: z.string().nullable(),
  lockedUntil: zInstant.nullable(),
  lastError: z.string().nullable(),
  createdAt: zInstant,
  processedAt: zInstant.nullable(),
});
export type OutboxItem = z.infer<typeof zOutboxItem>;

export const zOutboxListQuery = z.object({
  status: zOutboxStatus.optional(),
  kind: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The id of the last item of the previous page. */
  cursor: zId.optional(),
});
export type OutboxListQuery = z.infer<typeof zOutboxListQuery>;

export const zOutboxList = z.object({
  items: z.array(zOutboxItem),
  nextCursor: zId.nullable(),
  /** Rows per status over the whole outbox: the dead count is what an admin watches. */
  counts: z.object({ pending: z.number().int(), processing: z.number().int(), done: z.number().int(), dead: z.number().int() }),
});
export type OutboxList = z.infer<typeof zOutboxList>;
