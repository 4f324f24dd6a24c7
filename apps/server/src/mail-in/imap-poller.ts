/**
 * The IMAP poller, for company mailboxes (CLOSELOOP_IMAP_URL or CLOSELOOP_IMAP_HOST/USER/PASSWORD):
 * every poll interval it fetches the unseen messages of the mailbox, hands each to the intake and
 * marks it \Seen only after the intake committed (so a crash in between fetches it again and
 * the Message-ID makes that harmless). Oversize messages are not downloaded: they are recorded
 * as quarantined from their envelope and marked seen.
 */
import { ImapFlow } from 'imapflow';
import type { FastifyBaseLogger } from 'fastify';
import { newId } from '../db/util.js';
import { mailMessages } from '../db/schema.js';
import { intakeMail, normalizeMessageId, type MailIntakeDeps, type MailIntakeResult } from './intake-mail.js';

export interface ImapSettings { host: string; port: number; secure: boolean; user: string; password: string; mailbox: string }

/** One poll: returns what became of each message. */
export async function pollImapOnce(deps: MailIntakeDeps, imap: ImapSettings, log: FastifyBaseLogger): Promise<MailIntakeResult[]> {
  const client = new ImapFlow({
    host: imap.host, port: imap.port, secure: imap.secure, auth: { user: imap.user, pass: imap.password },
    logger: false, socketTimeout: 60_000,
  });
  const results: MailIntakeResult[] = [];
  await client.connect();
  try {
    const lock = await client.getMailboxLock(imap.mailbox);
    try {
      const found = await client.search({ seen: false }, { uid: true });
      const uids = Array.isArray(found) ? found : [];
      for (const uid of uids) {
        const meta = await client.fetchOne(String(uid), { size: true, envelope: true }, { uid: true });
        if (!meta) continue;
        let r: MailIntakeResult;
        if ((meta.size ?? 0) > deps.config.mailIn.maxMessageBytes) {
          const messageId = normalizeMessageId(meta.envelope?.messageId) ?? `<imap-${imap.mailbox}-${uid}-${newId()}@quarantine.closeloop>`;
          const reason = `message of ${meta.size} bytes exceeds ${deps.config.mailIn.maxMessageBytes}`;
          await deps.db.insert(mailMessages).values({
            id: newId(), messageId, direction: 'in', outcome: 'quarantined', reason, source: 'imap', size: meta.size ?? null,
            subject: meta.envelope?.subject ?? null, fromAddress: meta.envelope?.from?.[0]?.address ?? null,
          }).onConflictDoNothing({ target: mailMessages.messageId });
          r = { outcome: 'quarantined', messageId, ticketId: null, commentId: null, reason };
        } else {
          const msg = await client.fetchOne(String(uid), { source: true }, { uid: true });
          if (!msg || !msg.source) continue;
          r = await intakeMail(deps, { raw: msg.source, source: 'imap' });
        }
        await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        log.info({ outcome: r.outcome, messageId: r.messageId, ticketId: r.ticketId, reason: r.reason }, 'mail in (imap)');
        results.push(r);
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return results;
}

export interface ImapPoller { stop(): Promise<void> }

export function startImapPoller(opts: { deps: MailIntakeDeps; imap: ImapSettings; everyMs: number; log: FastifyBaseLogger }): ImapPoller {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = pollImapOnce(opts.deps, opts.imap, opts.log)
      .catch((err: unknown) => opts.log.warn({ err }, 'mail in (imap): poll failed; next poll tries again'))
      .finally(() => { if (!stopped) timer = setTimeout(tick, opts.everyMs); });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
