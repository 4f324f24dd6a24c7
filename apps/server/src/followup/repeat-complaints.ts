/**
 * Repeat complaints (重复投诉): a new ticket is linked to an earlier one as a possible repeat
 * when it has the same customer and product model (the earlier one open, or closed within the
 * category's warranty days), or — once its analysis names a root-cause class — the same model
 * and root-cause class within the window. A person confirms or dismisses each suggestion;
 * confirmed repeats count in the repeat-complaint rate.
 * Candidates come through indexes: the customer's tickets (tickets_customer_created_idx) and the
 * model's newest tickets (tickets_product_model_created_idx, migration 0008), bounded.
 */
import { and, eq, or, sql } from 'drizzle-orm';
import type { EventCause, TicketLink, TicketLinkDecision } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import type { Db, DbOrTx } from '../db/client.js';
import { ticketLinks, tickets } from '../db/schema.js';
import { newId, rowsOf } from '../db/util.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { AppError, notFound } from '../http/app-error.js';
import { enqueueMany } from '../jobs/outbox.js';
import { findVisibleTicket } from '../tickets/access.js';
import { FOLLOWUP_DEFAULTS, followupSettingsOf } from './followup-settings.js';
import { rootCauseClassSql } from './root-cause-class.js';

const DAY_MS = 86_400_000;
/** Suggestions per new ticket at most (the newest earlier tickets first). */
const MAX_SUGGESTIONS = 3;

type Reason = 'same_customer_model' | 'same_model_root_cause';
interface Candidate { id: string }

/** Finds and links earlier tickets; returns the links made. Idempotent (unique pair). */
export async function suggestRepeats(opts: {
  db: Db; ticketId: string; reason: Reason; cause?: EventCause; now?: Date;
}): Promise<string[]> {
  const { db, ticketId, reason } = opts;
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  const [t] = rowsOf<{ id: string; number: string; title: string; customer_id: string; category_id: string; model: string | null; rc: string | null; created_at: Date }>(
    await db.execute(sql`select id, number, title, customer_id, category_id, product->>'model' as model,
      ${sql.raw(rootCauseClassSql('tickets'))} as rc, created_at from tickets where id = ${ticketId}::uuid`),
  );
  if (!t?.model) return [];
  if (reason === 'same_model_root_cause' && !t.rc) return [];
  const settings = await followupSettingsOf(db, t.category_id);
  const cutoff = new Date(now.getTime() - settings.warrantyDays * DAY_MS).toISOString();
  const inWindow = sql`(e.status not in ('closed', 'cancelled') or (e.status = 'closed' and e.closed_at >= ${cutoff}::timestamptz))`;
  const candidates = reason === 'same_customer_model'
    ? rowsOf<Candidate>(await db.execute(sql`select e.id from tickets e
        where e.customer_id = ${t.customer_id}::uuid and e.created_at < ${new Date(t.created_at).toISOString()}::timestamptz
          and e.id <> ${t.id}::uuid and (e.product->>'model') = ${t.model} and ${inWindow}
        order by e.created_at desc limit ${MAX_SUGGESTIONS}`))
    : rowsOf<Candidate>(await db.execute(sql`select e.id from tickets e
        where (e.product->>'model') = ${t.model} and e.created_at < ${new Date(t.created_at).toISOString()}::timestamptz
          and e.id <> ${t.id}::uuid and ${sql.raw(rootCauseClassSql('e'))} = ${t.rc} and ${inWindow}
        order by (e.product->>'model'), e.created_at desc limit ${MAX_SUGGESTIONS}`));
  if (!candidates.length) return [];
  return linkRepeats({ db, ticket: t, candidates, reason, cause: opts.cause, now });
}

interface NewTicket { id: string; number: string; title: string; created_at: Date }

/**
 * The intake check for a batch of new tickets (the follow-up subscriber's ticket.created
 * events): one statement finds every ticket's earlier same-customer, same-model tickets, so a
 * burst of intake costs one round trip per batch, not three per ticket; only tickets with
 * candidates get a transaction.
 */
