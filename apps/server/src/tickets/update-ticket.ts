/**
 * Staff edit a ticket's intake data (title, description, product, category, priority …).
 * Status, owner and stage content never change here: they go through the lifecycle's
 * transitions. The audit event carries before/after of the fields that really changed.
 */
import { eq } from 'drizzle-orm';
import type { Priority, Role, TicketPatch } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { categories, customers, tickets } from '../db/schema.js';
import { AppError, forbidden, invalidField, notFound } from '../http/app-error.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { enqueueMany } from '../jobs/outbox.js';
import { canSeeTicket } from './access.js';
import { PRIORITY_RANK } from './priority.js';
import { ticketSearchText } from './ticket-search-text.js';
import { currentFormVersion, formVersionById } from '../forms/form-store.js';
import { validateFormValues } from '../forms/validate-values.js';
import { ticketRowColumns, type TicketRow } from './ticket-row.js';

const EDITORS: readonly Role[] = ['admin', 'manager', 'agent', 'handler'];
/** Until the owner accepts (受理) the ticket, a new category may still pick its process. */
const BEFORE_ACCEPTANCE = new Set(['registered', 'assigned']);

type Editable = Pick<TicketRow,
  'title' | 'description' | 'product' | 'occurredAt' | 'urgency' | 'expectedBy' | 'categoryId' |
  'priority' | 'priorityRank' | 'orderNo' | 'customFields' | 'formVersionId' | 'processTemplate'>;

/** Comparable form: Dates as ISO strings, objects with sorted keys. */
function same(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => {
    if (v instanceof Date) return v.toISOString();
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => [k, norm(x)]));
    }
    return v ?? null;
  };
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

export async function updateTicket(opts: { db: Db; actor: Actor; id: string; patch: TicketPatch }): Promise<TicketRow> {
  const { db, actor, id, patch } = opts;
  if (!EDITORS.includes(actor.role)) throw forbidden('only staff may edit a ticket');

  return db.transaction(async (tx) => {
    const [ticket] = await tx.select(ticketRowColumns).from(tickets).where(eq(tickets.id, id)).for('update');
    if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');
    if (actor.role === 'handler' && ticket.ownerId !== actor.userId) {
      throw forbidden('a handler may edit only the tickets they own');
    }

    const next: Editable = {
      title: patch.title ?? ticket.title,
      description: patch.description ?? ticket.description,
      product: patch.product ?? ticket.product,
      occurredAt: patch.occurredAt ? new Date(patch.occurredAt) : ticket.occurredAt,
      urgency: patch.urgency ?? ticket.urgency,
      expectedBy: patch.expectedBy === undefined ? ticket.expectedBy : patch.expectedBy === null ? null : new Date(patch.expectedBy),
      categoryId: patch.category ?? ticket.categoryId,
      priority: patch.priority ?? ticket.priority,
      priorityRank: PRIORITY_RANK[(patch.priority ?? ticket.priority) as Priority],
      orderNo: patch.orderNo === undefined ? ticket.orderNo : patch.orderNo,
      customFields: ticket.customFields,
      formVersionId: ticket.formVersionId,
      processTemplate: ticket.processTemplate,
    };

    const priorityChanged = next.priority !== ticket.priority;
    if (priorityChanged && !patch.priorityReason) {
      throw invalidField('priorityReason', 'give a reason when changing the priority');
    }

    const categoryChanged = next.categoryId !== ticket.categoryId;
    if (categoryChanged || patch.customFields !== undefined) {
      const [category] = await tx.select().from(categories).where(eq(categories.id, next.categoryId));
      if (!category || (categoryChanged && !category.active)) throw invalidField('category', 'unknown or inactive category');
      // Form engine: the ticket keeps its form version; a new category brings its current one.
      const form = categoryChanged || !ticket.formVersionId
        ? await currentFormVersion(tx, next.categoryId)
        : await formVersionById(tx, ticket.formVersionId);
      const custom = validateFormValues(form?.fields ?? [], patch.customFields ?? ticket.customFields);
      next.formVersionId = form?.id ?? null;
      if (custom.errors.length) {
        throw new AppError('VALIDATION_FAILED', `${custom.errors[0]!.path}: ${custom.errors[0]!.message}`, custom.errors);
      }
      next.customFields = custom.values;
      // A ticket past `assigned` keeps its process: its stage content (analysis, plan,
      // measures) was written for it, and switching quick ↔ full midway would strand it.
      if (categoryChanged && BEFORE_ACCEPTANCE.has(ticket.status)) next.processTemplate = category.processTemplate;
    }

    const changed = (Object.keys(next) as Array<keyof Editable>).filter((k) => k !== 'priorityRank' && !same(next[k], ticket[k]));
    if (!changed.length) return ticket;

    const [customer] = await tx.select({ name: customers.name }).from(customers).where(eq(customers.id, ticket.customerId));
    const now = new Date();
    const [updated] = await tx.update(tickets).set({
      ...next,
      searchText: ticketSearchText({ ...ticket, ...next, customerName: customer?.name ?? '' }),
      version: ticket.version + 1,
      updatedAt: now,
    }).where(eq(tickets.id, id)).returning(ticketRowColumns);

    await appendEvent({
      tx, actor, chain: ticketChain(id), ticketId: id, type: 'ticket.updated', at: now,
      before: Object.fromEntries(changed.map((k) => [k, ticket[k]])),
      after: Object.fromEntries(changed.map((k) => [k, next[k]])),
      data: priorityChanged ? { priorityReason: patch.priorityReason } : null,
    });
    // Subscribers follow edits: SLA targets depend on the priority and the category, and update
    // rules (routing/subscriber.ts) see the edit.
    await enqueueMany(tx, eventOutboxRows([domainEvent('ticket.updated', {
      ticketId: id, number: ticket.number, title: next.title, command: null, fields: changed,
    }, { actor, at: now })]));
    return updated!;
  });
}
