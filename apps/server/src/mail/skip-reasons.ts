/**
 * Why an e-mail was not sent, as stored in last_error (readable in logs and the database) and as
 * a code the web app translates. One table so the text and the code cannot drift apart.
 */
import type { EmailSkipReason } from '@closeloop/contract';

export const SKIP_REASON_TEXT: Record<EmailSkipReason, string> = {
  email_off: 'e-mail is off: CLOSELOOP_SMTP_URL is not set',
  no_address: 'the recipient has no e-mail address',
  recipient_inactive: 'the recipient no longer exists or is deactivated',
  stale: 'not e-mailed: the notification was more than 24 hours old when it was recorded (import, demo data or replay)',
};

const BY_TEXT = new Map(Object.entries(SKIP_REASON_TEXT).map(([code, text]) => [text, code as EmailSkipReason]));

export function skipReasonOf(lastError: string | null): EmailSkipReason | null {
  return lastError ? BY_TEXT.get(lastError) ?? null : null;
}