export async function suggestRepeatsForNewTickets(opts: {
  db: Db; tickets: readonly { ticketId: string; cause?: EventCause }[]; now?: Date;
}): Promise<string[]> {
  const { db } = opts;
  if (!opts.tickets.length) return [];
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  const ids = [...new Set(opts.tickets.map((x) => x.ticketId))];
  const rows = rowsOf<NewTicket & { earlier_id: string }>(await db.execute(sql`select n.id, n.number, n.title, n.created_at, c.id as earlier_id
    from tickets n
    left join category_followup_settings s on s.category_id = n.category_id
    join lateral (
      select e.id from tickets e
      where e.customer_id = n.customer_id and e.created_at < n.created_at and e.id <> n.id
        and (e.product->>'model') = (n.product->>'model')
        and (e.status not in ('closed', 'cancelled') or (e.status = 'closed'
          and e.closed_at >= ${now.toISOString()}::timestamptz - make_interval(days => coalesce(s.warranty_days, ${FOLLOWUP_DEFAULTS.warrantyDays}))))
      order by e.created_at desc limit ${MAX_SUGGESTIONS}
    ) c on true
    where n.id = any(${`{${ids.join(',')}}`}::uuid[]) and (n.product->>'model') is not null`));
  if (!rows.length) return [];
  const causes = new Map(opts.tickets.map((x) => [x.ticketId, x.cause]));
  const byTicket = new Map<string, { ticket: NewTicket; candidates: Candidate[] }>();
  for (const r of rows) {
    const entry = byTicket.get(r.id) ?? { ticket: r, candidates: [] };
    entry.candidates.push({ id: r.earlier_id });
    byTicket.set(r.id, entry);
  }
  const made: string[] = [];
  for (const { ticket, candidates } of byTicket.values()) {
    made.push(...await linkRepeats({ db, ticket, candidates, reason: 'same_customer_model', cause: causes.get(ticket.id), now }));
  }
  return made;
}

async function linkRepeats(opts: {
  db: Db; ticket: NewTicket; candidates: Candidate[]; reason: Reason; cause?: EventCause; now: Date;
}): Promise<string[]> {
  const { db, ticket: t, candidates, reason, now } = opts;
  return db.transaction(async (tx) => {
    await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, t.id)).for('update');
    const made = await tx.insert(ticketLinks).values(candidates.map((c) => ({
      id: newId(now.getTime()), ticketId: t.id, earlierTicketId: c.id, kind: 'possible_repeat' as const,
      status: 'suggested' as const, reason, ticketCreatedAt: new Date(t.created_at), createdAt: now,
    }))).onConflictDoNothing({ target: [ticketLinks.ticketId, ticketLinks.earlierTicketId, ticketLinks.kind] })
      .returning({ id: ticketLinks.id, earlierTicketId: ticketLinks.earlierTicketId });
    for (const l of made) {
      await appendEvent({
        tx, actor: SYSTEM_ACTOR, chain: ticketChain(t.id), ticketId: t.id, type: 'ticket.repeat_suggested', at: now,
        chainLocked: true, data: { linkId: l.id, earlierTicketId: l.earlierTicketId, reason },
      });
    }
    await enqueueMany(tx, eventOutboxRows(made.map((l) => domainEvent('ticket.repeat_suggested', {
      ticketId: t.id, number: t.number, title: t.title, linkId: l.id, earlierTicketId: l.earlierTicketId, reason,
    }, { actor: SYSTEM_ACTOR, at: now, cause: opts.cause }))));
    return made.map((l) => l.id);
  });
}

/** Links of a ticket, both directions (it repeats an earlier one / a later one repeats it). */
export async function listTicketLinks(db: DbOrTx, ticketId: string): Promise<TicketLink[]> {
  const rows = rowsOf<{
    id: string; ticket_id: string; earlier_ticket_id: string; status: TicketLink['status']; reason: TicketLink['reason'];
    decided_at: Date | null; note: string | null; decided_by_id: string | null; decided_by_name: string | null;
    o_id: string; o_number: string; o_title: string; o_status: string; o_created_at: Date;
  }>(await db.execute(sql`select l.id, l.ticket_id, l.earlier_ticket_id, l.status, l.reason, l.decided_at, l.note,
      l.decided_by_id, u.display_name as decided_by_name,
      o.id as o_id, o.number as o_number, o.title as o_title, o.status as o_status, o.created_at as o_created_at
    from ticket_links l
    join tickets o on o.id = case when l.ticket_id = ${ticketId}::uuid then l.earlier_ticket_id else l.ticket_id end
    left join users u on u.id = l.decided_by_id
    where l.ticket_id = ${ticketId}::uuid or l.earlier_ticket_id = ${ticketId}::uuid
    order by l.created_at`));
  const iso = (d: Date | string) => new Date(d).toISOString();
  return rows.map((r) => ({
    id: r.id,
    other: { id: r.o_id, number: r.o_number, title: r.o_title, status: r.o_status, createdAt: iso(r.o_created_at) },
    direction: r.ticket_id === ticketId ? 'earlier' : 'later',
    kind: 'possible_repeat',
    status: r.status,
    reason: r.reason,
    decidedBy: r.decided_by_id && r.decided_by_name ? { id: r.decided_by_id, displayName: r.decided_by_name } : null,
    decidedAt: r.decided_at ? iso(r.decided_at) : null,
    note: r.note,
  }));
}

