/**
 * Adds a phone, e-mail or external id to a customer, so the next ticket from that channel finds
 * the same person. An identity belongs to one customer; taking it from another is refused
 * (merging customers is a separate, deliberate act).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Customer, CustomerIdentityCreate, FieldError } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { customerIdentities, customers } from '../db/schema.js';
import { appendEvent } from '../audit/append-event.js';
import { AppError, notFound } from '../http/app-error.js';
import { customerChain, toCustomer } from './customer-view.js';
import { normalizeIdentity, type IdentityKind } from './normalize-identity.js';

const FIELDS: [keyof CustomerIdentityCreate, IdentityKind][] = [['phone', 'phone'], ['email', 'email'], ['externalId', 'external']];

function conflict(fields: FieldError[]): AppError {
  return new AppError('CONFLICT', `${fields[0]!.path}: ${fields[0]!.message}`, fields);
}

export async function addCustomerIdentities(opts: {
  db: Db; actor: Actor; customerId: string; input: CustomerIdentityCreate;
}): Promise<Customer> {
  const { db, actor, customerId, input } = opts;
  const wanted = FIELDS
    .filter(([field]) => input[field])
    .map(([field, kind]) => ({ field, kind, value: normalizeIdentity(kind, input[field]!) }));

  const row = await db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId)).for('update').limit(1);
    if (!customer) throw notFound('customer');
    const conflicts: FieldError[] = [];
    const added: typeof wanted = [];
    for (const w of wanted) {
      const [inserted] = await tx.insert(customerIdentities)
        .values({ kind: w.kind, value: w.value, customerId })
        .onConflictDoNothing()
        .returning({ customerId: customerIdentities.customerId });
      if (inserted) {
        added.push(w);
        continue;
      }
      const [holder] = await tx.select({ customerId: customerIdentities.customerId }).from(customerIdentities)
        .where(and(eq(customerIdentities.kind, w.kind), eq(customerIdentities.value, w.value))).limit(1);
      if (holder && holder.customerId !== customerId) {
        conflicts.push({ path: w.field, message: 'already belongs to another customer', code: 'conflict' });
      }
    }
    // Rolls back the identities inserted above: all or nothing.
    if (conflicts.length) throw conflict(conflicts);
    for (const w of added) {
      await appendEvent({ tx, actor, chain: customerChain(customerId), type: 'customer.identity_added', data: { kind: w.kind, value: w.value } });
      // The first phone / e-mail becomes the primary contact shown on tickets.
      if (w.kind === 'phone') {
        await tx.update(customers).set({ phone: w.value, updatedAt: sql`now()` }).where(and(eq(customers.id, customerId), isNull(customers.phone)));
      } else if (w.kind === 'email') {
        await tx.update(customers).set({ email: w.value, updatedAt: sql`now()` }).where(and(eq(customers.id, customerId), isNull(customers.email)));
      }
    }
    const [fresh] = await tx.select().from(customers).where(eq(customers.id, customerId)).limit(1);
    return fresh!;
  });
  return toCustomer(db, row);
}
