/**
 * The one intake of e-mail (the SMTP receiver and the IMAP poller both call it): a new message
 * becomes a ticket (channel `email`), a reply becomes a customer comment on its ticket, an
 * auto-reply or bounce is recorded as skipped, oversize mail as quarantined. The message's row
 * in `mail_messages` (unique Message-ID) is written in the same transaction as the ticket or
 * comment, so the same message twice — even at the same moment — gives one ticket or comment,
 * and nothing is ever half-stored. See docs/email-in.md.
 */
import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';
import { zTicketCreate, type TicketCreate } from '@closeloop/contract';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { appendEvent, ticketChain } from '../audit/append-event.js';
import { sanitizeFilename } from '../attachments/sanitize-filename.js';
import { sniffContentType, TEXT_NAME } from '../attachments/sniff-content-type.js';
import { stagingDir, storageKey, type AttachmentStorage } from '../attachments/storage.js';
import type { Config } from '../config.js';
import { findOrCreateCustomer } from '../customers/find-or-create-customer.js';
import { sqlOf, type Db, type Tx } from '../db/client.js';
import { attachments, comments, mailMessages, tickets } from '../db/schema.js';
import { newId } from '../db/util.js';
import { domainEvent, eventOutboxRows } from '../events/publish.js';
import { enqueueMany } from '../jobs/outbox.js';
import { createTicket } from '../tickets/create-ticket.js';
import { eq, sql } from 'drizzle-orm';
import { automaticReason } from './classify.js';
import { ticketNumberOfSubject, ticketOfReplyAddress, type ReplyKeys } from './reply-address.js';

/** More MIME parts than any person sends: such mail is quarantined unparsed. */
export const MAX_MAIL_PARTS = 200;
/** Attachments kept per message (more are listed as not kept). */
const MAX_ATTACHMENTS = 20;

export interface MailIntakeDeps {
  db: Db;
  storage: AttachmentStorage;
  config: Pick<Config, 'mailIn' | 'maxUploadBytes' | 'dataDir'>;
}

export interface IncomingMail {
  raw: Buffer;
  source: 'smtp' | 'imap';
  /** SMTP MAIL FROM ('' = null return path, a bounce); null when unknown (IMAP). */
  envelopeFrom?: string | null;
  /** SMTP RCPT TO addresses. */
  rcptTo?: string[];
}

export interface MailIntakeResult {
  outcome: 'ticket' | 'comment' | 'skipped' | 'quarantined' | 'duplicate';
  messageId: string;
  ticketId: string | null;
  commentId: string | null;
  reason: string | null;
}

/** `<id@host>` → `id@host`, lower-cased host part kept as sent (ids are compared exactly). */
export function normalizeMessageId(raw: string | undefined | null): string | null {
  const m = raw ? /<?\s*([^<>\s]+@[^<>\s]+)\s*>?/.exec(raw) : null;
  return m ? `<${m[1]}>` : null;
}

