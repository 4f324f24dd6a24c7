/**
 * One ticket as the caller may see it, with its category, customer, department, owner and
 * creator, and the commands the caller may issue now. A ticket the caller may not see answers
 * exactly like a missing one (404), so ids cannot be probed.
 */
import { eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Ticket } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx } from '../db/client.js';
import { categories, customers, departments, tickets, users } from '../db/schema.js';
import { notFound } from '../http/app-error.js';
import { CANCELLATION_SUBJECT, runningInstanceId } from '../approvals/open-gate.js';
import { canSeeTicket } from './access.js';
import { allowedCommands } from './lifecycle.js';
import { toTicketView } from './ticket-view.js';

export async function loadTicketView(opts: { db: DbOrTx; actor: Actor; id: string }): Promise<Ticket> {
  const { db, actor, id } = opts;
  const owner = alias(users, 'owner');
  const creator = alias(users, 'creator');
  const responsible = alias(departments, 'responsible');
  const [row] = await db
    .select({
      ticket: tickets,
      category: { id: categories.id, name: categories.name, code: categories.code },
      customer: { id: customers.id, name: customers.name, phone: customers.phone, email: customers.email },
      department: { id: departments.id, name: departments.name },
      owner: { id: owner.id, displayName: owner.displayName },
      createdBy: { id: creator.id, displayName: creator.displayName },
      responsibleDepartment: { id: responsible.id, name: responsible.name },
    })
    .from(tickets)
    .innerJoin(categories, eq(categories.id, tickets.categoryId))
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(departments, eq(departments.id, tickets.departmentId))
    .leftJoin(owner, eq(owner.id, tickets.ownerId))
    .leftJoin(creator, eq(creator.id, tickets.createdById))
    .leftJoin(responsible, eq(responsible.id, tickets.responsibleDepartmentId))
    .where(eq(tickets.id, id))
    .limit(1);
  if (!row || !canSeeTicket(actor, row.ticket)) throw notFound('ticket');
  const forCustomer = actor.role === 'customer';
  // A cancellation awaiting its flow (approvals/): not offered again while it waits.
  const pending = !forCustomer && row.ticket.status !== 'cancelled' && row.ticket.status !== 'closed'
    && !!await runningInstanceId(db, row.ticket.id, 'cancellation', CANCELLATION_SUBJECT);
  const commands = allowedCommands(row.ticket, actor);
  return {
    ...toTicketView(row, { allowedCommands: pending ? commands.filter((c) => c !== 'cancel') : commands, forCustomer }),
    ...(pending ? { cancellationPending: true } : {}),
  };
}
