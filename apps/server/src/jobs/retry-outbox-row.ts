/**
 * An admin sends a dead outbox row back to pending (after fixing what made it fail): it gets a
 * fresh set of attempts and runs at the next poll. The last error stays visible until it succeeds.
 */
import { eq, sql } from 'drizzle-orm';
import type { OutboxItem } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { outbox } from '../db/schema.js';
import { AppError, notFound } from '../http/app-error.js';
import { toOutboxItem } from './outbox-view.js';
import { wakeRunners } from './runner.js';

export async function retryOutboxRow(opts: { db: Db; actor: Actor; id: string }): Promise<OutboxItem> {
  const { db, actor, id } = opts;
  const row = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(outbox).where(eq(outbox.id, id)).for('update');
    if (!current) throw notFound('outbox row');
    if (current.status !== 'dead') {
      throw new AppError('CONFLICT', `only a dead row can be retried; this one is ${current.status}`);
    }
    const [updated] = await tx
      .update(outbox)
      .set({ status: 'pending', attempts: 0, runAt: sql`now()`, lockedBy: null, lockedUntil: null, processedAt: null })
      .where(eq(outbox.id, id))
      .returning();
    await appendEvent({
      tx, actor, chain: `outbox:${id}`, type: 'outbox.retried',
      before: { status: current.status, attempts: current.attempts, lastError: current.lastError },
      after: { status: 'pending', attempts: 0 },
      data: { kind: current.kind },
    });
    return updated!;
  });
  wakeRunners();
  return toOutboxItem(row);
}
