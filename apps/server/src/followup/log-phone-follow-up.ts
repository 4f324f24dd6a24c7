/**
 * An agent's phone follow-up (电话回访): the customer's words and whether it is solved, recorded
 * on the timeline; solved confirms the ticket (closed, with the rating), not solved reopens it
 * at analysis with the words. Who may do it is the lifecycle's rule for confirm / reopen.
 */
import type { PhoneFollowUp } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import type { TicketRow } from '../tickets/ticket-row.js';
import { recordFollowUp } from './record-follow-up.js';

export async function logPhoneFollowUp(opts: {
  db: Db; actor: Actor; ticketId: string; input: PhoneFollowUp; now?: Date;
}): Promise<TicketRow> {
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  const { input } = opts;
  return opts.db.transaction(async (tx) => (await recordFollowUp({
    tx, actor: opts.actor, ticketId: opts.ticketId, now,
    answer: { channel: 'phone', solved: input.solved, rating: input.rating ?? null, words: input.customerWords },
  })).ticket);
}
