/**
 * Outbox handler of `email.send`: carries out one e-mail delivery after the command that caused
 * it committed. Claims the delivery (queued/failed → sending) in one statement that also reads
 * the recipient's current address, language and e-mail setting; renders; talks SMTP outside any
 * transaction; records the outcome in a second statement. A failure throws, so the outbox
 * retries it with its backoff and in the end marks it dead; the delivery row says the same.
 *
 * Crash window: if the process dies after the SMTP server accepted the message but before the
 * row says `sent`, the outbox lease expires and the delivery is sent again — at least once, with
 * the same Message-ID (fixed per delivery), which mail clients use to fold duplicates. A repeated
 * outbox run of a settled delivery (sent, skipped, opted out) sends nothing; a dead one is tried
 * again only when an admin sends its dead outbox row back (POST /outbox/:id/retry).
 */
import { sqlOf } from '../db/client.js';
import { followupEmailLink } from '../followup/followup-email-link.js';
import type { OutboxHandler } from '../jobs/handler-types.js';
import type { MessageLocale } from '../notifications/messages.js';
import { EMAIL_OFF_REASON } from './mailer.js';
import { SKIP_REASON_TEXT } from './skip-reasons.js';
import { renderEmail, type RenderedEmail } from './templates.js';
import { threadingOf } from '../mail-in/threading.js';

const CLAIM = `with d as (
    update email_deliveries set status = 'sending', attempts = attempts + 1, updated_at = now(),
      message_id = coalesce(message_id, $2::text)
    where id = $1::uuid and status in ('queued', 'failed', 'sending', 'dead')
    returning id, user_id, address, display_name, locale, kind, template, data, ticket_id, attempts, message_id
  )
  select d.*, u.email as user_email, u.locale as user_locale, u.active as user_active, u.display_name as user_name,
    exists (select 1 from notification_preferences p
      where p.user_id = d.user_id and p.kind = d.kind and p.channel = 'email' and not p.enabled) as opted_out
  from d left join users u on u.id = d.user_id`;

const SETTLE = `update email_deliveries set
    status = $2::text, address = coalesce($3::text, address), locale = coalesce($4::text, locale),
    subject = coalesce($5::text, subject), message_id = coalesce($6::text, message_id), last_error = $7::text,
    sent_at = case when $2::text = 'sent' then now() else sent_at end, updated_at = now()
  where id = $1::uuid and status = 'sending'`;

interface Claimed {
  id: string;
  user_id: string | null;
  address: string | null;
  display_name: string | null;
  locale: MessageLocale | null;
  kind: string;
  template: string;
  data: Record<string, unknown>;
  ticket_id: string | null;
  attempts: number;
  message_id: string;
  user_email: string | null;
  user_locale: MessageLocale | null;
  user_active: boolean | null;
  user_name: string | null;
  opted_out: boolean;
}

type Outcome = 'sent' | 'failed' | 'dead' | 'skipped' | 'opted_out';

const MAX_ERROR_CHARS = 1000;

/** An SMTP reply 5xx is permanent (no such mailbox, refused): trying again will not help. */
function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.slice(0, MAX_ERROR_CHARS);
}

export const sendEmail: OutboxHandler<'email.send'> = async (ctx, payload, row) => {
  const db = sqlOf(ctx.db);
  const domain = ctx.mail?.messageIdDomain ?? 'closeloop.local';
  const [d] = await db.query<Claimed>(CLAIM, [payload.deliveryId, `<${payload.deliveryId}@${domain}>`], 'email_delivery_claim_v1');
  if (!d) return; // settled before (a repeated run) or never recorded: nothing to send

  const settle = (status: Outcome, o: { address?: string | null; locale?: string | null; subject?: string | null; messageId?: string | null; error?: string | null } = {}) =>
    db.query(SETTLE, [d.id, status, o.address ?? null, o.locale ?? null, o.subject ?? null, o.messageId ?? null, o.error ?? null], 'email_delivery_settle_v1');

  let to: { name: string | null; address: string };
  let locale: MessageLocale;
  if (d.user_id || !d.address) {
    if (!d.user_active || !d.user_email) {
      await settle('skipped', { error: SKIP_REASON_TEXT[d.user_active ? 'no_address' : 'recipient_inactive'] });
      return;
    }
    if (d.opted_out) {
      await settle('opted_out', { address: d.user_email, locale: d.user_locale });
      return;
    }
    to = { name: d.user_name, address: d.user_email };
    // The recipient's language now, not when the notification was made.
    locale = d.user_locale ?? 'zh-CN';
  } else {
    to = { name: d.display_name, address: d.address };
    locale = d.locale ?? 'zh-CN';
  }

  let mail: RenderedEmail;
  try {
    mail = renderEmail({
      kind: d.template, data: d.data, locale,
      link: d.template === 'followup_request' && ctx.mail ? await followupEmailLink(ctx.db, d.data, ctx.mail.baseUrl)
        // A customer reply links nowhere staff-only: the customer answers by e-mail (or the portal).
        : d.template === 'customer_reply' ? null
        : d.ticket_id && ctx.mail ? `${ctx.mail.baseUrl}/tickets/${d.ticket_id}` : null,
    });
  } catch (err) {
    // The stored data does not fit its template: no retry can mend that.
    ctx.log.error({ err, deliveryId: d.id }, 'e-mail: delivery cannot be rendered; dead');
    await settle('dead', { address: to.address, locale, error: errorText(err) });
    return;
  }

  const mailer = ctx.mail?.mailer;
  if (!mailer) {
    await settle('skipped', { address: to.address, locale, subject: mail.subject, error: ctx.mail?.offReason || EMAIL_OFF_REASON });
    return;
  }

  // A customer reply threads: Reply-To a signed address, In-Reply-To / References of the ticket's
  // mail, and its own Message-ID recorded first so an answer racing the send finds the ticket.
  const threading = d.template === 'customer_reply' && d.ticket_id
    ? await threadingOf(ctx.db, { ticketId: d.ticket_id, messageId: d.message_id, deliveryId: d.id, subject: mail.subject, address: to.address, reply: ctx.mail?.reply })
    : null;
  if (threading) mail = { ...mail, subject: threading.subject };

  try {
    const sent = await mailer.send({ to, ...mail, messageId: d.message_id, ...(threading ? { ...threading.headers, personal: true } : {}) });
    await settle('sent', { address: to.address, locale, subject: mail.subject, messageId: sent.messageId });
    ctx.log.info({ deliveryId: d.id, kind: d.kind, attempts: d.attempts }, 'e-mail sent');
  } catch (err) {
    const permanent = isPermanent(err);
    const last = permanent || row.attempts + 1 >= row.maxAttempts;
    await settle(last ? 'dead' : 'failed', { address: to.address, locale, subject: mail.subject, error: errorText(err) });
    if (permanent) {
      ctx.log.warn({ err, deliveryId: d.id }, 'e-mail refused for good; dead');
      return;
    }
    throw err; // the outbox retries with backoff (or marks its row dead after the last attempt)
  }
};
