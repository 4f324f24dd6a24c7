/**
 * The outbound mail connection, made once from the configuration: a nodemailer SMTP transport
 * and the sender. Without CLOSELOOP_SMTP_URL there is no mailer and deliveries are recorded as
 * skipped with the reason, so nothing is lost silently.
 */
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';
import { SKIP_REASON_TEXT } from './skip-reasons.js';

export interface OutgoingEmail {
  to: { name: string | null; address: string };
  subject: string;
  text: string;
  html: string;
  /** Fixed per delivery, so a repeated attempt carries the same Message-ID (see docs/notifications.md). */
  messageId: string;
  /** Threading of a customer reply: where answers go and which messages it follows. */
  replyTo?: string;
  inReplyTo?: string;
  references?: string[];
  /** A person's words (a staff reply), not machine mail: no Auto-Submitted header. */
  personal?: boolean;
}

export interface Mailer {
  send(mail: OutgoingEmail): Promise<{ messageId: string }>;
  close(): void;
}

export interface MailSettings {
  mailer: Mailer | null;
  /** Why e-mail is off (shown on skipped deliveries). */
  offReason: string;
  /** `${CLOSELOOP_BASE_URL}`, for links to tickets. */
  baseUrl: string;
  /** Right-hand side of generated Message-IDs. */
  messageIdDomain: string;
  /** Signed reply addresses of customer replies (mail-in/reply-address.ts). */
  reply?: { domain: string | undefined; secret: string | undefined };
}

export const EMAIL_OFF_REASON = SKIP_REASON_TEXT.email_off;

/** A stuck server must not hold an outbox row for the whole lease. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

export function createMailSettings(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'baseUrl'> & { mailIn?: Pick<Config['mailIn'], 'replyDomain' | 'replySecret'> }): MailSettings {
  const from = config.mailFrom ?? 'closeloop <noreply@localhost>';
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'closeloop.local';
  const reply = { domain: config.mailIn?.replyDomain, secret: config.mailIn?.replySecret };
  if (!config.smtpUrl) return { mailer: null, offReason: EMAIL_OFF_REASON, baseUrl: config.baseUrl, messageIdDomain: domain, reply };
  const transport = nodemailer.createTransport({ url: config.smtpUrl, ...SMTP_TIMEOUTS });
  const mailer: Mailer = {
    async send(mail) {
      const info = await transport.sendMail({
        from,
        // nodemailer encodes the name (RFC 2047) and refuses line breaks in addresses: a name
        // cannot add a header or a recipient.
        to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
        ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
        ...(mail.references?.length ? { references: mail.references } : {}),
        // Marks it as machine mail, so auto-responders do not answer it (RFC 3834).
        headers: mail.personal ? {} : { 'Auto-Submitted': 'auto-generated' },
      });
      const rejected = (info.rejected ?? []).length;
      if (rejected && !(info.accepted ?? []).length) throw new Error(`the SMTP server refused the recipient (${String(info.response ?? '')})`);
      return { messageId: info.messageId || mail.messageId };
    },
    close: () => transport.close(),
  };
  return { mailer, offReason: '', baseUrl: config.baseUrl, messageIdDomain: domain, reply };
}
