/**
 * Signed reply addresses and subject tokens: `reply+<ticket id>.<sig>@<reply domain>` and
 * `[#<ticket number>.<sig>]`, where sig is a truncated HMAC-SHA256 under
 * CLOSELOOP_MAIL_REPLY_SECRET. A forged or altered token does not verify, so nobody can post to
 * a ticket by guessing its id or number.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface ReplyKeys { domain: string | undefined; secret: string | undefined }

const SIG_CHARS = 16;

function sign(secret: string, what: string): string {
  return createHmac('sha256', secret).update(what).digest('hex').slice(0, SIG_CHARS);
}

function same(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export function replyAddress(keys: ReplyKeys, ticketId: string): string | null {
  if (!keys.domain || !keys.secret) return null;
  return `reply+${ticketId}.${sign(keys.secret, `addr:${ticketId}`)}@${keys.domain}`;
}

export function subjectToken(keys: ReplyKeys, ticketNumber: string): string | null {
  if (!keys.secret) return null;
  return `[#${ticketNumber}.${sign(keys.secret, `subj:${ticketNumber}`)}]`;
}

const ADDRESS = /^reply\+([0-9a-f-]{36})\.([0-9a-f]+)@(.+)$/i;

/** The ticket id of a valid reply address among `addresses`, or null. */
export function ticketOfReplyAddress(keys: ReplyKeys, addresses: string[]): string | null {
  if (!keys.domain || !keys.secret) return null;
  for (const a of addresses) {
    const m = ADDRESS.exec(a.trim());
    if (!m || m[3]!.toLowerCase() !== keys.domain.toLowerCase()) continue;
    const id = m[1]!.toLowerCase();
    if (same(m[2]!.toLowerCase(), sign(keys.secret, `addr:${id}`))) return id;
  }
  return null;
}

/** The ticket number of a valid subject token, or null. */
export function ticketNumberOfSubject(keys: ReplyKeys, subject: string): string | null {
  if (!keys.secret) return null;
  for (const m of subject.matchAll(/\[#([A-Za-z0-9-]{1,40})\.([0-9a-f]{16})\]/g)) {
    if (same(m[2]!, sign(keys.secret, `subj:${m[1]!}`))) return m[1]!;
  }
  return null;
}
