/**
 * Who may see which tickets. Customers: only their own. admin, agent, verifier: every ticket.
 * manager, handler: tickets of their departments, owned by them, created by them, with a
 * rectification measure they own (a measure owner may sit in another department), or whose
 * analysis holds their department responsible (it may dispute that).
 * A ticket the caller may not see answers 404, the same as a missing one.
 */
import { eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { notFound } from '../http/app-error.js';
import type { Actor } from '../auth/actor.js';
import { tickets } from '../db/schema.js';
import { dimWhere, type DimFilter } from './ticket-dims.js';
import type { TicketRow } from './ticket-row.js';

const SEE_ALL = new Set(['admin', 'agent', 'verifier']);

/**
 * What an actor may see, as data: the list renders it as SQL over tickets, the counts split
 * the staff case into the part the count aggregate answers (departments, owner) and a small
 * indexed remainder (creator, measure owner).
 */
export type Visibility =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'customer'; customerId: string }
  | { kind: 'staff'; departmentIds: string[]; userId: string | null };

export function ticketVisibility(actor: Actor): Visibility {
  if (actor.kind === 'system' || SEE_ALL.has(actor.role)) return { kind: 'all' };
  if (actor.role === 'customer') {
    return actor.customerId ? { kind: 'customer', customerId: actor.customerId } : { kind: 'none' };
  }
  if (!actor.departmentIds.length && !actor.userId) return { kind: 'none' };
  return { kind: 'staff', departmentIds: actor.departmentIds, userId: actor.userId };
}

/**
 * "A measure of the plan is owned by this user": tickets.measure_owner_ids, kept by
 * rectification/ in the transaction that writes the measures, GIN-indexed
 * (tickets_measure_owner_ids_gin), so the check stays a row test and the list an index probe.
 */
export function measureOwnedBy(userId: string): SQL {
  return sql`${tickets.measureOwnerIds} @> array[${userId}]::uuid[]`;
}

/**
 * Staff visibility branches. Each is served by an index of its own (department_status,
 * owner_status, created_by, measure owners), so the planner can OR them in a bitmap when the
 * visible set is small and walk the sort index when it is large.
 */
export function staffBranches(v: Extract<Visibility, { kind: 'staff' }>): {
  /** Answerable by the count aggregate (OR of these). */
  aggregate: DimFilter[];
  /** Conditions on tickets only (OR of these). */
  remainder: SQL[];
} {
  const aggregate: DimFilter[] = [];
  const remainder: SQL[] = [];
  if (v.departmentIds.length) {
    aggregate.push({ dim: 'departmentId', op: 'in', values: v.departmentIds });
    // Held responsible in the analysis (tickets_responsible_department_idx).
    remainder.push(inArray(tickets.responsibleDepartmentId, v.departmentIds));
  }
  if (v.userId) {
    aggregate.push({ dim: 'ownerId', op: 'in', values: [v.userId] });
    remainder.push(eq(tickets.createdById, v.userId));
    remainder.push(measureOwnedBy(v.userId));
  }
  return { aggregate, remainder };
}

export function visibilityWhere(v: Visibility): SQL | undefined {
  switch (v.kind) {
    case 'all': return undefined;
    case 'none': return sql`false`;
    case 'customer': return eq(tickets.customerId, v.customerId);
    case 'staff': {
      const { aggregate, remainder } = staffBranches(v);
      return or(...aggregate.map((d) => dimWhere(d)), ...remainder);
    }
  }
}

/** A WHERE condition limiting a ticket query to what the actor may see; undefined = no limit. */
export function visibleTicketsWhere(actor: Actor): SQL | undefined {
  return visibilityWhere(ticketVisibility(actor));
}

export function canSeeTicket(
  actor: Actor,
  t: Pick<TicketRow, 'customerId' | 'departmentId' | 'ownerId' | 'createdById' | 'measureOwnerIds' | 'responsibleDepartmentId'>,
): boolean {
  if (actor.kind === 'system' || SEE_ALL.has(actor.role)) return true;
  if (actor.role === 'customer') return !!actor.customerId && t.customerId === actor.customerId;
  return (
    (!!t.departmentId && actor.departmentIds.includes(t.departmentId)) ||
    (!!t.responsibleDepartmentId && actor.departmentIds.includes(t.responsibleDepartmentId)) ||
    (!!actor.userId && (t.ownerId === actor.userId || t.createdById === actor.userId ||
      t.measureOwnerIds.includes(actor.userId)))
  );
}

/**
 * The access-relevant columns of a ticket the actor may see, or 404 NOT_FOUND — the same answer
 * as for a missing ticket, so existence is not revealed.
 */
export async function findVisibleTicket(opts: { db: DbOrTx; actor: Actor; ticketId: string }) {
  const [ticket] = await opts.db
    .select({
      id: tickets.id, number: tickets.number, customerId: tickets.customerId,
      departmentId: tickets.departmentId, ownerId: tickets.ownerId,
      createdById: tickets.createdById, measureOwnerIds: tickets.measureOwnerIds,
      responsibleDepartmentId: tickets.responsibleDepartmentId,
    })
    .from(tickets).where(eq(tickets.id, opts.ticketId)).limit(1);
  if (!ticket || !canSeeTicket(opts.actor, ticket)) throw notFound('ticket');
  return ticket;
}
