/** Staff correct a customer's name or set their tier (客户分层), which SLA policies match on. */
import { eq, sql } from 'drizzle-orm';
import type { Customer, CustomerUpdate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { customers } from '../db/schema.js';
import { appendEvent } from '../audit/append-event.js';
import { notFound } from '../http/app-error.js';
import { customerChain, toCustomer } from './customer-view.js';

export async function updateCustomer(opts: { db: Db; actor: Actor; id: string; input: CustomerUpdate }): Promise<Customer> {
  const { db, actor, id, input } = opts;
  const row = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(customers).where(eq(customers.id, id)).for('update').limit(1);
    if (!current) throw notFound('customer');
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (input.name !== undefined && input.name !== current.name) {
      before.name = current.name;
      after.name = input.name;
    }
    if (input.tier !== undefined && input.tier !== current.tier) {
      before.tier = current.tier;
      after.tier = input.tier;
    }
    if (Object.keys(after).length === 0) return current;
    const [updated] = await tx.update(customers).set({ ...after, updatedAt: sql`now()` })
      .where(eq(customers.id, id)).returning();
    await appendEvent({ tx, actor, chain: customerChain(id), type: 'customer.updated', before, after });
    return updated!;
  });
  return toCustomer(db, row);
}
