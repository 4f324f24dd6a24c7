/**
 * What the lifecycle commands mean for the rectification and acceptance rows: called once from
 * apply-transition.ts inside its transaction, after the transition table allowed the command and
 * before the ticket row is written. It reacts to the command, not to who issued it, so an
 * approval flow's system actor approving a plan has exactly the effect of a manager doing so.
 * Returns the extra ticket columns, the domain events and the notifications to enqueue; it
 * throws AppError (nothing written) when the rows refuse the command.
 */
import type { EventCause, Transition } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Tx } from '../db/client.js';
import type { SystemTransition } from '../tickets/lifecycle.js';
import type { TicketRow } from '../tickets/ticket-row.js';
import { completeRound, startRound } from '../acceptance/rounds.js';
import { decidePlan, submitPlan } from './plan-versions.js';
import type { StepResult } from './step-result.js';

export type { StepResult };

export async function rectificationStep(tx: Tx, o: {
  ticket: TicketRow;
  actor: Actor;
  transition: Transition | SystemTransition;
  now: Date;
  cause?: EventCause;
}): Promise<StepResult> {
  const { ticket, actor, transition: t, now } = o;
  const base = { tx, ticket, actor, now, cause: o.cause };
  switch (t.command) {
    case 'submit_plan': return submitPlan({ ...base, input: t });
    case 'approve_plan': return decidePlan({ ...base, approve: true, opinion: t.opinion ?? null });
    case 'reject_plan': return decidePlan({ ...base, approve: false, opinion: t.opinion });
    case 'start_acceptance': return startRound(base);
    case 'pass_acceptance': return completeRound({ ...base, pass: true, result: t.note ?? null });
    case 'fail_acceptance': return completeRound({ ...base, pass: false, result: t.reason });
    default: return { patch: {}, events: [], outbox: [] };
  }
}
