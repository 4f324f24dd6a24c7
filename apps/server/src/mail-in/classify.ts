/**
 * Mail that no person wrote: auto-replies (RFC 3834 Auto-Submitted, Precedence, the common
 * X-Autoreply / X-Autorespond headers), bounces and delivery reports (multipart/report, a null
 * or MAILER-DAEMON / postmaster sender). Such mail never opens a ticket and never gets an answer,
 * so two robots cannot talk to each other for ever; it is recorded as skipped with the reason.
 */
import type { ParsedMail } from 'mailparser';

function header(mail: ParsedMail, name: string): string {
  const v = mail.headers.get(name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value);
  return String(v);
}

export function automaticReason(mail: ParsedMail, envelopeFrom: string | null): string | null {
  const auto = header(mail, 'auto-submitted').trim().toLowerCase();
  if (auto && !auto.startsWith('no')) return `Auto-Submitted: ${auto}`;
  const precedence = header(mail, 'precedence').trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  for (const h of ['x-autoreply', 'x-autorespond']) {
    const v = header(mail, h).trim().toLowerCase();
    if (v && v !== 'no') return `${h}: ${v}`;
  }
  const type = header(mail, 'content-type').toLowerCase();
  if (type.startsWith('multipart/report')) return 'delivery report (multipart/report)';
  if (envelopeFrom === '') return 'null return path (bounce)';
  const from = (mail.from?.value[0]?.address ?? envelopeFrom ?? '').toLowerCase();
  const local = from.split('@')[0] ?? '';
  if (local === 'mailer-daemon' || local === 'postmaster') return `sender ${from}`;
  if (!from) return 'no sender address';
  return null;
}
