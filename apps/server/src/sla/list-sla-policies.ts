/** The SLA policies in the order they are tried. */
import { asc } from 'drizzle-orm';
import type { SlaPolicy } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { slaPolicies } from '../db/schema.js';
import { toSlaPolicy } from './policy-view.js';

export async function listSlaPolicies(opts: { db: DbOrTx }): Promise<SlaPolicy[]> {
  const rows = await opts.db.select().from(slaPolicies).orderBy(asc(slaPolicies.position), asc(slaPolicies.id));
  return rows.map(toSlaPolicy);
}
