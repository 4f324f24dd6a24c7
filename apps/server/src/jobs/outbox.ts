/**
 * Enqueues a side effect as an outbox row inside the command's transaction. The runner
 * (jobs/runner.ts) carries it out after commit. A dedupe key makes enqueueing idempotent.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { outbox } from '../db/schema.js';
import { newId } from '../db/util.js';

/** Kinds of outbox rows and their payloads; the runner has one handler per kind. */
export interface OutboxPayloads {
  /** Tell a user a ticket was assigned to them (in-app notification). */
  'notify.ticket_assigned': { ticketId: string; userId: string; by: string | null };
  /** Generic in-app notification to users. */
  'notify.users': { userIds: string[]; kind: string; title: string; body?: string | null; ticketId?: string | null };
  /** Test-only and diagnostics kind. */
  'test.echo': Record<string, unknown>;
}
export type OutboxKind = keyof OutboxPayloads;

export async function enqueue<K extends OutboxKind>(
  tx: Tx,
  item: { kind: K; payload: OutboxPayloads[K]; dedupeKey?: string; runAt?: Date; maxAttempts?: number },
): Promise<void> {
  await tx.insert(outbox).values({
    id: newId(),
    kind: item.kind,
    payload: item.payload as Record<string, unknown>,
    dedupeKey: item.dedupeKey ?? null,
    runAt: item.runAt ?? sql`now()` as unknown as Date,
    maxAttempts: item.maxAttempts ?? 8,
  }).onConflictDoNothing({ target: outbox.dedupeKey });
}
