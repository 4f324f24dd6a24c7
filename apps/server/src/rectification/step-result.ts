/** What a rectification or acceptance step hands back to the transition that called it. */
import type { DomainEvent } from '@closeloop/contract';
import type { TicketChange } from '../tickets/lifecycle.js';
import type { NotifyItem } from './notify.js';

export interface StepResult {
  patch: TicketChange;
  events: DomainEvent[];
  outbox: NotifyItem[];
}
