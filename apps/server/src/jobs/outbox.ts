/**
 * Enqueues a side effect as an outbox row inside the command's transaction. The runner
 * (jobs/runner.ts) carries it out after commit. A dedupe key makes enqueueing idempotent.
 * Every kind has a zod schema: payloads are checked when written and again when read, so a row
 * that does not match its kind goes dead with the reason instead of reaching a handler.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { zDomainEvent, type DomainEvent } from '@closeloop/contract';
import type { Tx } from '../db/client.js';
import { outbox } from '../db/schema.js';
import { newId } from '../db/util.js';

export const OUTBOX_PAYLOADS = {
  /** A domain event for one subscriber (events/publish.ts writes these). */
  event: z.object({ subscriber: z.string().min(1), event: zDomainEvent }),
  /** Generic in-app notification to users. */
  'notify.users': z.object({
    userIds: z.array(z.string().uuid()),
    kind: z.string().min(1),
    title: z.string(),
    body: z.string().nullable().optional(),
    ticketId: z.string().uuid().nullable().optional(),
    /**
     * Deterministic idempotency key of the notification (`<sourceKey>:<user id>`), for senders
     * that must notify exactly once per fact (SLA escalations: ticket, clock, level); without
     * it the key is `<outbox row id>:<user id>`. The e-mail delivery uses the same key.
     */
    sourceKey: z.string().min(1).max(200).optional(),
    /**
     * The e-mail as a template and its data (mail/templates.ts), rendered when it is sent in the
     * recipient's language of that moment; without it the e-mail repeats title and body.
     */
    email: z.object({ template: z.string().min(1), data: z.record(z.string(), z.unknown()) }).optional(),
  }),
  /** One e-mail delivery (mail/send-email.ts); the row in email_deliveries holds the rest. */
  'email.send': z.object({ deliveryId: z.string().uuid() }),
  /** Test-only and diagnostics kind. */
  'test.echo': z.record(z.string(), z.unknown()),
} as const;

/** Kinds of outbox rows and their payloads; the runner has one handler per kind. */
export type OutboxPayloads = { [K in keyof typeof OUTBOX_PAYLOADS]: z.infer<(typeof OUTBOX_PAYLOADS)[K]> } & {
  event: { subscriber: string; event: DomainEvent };
};
export type OutboxKind = keyof typeof OUTBOX_PAYLOADS;

export function isOutboxKind(kind: string): kind is OutboxKind {
  return Object.hasOwn(OUTBOX_PAYLOADS, kind);
}

/** The payload of a stored row checked against its kind's schema; throws a readable error. */
export function parseOutboxPayload<K extends OutboxKind>(kind: K, payload: unknown): OutboxPayloads[K] {
  const parsed = OUTBOX_PAYLOADS[kind].safeParse(payload);
  if (parsed.success) return parsed.data as OutboxPayloads[K];
  const issue = parsed.error.issues[0];
  throw new Error(`payload of ${kind} is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
}

export async function enqueue<K extends OutboxKind>(
  tx: Tx,
  item: { kind: K; payload: OutboxPayloads[K]; dedupeKey?: string; runAt?: Date; maxAttempts?: number },
): Promise<void> {
  await enqueueMany(tx, [item]);
}

export async function enqueueMany(
  tx: Tx,
  items: ReadonlyArray<{ kind: OutboxKind; payload: unknown; dedupeKey?: string; runAt?: Date; maxAttempts?: number; id?: string }>,
): Promise<void> {
  if (!items.length) return;
  await tx.insert(outbox).values(items.map((item) => ({
    id: item.id ?? newId(),
    kind: item.kind,
    payload: parseOutboxPayload(item.kind, item.payload) as Record<string, unknown>,
    dedupeKey: item.dedupeKey ?? null,
    runAt: item.runAt ?? sql`now()` as unknown as Date,
    maxAttempts: item.maxAttempts ?? 8,
  }))).onConflictDoNothing({ target: outbox.dedupeKey });
}
