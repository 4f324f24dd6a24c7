/** One customer by id; 404 when missing. */
import { eq } from 'drizzle-orm';
import type { Customer } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { customers } from '../db/schema.js';
import { notFound } from '../http/app-error.js';
import { toCustomer, type CustomerRow } from './customer-view.js';

export async function getCustomerRow(opts: { db: DbOrTx; id: string }): Promise<CustomerRow> {
  const [row] = await opts.db.select().from(customers).where(eq(customers.id, opts.id)).limit(1);
  if (!row) throw notFound('customer');
  return row;
}

export async function getCustomer(opts: { db: DbOrTx; id: string }): Promise<Customer> {
  return toCustomer(opts.db, await getCustomerRow(opts));
}