function idsOf(value: string | string[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? value.split(/\s+/) : [];
  return list.map(normalizeMessageId).filter((v): v is string => !!v);
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  return list.flatMap((o) => o.value.map((v) => v.address ?? '')).filter(Boolean);
}

/** Readable text of the mail: the plain-text part when there is one, else the HTML without markup. */
export function bodyText(mail: ParsedMail, hasPlainPart: boolean): string {
  // Without a text/plain part mailparser makes `text` from the HTML itself (image alt texts as
  // "[x]" and all): the sanitised HTML reads better then.
  const text = (mail.text ?? '').trim();
  if (text && (hasPlainPart || typeof mail.html !== 'string')) return text;
  if (typeof mail.html === 'string' && mail.html) {
    const withBreaks = mail.html.replace(/<(br|\/p|\/div|\/li|\/tr|\/h[1-6])\b[^>]*>/gi, '$&\n');
    const flat = sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {}, nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head'] });
    return decodeEntities(flat).replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  }
  return '';
}

function decodeEntities(s: string): string {
  return s.replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&');
}

/** Text fit for a column: no NUL / control characters apart from line breaks and tabs. */
function clean(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return Array.from(s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')).slice(0, max).join('');
}

function headerBlock(raw: Buffer): string {
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  return end >= 0 ? head.slice(0, end) : head;
}

function syntheticMessageId(raw: Buffer): string {
  return `<${createHash('sha256').update(raw).digest('hex')}@no-message-id.closeloop>`;
}

async function record(db: Db | Tx, row: typeof mailMessages.$inferInsert): Promise<boolean> {
  const inserted = await db.insert(mailMessages).values(row).onConflictDoNothing({ target: mailMessages.messageId })
    .returning({ id: mailMessages.id });
  return inserted.length > 0;
}

interface KeptFile { filename: string; contentType: string; size: number; sha256: string; key: string; id: string }

async function keepAttachments(deps: MailIntakeDeps, mail: ParsedMail, now: Date): Promise<{ kept: KeptFile[]; refused: string[] }> {
  const kept: KeptFile[] = [];
  const refused: string[] = [];
  const dir = stagingDir(deps.config);
  const files = mail.attachments.filter((a) => a.contentDisposition === 'attachment' || a.filename || !a.related);
  try {
    for (const a of files) {
      const filename = sanitizeFilename(a.filename ?? 'attachment');
      if (kept.length >= MAX_ATTACHMENTS) { refused.push(`${filename}（超过 ${MAX_ATTACHMENTS} 个附件）`); continue; }
      if (a.size === 0 || a.content.length === 0) { refused.push(`${filename}（空文件）`); continue; }
      if (a.content.length > deps.config.maxUploadBytes) { refused.push(`${filename}（超过大小上限）`); continue; }
      await fsp.mkdir(dir, { recursive: true });
      const temp = path.join(dir, `${newId()}.part`);
      await fsp.writeFile(temp, a.content, { mode: 0o600, flag: 'wx' });
      let validUtf8 = false;
      if (TEXT_NAME.test(filename)) {
        try { new TextDecoder('utf-8', { fatal: true }).decode(a.content); validUtf8 = true; } catch { validUtf8 = false; }
      }
      const contentType = await sniffContentType({ path: temp, filename, validUtf8 });
      if (!contentType) {
        await fsp.rm(temp, { force: true });
        refused.push(`${filename}（不支持的文件类型）`);
        continue;
      }
      const id = newId(now.getTime());
      const key = storageKey(id, now);
      await deps.storage.put(key, temp);
      kept.push({ id, key, filename, contentType, size: a.content.length, sha256: createHash('sha256').update(a.content).digest('hex') });
    }
  } catch (err) {
    await Promise.allSettled(kept.map((k) => deps.storage.remove(k.key)));
    throw err;
  }
  return { kept, refused };
}

async function mailCategoryId(db: Db | Tx, code: string | undefined): Promise<string> {
  const rows = await sqlOf(db).query<{ id: string }>(
    `select id from categories where active and ($1::text is null or code = $1::text) order by sort, code limit 1`,
    [code ?? null], 'mail_in_category_v1',
  );
  if (!rows[0]) throw new Error(code ? `CLOSELOOP_MAIL_IN_CATEGORY: no active category ${code}` : 'no active category for e-mail tickets');
  return rows[0].id;
}

/** Finds the ticket a reply belongs to: signed reply address, signed subject token, then the Message-ID chain. */
async function threadTicket(db: Db, keys: ReplyKeys, mail: ParsedMail, rcpt: string[]): Promise<string | null> {
  const to = [...rcpt, ...addresses(mail.to), ...addresses(mail.cc)];
  const delivered = mail.headers.get('delivered-to');
  if (typeof delivered === 'string') to.push(delivered);
  const byAddress = ticketOfReplyAddress(keys, to);
  const q = sqlOf(db);
  if (byAddress) {
    const [t] = await q.query<{ id: string }>('select id from tickets where id = $1::uuid', [byAddress], 'mail_in_ticket_by_id_v1');
    if (t) return t.id;
  }
  const number = ticketNumberOfSubject(keys, mail.subject ?? '');
  if (number) {
    const [t] = await q.query<{ id: string }>('select id from tickets where number = $1::text', [number], 'mail_in_ticket_by_number_v1');
    if (t) return t.id;
  }
  const chain = [...idsOf(mail.inReplyTo), ...idsOf(mail.references).toReversed()];
  if (chain.length) {
    const [m] = await q.query<{ ticket_id: string }>(
      `select m.ticket_id from mail_messages m join tickets t on t.id = m.ticket_id
       where m.message_id = any($1::text[]) order by array_position($1::text[], m.message_id) limit 1`,
      [chain], 'mail_in_ticket_by_chain_v1',
    );
    if (m) return m.ticket_id;
  }
  return null;
}

export async function intakeMail(deps: MailIntakeDeps, incoming: IncomingMail): Promise<MailIntakeResult> {
  const { db, config } = deps;
  const now = new Date(Math.floor(Date.now()));
  const result = (outcome: MailIntakeResult['outcome'], messageId: string, o: Partial<MailIntakeResult> = {}): MailIntakeResult =>
    ({ outcome, messageId, ticketId: o.ticketId ?? null, commentId: o.commentId ?? null, reason: o.reason ?? null });

  // Oversize or absurdly many parts: quarantined from the headers alone, never parsed or stored.
  const head = headerBlock(incoming.raw);
  const parts = incoming.raw.toString('latin1').match(/^content-type:/gim)?.length ?? 0;
  if (incoming.raw.length > config.mailIn.maxMessageBytes || parts > MAX_MAIL_PARTS) {
    const messageId = normalizeMessageId(/^message-id:\s*(.+)$/im.exec(head)?.[1]) ?? syntheticMessageId(incoming.raw);
    const reason = incoming.raw.length > config.mailIn.maxMessageBytes
      ? `message of ${incoming.raw.length} bytes exceeds ${config.mailIn.maxMessageBytes}` : `${parts} MIME parts exceed ${MAX_MAIL_PARTS}`;
    const fresh = await record(db, {
      id: newId(), messageId, direction: 'in', outcome: 'quarantined', reason, source: incoming.source,
      size: incoming.raw.length, fromAddress: clean(/^from:\s*(.+)$/im.exec(head)?.[1] ?? '', 300) || null,
      subject: clean(/^subject:\s*(.+)$/im.exec(head)?.[1] ?? '', 300) || null,
    });
    return result(fresh ? 'quarantined' : 'duplicate', messageId, { reason });
  }

  const mail = await simpleParser(incoming.raw, { skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
  const messageId = normalizeMessageId(mail.messageId) ?? syntheticMessageId(incoming.raw);
  const fromAddress = (mail.from?.value[0]?.address ?? incoming.envelopeFrom ?? '').trim().toLowerCase();
  const fromName = mail.from?.value[0]?.name?.trim() || fromAddress.split('@')[0] || '邮件客户';
  const subject = clean((mail.subject ?? '').replace(/\s+/g, ' ').trim(), 200);
  const base = { messageId, direction: 'in' as const, source: incoming.source, size: incoming.raw.length, fromAddress: fromAddress || null, subject: subject || null };

  const automatic = automaticReason(mail, incoming.envelopeFrom ?? null);
  if (automatic) {
    const fresh = await record(db, { id: newId(), ...base, outcome: 'skipped', reason: automatic });
    return result(fresh ? 'skipped' : 'duplicate', messageId, { reason: automatic });
  }
  // Cheap early answer for a redelivery; the unique index below is what really guarantees it.
  const [seen] = await db.select({ id: mailMessages.id }).from(mailMessages).where(eq(mailMessages.messageId, messageId)).limit(1);
  if (seen) return result('duplicate', messageId);

  const keys: ReplyKeys = { domain: config.mailIn.replyDomain, secret: config.mailIn.replySecret };
  const ticketId = await threadTicket(db, keys, mail, incoming.rcptTo ?? []);
  // From: is not authenticated: mail from a staff member's address is a customer message all
  // the same (never a staff reply, never internal), only marked so staff can see it.
  const [staff] = fromAddress ? await sqlOf(db).query<{ id: string }>(
    `select id from users where lower(email) = $1::text and role <> 'customer' limit 1`, [fromAddress], 'mail_in_staff_from_v1',
  ) : [];
  const reason = staff ? 'From is a staff address: kept as a customer message (From is not authenticated)' : null;

  const hasPlainPart = /^content-type:\s*text\/plain/im.test(incoming.raw.toString('latin1')) || !/^content-type:/im.test(head);
  let body = clean(bodyText(mail, hasPlainPart), 19_000);
  const { kept, refused } = await keepAttachments(deps, mail, now);
  if (refused.length) body = `${body}\n\n[未保存的附件] ${refused.join('；')}`.trim();

  try {
    const out = await db.transaction(async (tx) => {
      if (!(await record(tx, { id: newId(), ...base, outcome: ticketId ? 'comment' : 'ticket', reason }))) return null;
      let tid: string;
      let commentId: string | null = null;
      if (ticketId) {
        tid = ticketId;
        commentId = await addMailComment(tx, tid, body || '（邮件无正文）', now);
      } else {
        tid = await openMailTicket(tx, config, { fromAddress, fromName, subject, body, date: mail.date, now });
      }
      if (kept.length) await recordAttachments(tx, tid, kept, now);
      await tx.update(mailMessages).set({ ticketId: tid, commentId }).where(eq(mailMessages.messageId, messageId));
      return { tid, commentId };
    });
    if (!out) {
      await Promise.allSettled(kept.map((k) => deps.storage.remove(k.key)));
      return result('duplicate', messageId);
    }
    return result(out.commentId ? 'comment' : 'ticket', messageId, { ticketId: out.tid, commentId: out.commentId, reason });
  } catch (err) {
    await Promise.allSettled(kept.map((k) => deps.storage.remove(k.key)));
    throw err;
  }
}

async function openMailTicket(
  tx: Tx, config: MailIntakeDeps['config'],
  m: { fromAddress: string; fromName: string; subject: string; body: string; date: Date | undefined; now: Date },
): Promise<string> {
  if (!m.fromAddress) throw new Error('mail without a sender address');
  const name = clean(m.fromName, 100);
  // The customer first (safe against a concurrent twin), so the intake statement finds it known.
  await findOrCreateCustomer({ tx, actor: SYSTEM_ACTOR, input: { name, email: m.fromAddress } });
  const occurred = m.date && !Number.isNaN(m.date.getTime()) && m.date <= m.now ? m.date : m.now;
  const draft: TicketCreate = {
    title: m.subject || '（无主题邮件）',
    description: m.body || '（邮件无正文）',
    channel: 'email',
    customer: { name, email: m.fromAddress },
    product: { model: '未指定' },
    occurredAt: occurred.toISOString(),
    urgency: 'medium',
    category: await mailCategoryId(tx, config.mailIn.categoryCode),
  };
  const parsed = zTicketCreate.safeParse(draft);
  const input = parsed.success ? parsed.data : { ...draft, title: '（邮件主题无法使用）' };
  const created = await createTicket({ db: tx, actor: SYSTEM_ACTOR, input, now: m.now });
  return created.ticket.id;
}

/** A customer comment from e-mail: public, no author login (the customer of the ticket wrote it). */
async function addMailComment(tx: Tx, ticketId: string, body: string, now: Date): Promise<string> {
  const [ticket] = await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticketId))
    .returning({ number: tickets.number, title: tickets.title, ownerId: tickets.ownerId, customerId: tickets.customerId });
  if (!ticket) throw new Error(`ticket ${ticketId} vanished`);
  const actor: Actor = { kind: 'system', userId: null, role: 'customer', departmentIds: [], customerId: ticket.customerId, scopes: [] };
  const id = newId(now.getTime());
  const excerpt = Array.from(body).slice(0, 200).join('');
  await tx.insert(comments).values({ id, ticketId, authorId: null, body, visibility: 'public', createdAt: now });
  await appendEvent({
    tx, actor, chain: ticketChain(ticketId), ticketId, type: 'comment.added', at: now,
    data: { commentId: id, visibility: 'public', excerpt }, chainLocked: true,
  });
  await enqueueMany(tx, eventOutboxRows([domainEvent('comment.added', {
    ticketId, number: ticket.number, title: ticket.title, commentId: id, visibility: 'public', authorRole: 'customer',
    ownerId: ticket.ownerId, excerpt,
  }, { actor, at: now })]));
  return id;
}

async function recordAttachments(tx: Tx, ticketId: string, kept: KeptFile[], now: Date): Promise<void> {
  await tx.insert(attachments).values(kept.map((k) => ({
    id: k.id, ticketId, uploadedById: null, filename: k.filename, contentType: k.contentType, size: k.size,
    sha256: k.sha256, storageKey: k.key, createdAt: now,
  })));
  for (const k of kept) {
    await appendEvent({
      tx, actor: SYSTEM_ACTOR, chain: ticketChain(ticketId), ticketId, type: 'attachment.added', at: now,
      data: { id: k.id, filename: k.filename, size: k.size, contentType: k.contentType },
    });
  }
  await tx.update(tickets).set({ updatedAt: sql`now()` }).where(eq(tickets.id, ticketId));
}
