/**
 * Intake (问题登记): registers a problem from any channel as a new ticket, in one transaction —
 * idempotency key, category and custom fields, the customer (found or created), a readable
 * number, priority from the customer's urgency, routing by the category's defaults, the search
 * text, the audit events and the owner's notification. Either all of it is written or nothing.
 */
import { eq } from 'drizzle-orm';
import type { Priority, TicketCreate, TicketStatus } from '@closeloop/contract';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import { findOrCreateCustomer } from '../customers/find-or-create-customer.js';
import type { Db, Tx } from '../db/client.js';
import { categories, customers, tickets, users } from '../db/schema.js';
import { newId } from '../db/util.js';
import { AppError, forbidden, invalidField } from '../http/app-error.js';
import { claimIdempotencyKey, idempotencyScope, requestHash } from '../http/idempotency.js';
import { enqueue } from '../jobs/outbox.js';
import { searchTextOf } from '../search/tokenize.js';
import { checkCustomFieldValues } from './custom-fields.js';
import { nextTicketNumber } from './ticket-number.js';
import type { TicketRow } from './ticket-row.js';

export const PRIORITY_RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3 };

export interface CreateTicketOptions {
  db: Db;
  actor: Actor;
  input: TicketCreate;
  idempotencyKey?: string;
  /** The intake time; defaults to now (demo data backdates tickets with it). */
  now?: Date;
}

/** The words of the ticket that search finds it by. */
export function ticketSearchText(t: {
  number: string; title: string; description: string; scene?: string | null; phenomenon?: string | null;
  triedMeasures?: string | null; customerName: string; product: TicketRow['product']; orderNo?: string | null;
}): string {
  return searchTextOf([
    t.number, t.title, t.description, t.scene, t.phenomenon, t.triedMeasures, t.customerName,
    t.product.model, t.product.sku, t.product.serial, t.orderNo,
  ]);
}

async function customerFor(tx: Tx, actor: Actor, input: TicketCreate) {
  if (actor.role !== 'customer') return (await findOrCreateCustomer({ tx, actor, input: input.customer })).customer;
  // A customer's login reports for its own customer record, whatever the form says.
  if (!actor.customerId) throw forbidden('this login is not linked to a customer record');
  const [own] = await tx.select().from(customers).where(eq(customers.id, actor.customerId));
  if (!own) throw forbidden('this login is not linked to a customer record');
  return own;
}

export async function createTicket(opts: CreateTicketOptions): Promise<{ ticket: TicketRow; replayed: boolean }> {
  const { db, actor, idempotencyKey } = opts;
  const isCustomer = actor.role === 'customer';
  // Millisecond precision: what is stored is exactly what the API shows and cursors carry.
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  const input: TicketCreate = isCustomer
    ? { ...opts.input, channel: 'web', priority: undefined, readBackConfirmed: undefined }
    : opts.input;
  const id = newId(now.getTime());

  return db.transaction(async (tx) => {
    if (idempotencyKey) {
      const claim = await claimIdempotencyKey({
        tx, scope: idempotencyScope(actor), key: idempotencyKey, hash: requestHash(opts.input), resourceId: id,
      });
      if (!claim.claimed) {
        const [existing] = await tx.select().from(tickets).where(eq(tickets.id, claim.resourceId));
        if (!existing) throw new AppError('CONFLICT', 'the ticket of this Idempotency-Key no longer exists');
        return { ticket: existing, replayed: true };
      }
    }

    const [category] = await tx.select().from(categories).where(eq(categories.id, input.category));
    if (!category || !category.active) throw invalidField('category', 'unknown or inactive category');
    const custom = checkCustomFieldValues(category.customFields, input.customFields);
    if (custom.errors.length) {
      throw new AppError('VALIDATION_FAILED', `${custom.errors[0]!.path}: ${custom.errors[0]!.message}`, custom.errors);
    }

    const customer = await customerFor(tx, actor, input);
    const number = await nextTicketNumber({ tx, now });
    const priority: Priority = input.priority
      ?? (input.urgency === 'critical' ? 'P1' : input.urgency === 'high' ? 'P2' : category.defaultPriority);

    const departmentId = category.defaultDepartmentId;
    let ownerId = category.defaultOwnerId;
    if (ownerId) {
      const [owner] = await tx.select({ active: users.active, role: users.role }).from(users).where(eq(users.id, ownerId));
      // A deactivated default owner must not silently collect tickets nobody reads.
      if (!owner?.active || owner.role === 'customer') ownerId = null;
    }
    const routed = !!(departmentId || ownerId);
    const status: TicketStatus = routed ? 'assigned' : 'registered';

    const [ticket] = await tx.insert(tickets).values({
      id,
      number,
      title: input.title,
      description: input.description,
      scene: input.scene ?? null,
      phenomenon: input.phenomenon ?? null,
      triedMeasures: input.triedMeasures ?? null,
      readBackConfirmed: input.readBackConfirmed ?? false,
      channel: input.channel,
      status,
      priority,
      priorityRank: PRIORITY_RANK[priority],
      urgency: input.urgency,
      processTemplate: category.processTemplate,
      categoryId: category.id,
      customerId: customer.id,
      product: input.product,
      occurredAt: new Date(input.occurredAt),
      expectedBy: input.expectedBy ? new Date(input.expectedBy) : null,
      orderNo: input.orderNo ?? null,
      customFields: custom.values,
      departmentId,
      ownerId,
      createdById: actor.userId,
      searchText: ticketSearchText({ ...input, number, customerName: customer.name }),
      createdAt: now,
      updatedAt: now,
    }).returning();

    // The created event records the intake as registered; routing follows as its own event by
    // the system, so replaying the chain walks the same steps the ticket did.
    await appendEvent({
      tx, actor, chain: ticketChain(id), ticketId: id, type: 'ticket.created', at: now,
      after: {
        number, title: ticket!.title, channel: ticket!.channel, status: 'registered', priority,
        urgency: ticket!.urgency, processTemplate: ticket!.processTemplate, categoryId: category.id,
        customerId: customer.id, product: ticket!.product, occurredAt: ticket!.occurredAt,
        expectedBy: ticket!.expectedBy, orderNo: ticket!.orderNo, customFields: ticket!.customFields,
      },
    });
    if (routed) {
      await appendEvent({
        tx, actor: SYSTEM_ACTOR, chain: ticketChain(id), ticketId: id, type: 'ticket.assigned', at: now,
        before: { status: 'registered', departmentId: null, ownerId: null },
        after: { status, departmentId, ownerId },
        data: { reason: 'category_default', categoryId: category.id },
      });
    }
    if (ownerId) {
      await enqueue(tx, {
        kind: 'notify.ticket_assigned',
        payload: { ticketId: id, userId: ownerId, by: null },
        dedupeKey: `ticket_assigned:${id}:created`,
      });
    }
    return { ticket: ticket!, replayed: false };
  });
}
