/** The follow-up subscriber's stable name (outbox dedupe keys, automation causes). No imports: no cycles. */
export const FOLLOWUP_SUBSCRIBER = 'followup';
