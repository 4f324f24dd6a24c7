/**
 * STUB — replaced by the lifecycle work: the ONE transition table of SPEC §2 and the pure
 * functions over it. Signatures below are the interface other modules rely on.
 */
import type { TicketCommand } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { TicketRow } from './ticket-row.js';

/** Commands the actor may issue on the ticket now (drives the UI's action buttons). */
export function allowedCommands(_ticket: TicketRow, _actor: Actor): TicketCommand[] {
  return [];
}
