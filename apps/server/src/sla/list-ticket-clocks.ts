/** A ticket's applied SLA clocks, for staff who may see the ticket (customers see none). */
import { asc } from 'drizzle-orm';
import type { SlaClock } from '@closeloop/contract';
import { isStaff, type Actor } from '../auth/actor.js';
import { sqlOf, type DbOrTx } from '../db/client.js';
import { slaPolicies } from '../db/schema.js';
import { forbidden } from '../http/app-error.js';
import { findVisibleTicket } from '../tickets/access.js';
import { CLOCK_COLUMNS, toClock, type RawClock } from './clock-rows.js';
import { toSlaClock } from './policy-view.js';

const ORDER = { first_response: 0, update: 1, resolution: 2 } as const;

export async function listTicketClocks(opts: { db: DbOrTx; actor: Actor; ticketId: string }): Promise<SlaClock[]> {
  const { db, actor, ticketId } = opts;
  if (!isStaff(actor)) throw forbidden('SLA clocks are internal to staff');
  await findVisibleTicket({ db, actor, ticketId });
  const rows = await sqlOf(db).query<RawClock>(`select ${CLOCK_COLUMNS} from sla_clocks where ticket_id = $1::uuid`, [ticketId], 'sla_ticket_clocks_v1');
  const policies = new Map((await db.select({ id: slaPolicies.id, name: slaPolicies.name }).from(slaPolicies).orderBy(asc(slaPolicies.position)))
    .map((p) => [p.id, p.name]));
  return rows.map(toClock).sort((a, b) => ORDER[a.metric] - ORDER[b.metric]).map((c) => toSlaClock(c,
    c.policyId ? { id: c.policyId, name: policies.get(c.policyId) ?? '', version: c.policyVersion ?? 0 } : null));
}