/** A person confirms or dismisses a suggestion (staff who see the ticket; customers may not). */
export async function decideTicketLink(opts: {
  db: Db; actor: Actor; ticketId: string; linkId: string; decision: TicketLinkDecision; now?: Date;
}): Promise<TicketLink[]> {
  const { db, actor, ticketId, linkId, decision } = opts;
  if (actor.role === 'customer') throw new AppError('FORBIDDEN', 'customers may not decide repeat complaints');
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  await db.transaction(async (tx) => {
    await findVisibleTicket({ db: tx, actor, ticketId });
    const [ticket] = await tx.select({ id: tickets.id, number: tickets.number, title: tickets.title }).from(tickets)
      .where(eq(tickets.id, ticketId)).for('update');
    if (!ticket) throw notFound('ticket');
    const [link] = await tx.select().from(ticketLinks)
      .where(and(eq(ticketLinks.id, linkId), or(eq(ticketLinks.ticketId, ticketId), eq(ticketLinks.earlierTicketId, ticketId))));
    if (!link) throw notFound('ticket link');
    if (link.status === decision.status) return;
    await tx.update(ticketLinks).set({
      status: decision.status, decidedById: actor.userId, decidedAt: now, note: decision.note ?? null,
    }).where(eq(ticketLinks.id, linkId));
    const type = decision.status === 'confirmed' ? 'ticket.repeat_confirmed' : 'ticket.repeat_dismissed';
    // The event belongs to the later ticket (the repeat), whichever page it was decided on.
    const chainTicket = link.ticketId;
    if (chainTicket !== ticketId) {
      await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, chainTicket)).for('update');
    }
    const [later] = chainTicket === ticketId ? [ticket]
      : await tx.select({ id: tickets.id, number: tickets.number, title: tickets.title }).from(tickets).where(eq(tickets.id, chainTicket));
    await appendEvent({
      tx, actor, chain: ticketChain(chainTicket), ticketId: chainTicket, type, at: now, chainLocked: true,
      data: { linkId, earlierTicketId: link.earlierTicketId, note: decision.note ?? null },
    });
    await enqueueMany(tx, eventOutboxRows([domainEvent(type, {
      ticketId: chainTicket, number: later!.number, title: later!.title, linkId, earlierTicketId: link.earlierTicketId,
    }, { actor, at: now })]));
  });
  return listTicketLinks(db, ticketId);
}

/** Reopen and repeat-complaint rates of the tickets created in [from, to): index ranges only. */
export async function repeatRates(opts: { db: Db; from: Date; to: Date }) {
  const { db, from, to } = opts;
  const f = from.toISOString();
  const tt = to.toISOString();
  const [r] = rowsOf<{ created: unknown; reopened: unknown; repeats: unknown }>(await db.execute(sql`select
    (select count(*) from tickets where created_at >= ${f}::timestamptz and created_at < ${tt}::timestamptz) as created,
    (select count(*) from tickets where reopen_count > 0 and created_at >= ${f}::timestamptz and created_at < ${tt}::timestamptz) as reopened,
    (select count(distinct ticket_id) from ticket_links where status = 'confirmed'
      and ticket_created_at >= ${f}::timestamptz and ticket_created_at < ${tt}::timestamptz) as repeats`));
  const created = Number(r?.created ?? 0);
  const reopened = Number(r?.reopened ?? 0);
  const repeats = Number(r?.repeats ?? 0);
  return {
    from: f, to: tt, created, reopened, repeats,
    reopenRate: created ? reopened / created : 0,
    repeatRate: created ? repeats / created : 0,
  };
}

