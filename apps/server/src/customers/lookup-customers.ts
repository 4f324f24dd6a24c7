/**
 * Finds customers while an agent types on the intake form: the exact phone / e-mail / external
 * id (all normalised, so "+86 138-0013-8000" matches "+8613800138000") or a name / phone prefix.
 */
import { and, asc, desc, eq, ilike, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { Customer } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { customerIdentities, customers } from '../db/schema.js';
import { toCustomers } from './customer-view.js';
import { normalizeIdentity, normalizePhone, type IdentityKind } from './normalize-identity.js';

export const LOOKUP_LIMIT = 20;

export interface LookupCustomersOptions {
  db: DbOrTx;
  phone?: string;
  email?: string;
  externalId?: string;
  /** A name fragment or the first digits of a phone number. */
  q?: string;
}

/** LIKE treats % and _ as wildcards; a name containing them is searched literally. */
function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function identityIs(db: DbOrTx, kind: IdentityKind, value: string): SQL {
  const normalized = normalizeIdentity(kind, value);
  // "abc" as a phone normalises to nothing: it matches no one rather than everyone.
  if (!normalized || normalized === '+') return sql`false`;
  return inArray(customers.id, db.select({ id: customerIdentities.customerId }).from(customerIdentities)
    .where(and(eq(customerIdentities.kind, kind), eq(customerIdentities.value, normalized))));
}

/** Matches of any of the given filters (an agent may type phone and e-mail of one person). */
export async function lookupCustomers(opts: LookupCustomersOptions): Promise<Customer[]> {
  const { db } = opts;
  const conds: SQL[] = [];
  if (opts.phone) conds.push(identityIs(db, 'phone', opts.phone));
  if (opts.email) conds.push(identityIs(db, 'email', opts.email));
  if (opts.externalId) conds.push(identityIs(db, 'external', opts.externalId));
  if (opts.q) {
    const byName = ilike(customers.name, `%${escapeLike(opts.q)}%`);
    const digits = normalizePhone(opts.q);
    // Only something that reads as a phone number is tried as one: "张三" is not a prefix of anything.
    const looksLikePhone = /^\+?[0-9][0-9 -]*$/.test(opts.q.trim()) && digits.replace('+', '').length >= 3;
    if (looksLikePhone) {
      // Mobiles are stored without +86 (normalizePhone), so "+86 138" must find "138…" too.
      const prefixes = [digits, digits.replace(/^(?:\+86|0086)(?=1)/, '')].filter((p, i, all) => all.indexOf(p) === i);
      const phoneStarts = or(...prefixes.map((p) => like(customerIdentities.value, `${escapeLike(p)}%`)));
      const byPhone = inArray(customers.id, db.select({ id: customerIdentities.customerId }).from(customerIdentities)
        .where(and(eq(customerIdentities.kind, 'phone'), phoneStarts)));
      conds.push(or(byName, byPhone)!);
    } else {
      conds.push(byName);
    }
  }
  const rows = await db.select().from(customers)
    .where(conds.length ? or(...conds) : undefined)
    .orderBy(desc(customers.updatedAt), asc(customers.id))
    .limit(LOOKUP_LIMIT);
  return toCustomers(db, rows);
}
