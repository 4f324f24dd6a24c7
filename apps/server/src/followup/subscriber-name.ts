/** The follow-up subscriber's stable name (outbox dedupe keys, automation causes). */
import { FOLLOWUP_SUBSCRIPTION } from '../events/subscriptions.js';

export const FOLLOWUP_SUBSCRIBER = FOLLOWUP_SUBSCRIPTION.name;
