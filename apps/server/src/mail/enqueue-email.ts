/**
 * Enqueues an e-mail to an address that is not a user's (a customer's), inside the caller's
 * command transaction: the delivery row and its `email.send` outbox row commit with the change
 * that caused them, and nothing is sent before that. Idempotent by the source key.
 * E-mails to users go through the notifications instead (record-email-deliveries.ts).
 */
import { emailDeliveries } from '../db/schema.js';
import type { Tx } from '../db/client.js';
import { newId } from '../db/util.js';
import { invalidField } from '../http/app-error.js';
import { enqueue } from '../jobs/outbox.js';
import type { MessageLocale } from '../notifications/messages.js';
import { isMailbox } from '../config.js';
import { EMAIL_MAX_ATTEMPTS } from './record-email-deliveries.js';
import { isEmailTemplateKind, parseEmailData, type EmailData, type EmailTemplateKind } from './templates.js';

export interface EnqueueEmailOptions<K extends EmailTemplateKind> {
  tx: Tx;
  to: { address: string; name?: string | null };
  locale: MessageLocale;
  kind: K;
  data: EmailData<K>;
  /** Unique per message, e.g. `<event id>:customer`; the same key twice sends once. */
  sourceKey: string;
  ticketId?: string | null;
  /** Not before this instant (default: as soon as committed). */
  notBefore?: Date;
}

/** Returns the delivery id, or null when the source key was recorded before. */
export async function enqueueEmail<K extends EmailTemplateKind>(opts: EnqueueEmailOptions<K>): Promise<string | null> {
  const address = opts.to.address.trim();
  // A bare address only: a name belongs in `to.name`, where it is encoded, never parsed.
  if (!isMailbox(address) || address.includes('<')) throw invalidField('to.address', 'is not an e-mail address');
  if (!isEmailTemplateKind(opts.kind)) throw invalidField('kind', `has no e-mail template: ${String(opts.kind)}`);
  let data: Record<string, unknown>;
  try {
    data = parseEmailData(opts.kind, opts.data);
  } catch (err) {
    throw invalidField('data', err instanceof Error ? err.message : String(err));
  }
  const id = newId();
  const inserted = await opts.tx.insert(emailDeliveries).values({
    id, sourceKey: opts.sourceKey, address, displayName: opts.to.name ?? null, locale: opts.locale,
    kind: opts.kind, template: opts.kind, data, ticketId: opts.ticketId ?? null,
    ...(opts.notBefore ? { notBefore: opts.notBefore } : {}),
  }).onConflictDoNothing({ target: emailDeliveries.sourceKey }).returning({ id: emailDeliveries.id });
  if (!inserted.length) return null;
  await enqueue(opts.tx, {
    kind: 'email.send', payload: { deliveryId: id }, dedupeKey: `email:${id}`,
    runAt: opts.notBefore, maxAttempts: EMAIL_MAX_ATTEMPTS,
  });
  return id;
}
