/**
 * Records the e-mails that go with a batch of notifications to users: one delivery per
 * notification and recipient who has an e-mail address, and its `email.send` outbox row, in
 * one statement whatever the batch size (a data-modifying CTE, so the delivery and its outbox
 * row are written together or not at all). Idempotent: a source key seen before adds neither,
 * so a repeated subscriber run or a second runner instance sends nothing twice.
 */
import { sqlOf, type DbOrTx } from '../db/client.js';
import { newId } from '../db/util.js';
import { emailSendTimes } from './email-send-time.js';
import { SKIP_REASON_TEXT } from './skip-reasons.js';
import { parseEmailData } from './templates.js';

export interface UserEmailItem {
  /** `<event id>:<user id>`, the same as the in-app notification's. */
  sourceKey: string;
  userId: string;
  /** Notification kind: what the user may switch off. */
  kind: string;
  /** Template (mail/templates.ts); default: the kind's own. */
  template?: string;
  data: Record<string, unknown>;
  ticketId: string | null;
  /** When the notification happened (quiet hours count from it); default now. */
  at?: Date;
}

export interface RecordEmailDeliveriesOptions {
  db: DbOrTx;
  items: readonly UserEmailItem[];
}

/** Attempts of one e-mail before it is dead (a few hours of backoff, see jobs/backoff.ts). */
export const EMAIL_MAX_ATTEMPTS = 8;

/**
 * A notification older than this when it is recorded (demo data and imports backdate their
 * events; a replay of old events) is not e-mailed: the delivery is kept as skipped with the
 * reason. E-mail is for what is happening now; the in-app notification still appears.
 */
export const EMAIL_STALE_AFTER_MS = 24 * 60 * 60_000;
export const STALE_REASON = SKIP_REASON_TEXT.stale;

// Users without an address (or deactivated) get no delivery: there is nothing to send. Whether
// the user switched the kind off is decided when sending, so a change applies to waiting e-mails.
const RECORD = `with input as (
    select * from jsonb_to_recordset($1::text::jsonb)
      as i(id uuid, "outboxId" uuid, "sourceKey" text, "userId" uuid, kind text, template text, data jsonb, "ticketId" uuid,
        "notBefore" timestamptz, status text, "lastError" text)
  ), ins as (
    insert into email_deliveries (id, source_key, user_id, kind, template, data, ticket_id, not_before, status, last_error)
    select i.id, i."sourceKey", i."userId", i.kind, i.template, i.data, i."ticketId", i."notBefore", i.status, i."lastError"
    from input i join users u on u.id = i."userId"
    where u.active and coalesce(u.email, '') <> ''
    on conflict (source_key) do nothing
    returning id, not_before, status
  )
  insert into outbox (id, kind, payload, dedupe_key, run_at, max_attempts)
  select i."outboxId", 'email.send', jsonb_build_object('deliveryId', ins.id), 'email:' || ins.id, ins.not_before, $2::integer
  from ins join input i on i.id = ins.id
  where ins.status = 'queued'
  on conflict (dedupe_key) do nothing
  returning id`;

/** Returns how many e-mails were queued for sending. */
export async function recordEmailDeliveries(opts: RecordEmailDeliveriesOptions): Promise<number> {
  if (!opts.items.length) return 0;
  const now = new Date();
  const sendTimes = await emailSendTimes({ db: opts.db, requests: opts.items.map((i) => ({ userId: i.userId, at: i.at ?? now })), now });
  const rows = opts.items.map((i, n) => {
    const template = i.template ?? i.kind;
    // Checked now: a kind without a template (or data that does not fit it) is recorded dead with
    // the reason, visible to the admin, instead of failing the in-app notifications of the batch.
    let data = i.data;
    let invalid: string | null = null;
    try {
      data = parseEmailData(template, i.data);
    } catch (err) {
      invalid = err instanceof Error ? err.message : String(err);
    }
    const stale = now.getTime() - (i.at ?? now).getTime() > EMAIL_STALE_AFTER_MS;
    return {
      id: newId(), outboxId: newId(), sourceKey: i.sourceKey, userId: i.userId, kind: i.kind, template, data,
      ticketId: i.ticketId, notBefore: sendTimes[n]!.toISOString(),
      status: invalid ? 'dead' : stale ? 'skipped' : 'queued',
      lastError: invalid ?? (stale ? STALE_REASON : null),
    };
  });
  const inserted = await sqlOf(opts.db).query(RECORD, [JSON.stringify(rows), EMAIL_MAX_ATTEMPTS], 'email_deliveries_record_v3');
  return inserted.length;
}
