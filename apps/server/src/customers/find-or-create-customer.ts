/**
 * One customer across channels (SPEC §5): a phone number, an e-mail address or an external
 * platform id that is already known leads to the existing customer, so agents see the whole
 * history and do not ask the same questions again. Otherwise a customer is created. Identities the
 * input brings that nobody owns yet are attached to the customer found; one owned by another
 * customer stays there (merging customers is a deliberate act elsewhere).
 */
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { CustomerInput } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Tx } from '../db/client.js';
import { customerIdentities, customers } from '../db/schema.js';
import { newId } from '../db/util.js';
import { customerChain, type CustomerRow } from './customer-view.js';
import { normalizeIdentity, type IdentityKind } from './normalize-identity.js';

interface Identity { kind: IdentityKind; value: string }

export function identitiesOf(input: CustomerInput): Identity[] {
  // Order = precedence when the identities point to different customers.
  const out: Identity[] = [];
  if (input.externalId) out.push({ kind: 'external', value: normalizeIdentity('external', input.externalId) });
  if (input.phone) out.push({ kind: 'phone', value: normalizeIdentity('phone', input.phone) });
  if (input.email) out.push({ kind: 'email', value: normalizeIdentity('email', input.email) });
  return out;
}

/** The customer owning the first identity (by precedence) that has an owner other than `except`. */
async function ownerOf(tx: Tx, ids: Identity[], except?: string): Promise<string | undefined> {
  if (!ids.length) return undefined;
  const rows = await tx.select().from(customerIdentities).where(or(
    ...ids.map((i) => and(eq(customerIdentities.kind, i.kind), eq(customerIdentities.value, i.value))),
  ));
  return ids
    .map((i) => rows.find((r) => r.kind === i.kind && r.value === i.value && r.customerId !== except)?.customerId)
    .find(Boolean);
}

export async function findOrCreateCustomer(opts: {
  tx: Tx;
  actor: Actor;
  input: CustomerInput;
}): Promise<{ customer: CustomerRow; created: boolean }> {
  const { tx, actor, input } = opts;
  const ids = identitiesOf(input);
  const phone = ids.find((i) => i.kind === 'phone')?.value ?? null;
  const email = ids.find((i) => i.kind === 'email')?.value ?? null;

  const known = await ownerOf(tx, ids);
  if (known) return { customer: await attachIdentities(tx, actor, known, ids), created: false };

  const id = newId();
  const [created] = await tx.insert(customers).values({ id, name: input.name, phone, email }).returning();
  const claimed = ids.length
    ? await tx.insert(customerIdentities).values(ids.map((i) => ({ ...i, customerId: id }))).onConflictDoNothing().returning()
    : [];
  if (claimed.length < ids.length) {
    // A concurrent request registered one of these identities (its insert made ours wait, then
    // win): drop the twin we just made and use that customer.
    const winner = await ownerOf(tx, ids, id);
    if (winner) {
      await tx.delete(customerIdentities).where(eq(customerIdentities.customerId, id));
      await tx.delete(customers).where(eq(customers.id, id));
      return { customer: await attachIdentities(tx, actor, winner, ids), created: false };
    }
  }
  await appendEvent({
    tx, actor, chain: customerChain(id), type: 'customer.created',
    after: { name: created!.name, phone, email, identities: ids.map((i) => `${i.kind}:${i.value}`) },
  });
  return { customer: created!, created: true };
}

/** Adds the identities nobody owns to the customer; the first phone / e-mail becomes the contact. */
async function attachIdentities(tx: Tx, actor: Actor, customerId: string, ids: Identity[]): Promise<CustomerRow> {
  const added = ids.length
    ? await tx.insert(customerIdentities).values(ids.map((i) => ({ ...i, customerId }))).onConflictDoNothing().returning()
    : [];
  for (const a of added) {
    await appendEvent({
      tx, actor, chain: customerChain(customerId), type: 'customer.identity_added', data: { kind: a.kind, value: a.value },
    });
    if (a.kind === 'phone') {
      await tx.update(customers).set({ phone: a.value, updatedAt: sql`now()` })
        .where(and(eq(customers.id, customerId), isNull(customers.phone)));
    } else if (a.kind === 'email') {
      await tx.update(customers).set({ email: a.value, updatedAt: sql`now()` })
        .where(and(eq(customers.id, customerId), isNull(customers.email)));
    }
  }
  const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId));
  return customer!;
}
