/** Customers as the API shows them: primary contact, external ids and how many tickets they have. */
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Customer } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { customerIdentities, customers, tickets } from '../db/schema.js';
import { toNumber } from '../db/util.js';

export type CustomerRow = typeof customers.$inferSelect;

export const customerChain = (id: string) => `customer:${id}`;

/** Views of the rows, in the rows' order, with two batched queries for any number of rows. */
export async function toCustomers(db: DbOrTx, rows: CustomerRow[]): Promise<Customer[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [counts, externals] = await Promise.all([
    db.select({ customerId: tickets.customerId, n: count() }).from(tickets)
      .where(inArray(tickets.customerId, ids)).groupBy(tickets.customerId),
    db.select({ customerId: customerIdentities.customerId, value: customerIdentities.value }).from(customerIdentities)
      .where(and(eq(customerIdentities.kind, 'external'), inArray(customerIdentities.customerId, ids)))
      .orderBy(asc(customerIdentities.createdAt), asc(customerIdentities.value)),
  ]);
  const countOf = new Map(counts.map((c) => [c.customerId, toNumber(c.n)]));
  const externalOf = new Map<string, string[]>();
  for (const e of externals) externalOf.set(e.customerId, [...(externalOf.get(e.customerId) ?? []), e.value]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    phone: r.phone,
    email: r.email,
    externalIds: externalOf.get(r.id) ?? [],
    tier: r.tier,
    ticketCount: countOf.get(r.id) ?? 0,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function toCustomer(db: DbOrTx, row: CustomerRow): Promise<Customer> {
  const [view] = await toCustomers(db, [row]);
  return view!;
}
