import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import { tickets } from '../../src/db/schema.js';
import { pollImapOnce, type ImapSettings } from '../../src/mail-in/imap-poller.js';
import { backends } from '../backends.js';
import { startDovecot, hasDovecot, DOVECOT, type Dovecot } from './dovecot.js';
import { mailRow, silentLog, startMailInKit, type MailInKit } from './mail-in-kit.js';

if (!hasDovecot) process.stdout.write(`[closeloop] IMAP tests skipped: ${DOVECOT} is missing (apt-get install dovecot-imapd)\n`);

describe.skipIf(!hasDovecot).each(backends)('e-mail in from a real IMAP mailbox (dovecot) on $name', (backend) => {
  let kit: MailInKit;
  let dovecot: Dovecot;
  let imap: ImapSettings;
  beforeAll(async () => {
    [kit, dovecot] = await Promise.all([startMailInKit(backend), startDovecot()]);
    imap = { host: '127.0.0.1', port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, mailbox: 'INBOX' };
  }, 180_000);
  afterAll(async () => {
    await kit?.close();
    await dovecot?.stop();
  });

  async function append(raw: string) {
    const client = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
    await client.connect();
    try {
      await client.append('INBOX', raw);
    } finally {
      await client.logout();
    }
  }

  async function unseen(): Promise<number> {
    const client = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
    await client.connect();
    try {
      const status = await client.status('INBOX', { unseen: true, messages: true });
      return status ? status.unseen ?? -1 : -1;
    } finally {
      await client.logout();
    }
  }

  it('fetches an appended message, opens a ticket and marks the message seen', async () => {
    const messageId = `<imap-${Date.now()}@customer.example.cn>`;
    await append([
      'From: 郑女士 <zheng@customer.example.cn>', 'To: service@company.example.cn', `Message-ID: ${messageId}`,
      'Subject: =?UTF-8?B?' + Buffer.from('热水器漏水').toString('base64') + '?=', 'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', '热水器底部一直滴水。', '',
    ].join('\r\n'));
    expect(await unseen()).toBe(1);

    const results = await pollImapOnce(kit.deps, imap, silentLog);
    expect(results.map((r) => r.outcome)).toEqual(['ticket']);
    const row = await mailRow(kit, messageId);
    expect(row).toMatchObject({ outcome: 'ticket', source: 'imap' });
    const [ticket] = await kit.t.db.select().from(tickets).where(eq(tickets.id, row!.ticketId!));
    expect(ticket).toMatchObject({ channel: 'email', title: '热水器漏水', description: '热水器底部一直滴水。' });

    // Marked seen after it was stored: the next poll finds nothing new.
    expect(await unseen()).toBe(0);
    expect(await pollImapOnce(kit.deps, imap, silentLog)).toEqual([]);
  });
});
