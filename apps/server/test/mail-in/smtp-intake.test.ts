import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import nodemailer from 'nodemailer';
import { attachments, customers, mailMessages, outbox, tickets } from '../../src/db/schema.js';
import { replyAddress, subjectToken } from '../../src/mail-in/reply-address.js';
import { backends } from '../backends.js';
import { makeUser } from '../harness.js';
import { commentsOf, mailRow, REPLY_DOMAIN, REPLY_SECRET, startMailInKit, type MailInKit } from './mail-in-kit.js';

const keys = { domain: REPLY_DOMAIN, secret: REPLY_SECRET };
let seq = 0;
const mid = (tag: string) => `<${tag}-${Date.now()}-${++seq}@customer.example.cn>`;

/** A PNG of 1×1 pixel: passes the upload type check. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000'
  + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describe.each(backends)('e-mail in through the SMTP receiver on $name', (backend) => {
  let kit: MailInKit;
  beforeAll(async () => { kit = await startMailInKit(backend); }, 180_000);
  afterAll(async () => { await kit?.close(); });

  const ticketOf = async (messageId: string) => {
    const row = await mailRow(kit, messageId);
    const [ticket] = row?.ticketId ? await kit.t.db.select().from(tickets).where(eq(tickets.id, row.ticketId)) : [];
    return { row, ticket };
  };

  it('turns a new message into an e-mail ticket of the customer found or created by address', async () => {
    const messageId = mid('new');
    await kit.transport.sendMail({
      from: '王小明 <wang.xm@customer.example.cn>', to: 'service@support.example.com', messageId,
      subject: '空调外机异响', text: '安装后第二天外机就有异响，晚上很明显。',
      attachments: [{ filename: 'photo.png', content: PNG }, { filename: 'tool.exe', content: Buffer.from('MZ\x90\x00 not allowed') }],
    });
    const { row, ticket } = await ticketOf(messageId);
    expect(row).toMatchObject({ direction: 'in', outcome: 'ticket', source: 'smtp', fromAddress: 'wang.xm@customer.example.cn' });
    expect(ticket).toMatchObject({ channel: 'email', title: '空调外机异响' });
    expect(ticket!.description).toContain('安装后第二天外机就有异响');
    // The PNG is kept with the upload checks; the .exe is refused and named in the text.
    const files = await kit.t.db.select().from(attachments).where(eq(attachments.ticketId, ticket!.id));
    expect(files.map((f) => [f.filename, f.contentType])).toEqual([['photo.png', 'image/png']]);
    expect(ticket!.description).toContain('tool.exe');
    const [customer] = await kit.t.db.select().from(customers).where(eq(customers.id, ticket!.customerId));
    expect(customer).toMatchObject({ name: '王小明', email: 'wang.xm@customer.example.cn' });

    // The same customer writing about something else: a second ticket, the same customer.
    const second = mid('new2');
    await kit.transport.sendMail({ from: 'wang.xm@customer.example.cn', to: 'service@support.example.com', messageId: second, subject: '遥控器失灵', text: '按键没反应' });
    const again = await ticketOf(second);
    expect(again.ticket!.id).not.toBe(ticket!.id);
    expect(again.ticket!.customerId).toBe(ticket!.customerId);
  });

  it('sanitises an HTML-only message to its text', async () => {
    const messageId = mid('html');
    await kit.transport.sendMail({
      from: 'li@customer.example.cn', to: 'service@support.example.com', messageId, subject: 'HTML 邮件',
      html: '<p>洗衣机<b>漏水</b></p><script>alert(1)</script><img src=x onerror=alert(2)><p>第二段 &amp; 结束</p>',
    });
    const { ticket } = await ticketOf(messageId);
    expect(ticket!.description).toBe('洗衣机漏水\n第二段 & 结束');
  });

  it('threads a reply by its signed reply address, by the subject token and by In-Reply-To', async () => {
    const first = mid('thread');
    await kit.transport.sendMail({ from: 'zhao@customer.example.cn', to: 'service@support.example.com', messageId: first, subject: '冰箱不制冷', text: '冷藏室不冷' });
    const { ticket } = await ticketOf(first);

    const byAddress = mid('reply-addr');
    await kit.transport.sendMail({ from: 'zhao@customer.example.cn', to: replyAddress(keys, ticket!.id)!, messageId: byAddress, subject: '补充', text: '型号是 BCD-520' });
    const byToken = mid('reply-token');
    await kit.transport.sendMail({ from: 'zhao@customer.example.cn', to: 'service@support.example.com', messageId: byToken, subject: `Re: 冰箱不制冷 ${subjectToken(keys, ticket!.number)}`, text: '照片稍后发' });
    const byChain = mid('reply-chain');
    await kit.transport.sendMail({
      from: 'zhao@customer.example.cn', to: 'service@support.example.com', messageId: byChain,
      inReplyTo: first, references: [first], subject: 'Re: 冰箱不制冷', text: '今天上午在家',
    });
    for (const id of [byAddress, byToken, byChain]) expect(await mailRow(kit, id)).toMatchObject({ outcome: 'comment', ticketId: ticket!.id });
    const list = await commentsOf(kit, ticket!.id);
    expect(list.map((c) => c.body).sort()).toEqual(['今天上午在家', '照片稍后发', '型号是 BCD-520'].sort());
    expect(list.every((c) => c.visibility === 'public' && c.authorId === null)).toBe(true);

    // A forged reply address (wrong signature) opens a new ticket instead of posting to this one.
    const forged = mid('forged');
    await kit.transport.sendMail({ from: 'evil@attacker.example', to: `reply+${ticket!.id}.0000000000000000@${REPLY_DOMAIN}`, messageId: forged, subject: '伪造', text: 'x' });
    const f = await ticketOf(forged);
    expect(f.row!.outcome).toBe('ticket');
    expect(f.ticket!.id).not.toBe(ticket!.id);
  });

  it('gives one ticket for the same Message-ID sent twice at the same time', async () => {
    const messageId = mid('dup');
    const send = () => kit.transport.sendMail({ from: 'sun@customer.example.cn', to: 'service@support.example.com', messageId, subject: '重复投递', text: '同一封邮件' });
    const other = nodemailerTwin(kit);
    await Promise.all([send(), other.sendMail({ from: 'sun@customer.example.cn', to: 'service@support.example.com', messageId, subject: '重复投递', text: '同一封邮件' }), send()]);
    other.close();
    const rows = await kit.t.db.select().from(tickets).where(eq(tickets.title, '重复投递'));
    expect(rows).toHaveLength(1);
    const [{ n }] = await kit.t.db.select({ n: sql<number>`count(*)::int` }).from(mailMessages).where(eq(mailMessages.messageId, messageId)) as [{ n: number }];
    expect(n).toBe(1);
    expect(kit.results.filter((r) => r.messageId === messageId).map((r) => r.outcome).sort()).toEqual(['duplicate', 'duplicate', 'ticket']);
  });

  it('keeps mail from a staff address a customer message, never a staff reply', async () => {
    const staff = await makeUser(kit.t.db, 'handler', { email: 'handler.li@closeloop.example.com' });
    const first = mid('spoof-base');
    await kit.transport.sendMail({ from: 'qian@customer.example.cn', to: 'service@support.example.com', messageId: first, subject: '热水器打不着火', text: '点火失败' });
    const { ticket } = await ticketOf(first);
    const spoof = mid('spoof');
    await kit.transport.sendMail({ from: `李工 <${staff.email}>`, to: replyAddress(keys, ticket!.id)!, messageId: spoof, subject: 'Re', text: '已处理完毕，请确认' });
    const row = await mailRow(kit, spoof);
    expect(row).toMatchObject({ outcome: 'comment', ticketId: ticket!.id });
    expect(row!.reason).toMatch(/staff address/);
    const [c] = (await commentsOf(kit, ticket!.id));
    expect(c).toMatchObject({ body: '已处理完毕，请确认', visibility: 'public', authorId: null });
    const [event] = await kit.t.db.select().from(outbox).where(and(
      eq(outbox.kind, 'event'), sql`${outbox.payload}->'event'->'payload'->>'commentId' = ${c!.id}`,
    ));
    const payload = (event?.payload as { event?: { payload?: { authorRole?: string } } } | undefined)?.event?.payload;
    expect(payload?.authorRole).toBe('customer');
  });

  it('opens nothing for auto-replies and bounces, and records them as skipped', async () => {
    const cases: Array<{ tag: string; mail: Record<string, unknown> }> = [
      { tag: 'auto-submitted', mail: { headers: { 'Auto-Submitted': 'auto-replied' } } },
      { tag: 'precedence', mail: { headers: { Precedence: 'bulk' } } },
      { tag: 'x-autoreply', mail: { headers: { 'X-Autoreply': 'yes' } } },
      { tag: 'daemon', mail: { from: 'MAILER-DAEMON@mx.example.cn' } },
    ];
    const before = (await kit.t.db.select().from(tickets)).length;
    for (const c of cases) {
      const messageId = mid(c.tag);
      await kit.transport.sendMail({ from: 'zhou@customer.example.cn', to: 'service@support.example.com', messageId, subject: '自动回复：我正在休假', text: '我将于下周回来', ...c.mail });
      expect(await mailRow(kit, messageId)).toMatchObject({ outcome: 'skipped', ticketId: null });
    }
    // A delivery status notification (multipart/report), sent with a null return path.
    const dsnId = mid('dsn');
    await kit.transport.sendMail({
      envelope: { from: '', to: ['service@support.example.com'] },
      raw: [
        'From: Mail Delivery System <mailer@mx.example.cn>', 'To: service@support.example.com', `Message-ID: ${dsnId}`,
        'Subject: Undelivered Mail Returned to Sender', 'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"', '',
        '--b1', 'Content-Type: text/plain', '', 'The mail could not be delivered.', '--b1',
        'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.cn', '', 'Final-Recipient: rfc822; x@y.cn', 'Action: failed', 'Status: 5.1.1', '--b1--', '',
      ].join('\r\n'),
    });
    expect(await mailRow(kit, dsnId)).toMatchObject({ outcome: 'skipped' });
    expect((await kit.t.db.select().from(tickets)).length).toBe(before);
  });

  it('reads GBK, GB18030 and Big5 mail as the same Chinese text', async () => {
    const text = '您好，我家的空调遥控器失灵了，请尽快派人上门维修。𠀀';
    const subject = '空调遥控器失灵';
    for (const [charset, expected] of [['GBK', text.replace('𠀀', '')], ['GB18030', text], ['Big5', '您好，我家的空調遙控器失靈了']] as const) {
      const messageId = mid(charset);
      const body = iconv.encode(expected, charset);
      const subj = charset === 'Big5' ? '空調遙控器失靈' : subject;
      const encodedSubject = `=?${charset}?B?${iconv.encode(subj, charset).toString('base64')}?=`;
      const name = charset === 'Big5' ? '陳先生' : '陈先生';
      const head = Buffer.from([
        `From: =?${charset}?B?${iconv.encode(name, charset).toString('base64')}?= <chen.${charset.toLowerCase()}@customer.example.cn>`,
        'To: service@support.example.com', `Message-ID: ${messageId}`, `Subject: ${encodedSubject}`, 'MIME-Version: 1.0',
        `Content-Type: text/plain; charset=${charset}`, 'Content-Transfer-Encoding: 8bit', '', '',
      ].join('\r\n'), 'latin1');
      // The bytes are really not UTF-8: the test would fail with a decoder that guessed UTF-8.
      expect(body.toString('utf8')).not.toContain(expected.slice(0, 4));
      await kit.transport.sendMail({
        envelope: { from: `chen.${charset.toLowerCase()}@customer.example.cn`, to: ['service@support.example.com'] },
        raw: Buffer.concat([head, body, Buffer.from('\r\n')]),
      });
      const { ticket } = await ticketOf(messageId);
      expect(ticket, charset).toBeDefined();
      expect(ticket!.title).toBe(subj);
      expect(ticket!.description).toBe(expected);
      const [customer] = await kit.t.db.select().from(customers).where(eq(customers.id, ticket!.customerId));
      expect(customer!.name).toBe(name);
    }
  });
});

describe.each(backends)('oversize mail on $name', (backend) => {
  let kit: MailInKit;
  beforeAll(async () => { kit = await startMailInKit(backend, { maxMessageBytes: 200 * 1024 }); }, 180_000);
  afterAll(async () => { await kit?.close(); });

  it('refuses a message over the size limit with 552 and stores nothing', async () => {
    const messageId = mid('big');
    const err = await kit.transport.sendMail({
      from: 'wu@customer.example.cn', to: 'service@support.example.com', messageId, subject: '大附件',
      text: '见附件', attachments: [{ filename: 'video.mp4', content: Buffer.alloc(400 * 1024, 1) }],
    }).then(() => null, (e: { responseCode?: number }) => e);
    expect(err?.responseCode).toBe(552);
    expect(await mailRow(kit, messageId)).toBeUndefined();
    expect(await kit.t.db.select().from(tickets)).toHaveLength(0);
  });

  it('quarantines a message of thousands of parts without parsing or storing any of it', async () => {
    const messageId = mid('parts');
    const parts = Array.from({ length: 1500 }, (_v, i) => `--p\r\nContent-Type: text/plain\r\n\r\n${i}\r\n`).join('');
    await kit.transport.sendMail({
      envelope: { from: 'wu@customer.example.cn', to: ['service@support.example.com'] },
      raw: `From: wu@customer.example.cn\r\nTo: service@support.example.com\r\nMessage-ID: ${messageId}\r\nSubject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="p"\r\n\r\n${parts}--p--\r\n`,
    });
    expect(await mailRow(kit, messageId)).toMatchObject({ outcome: 'quarantined', ticketId: null });
    expect(await kit.t.db.select().from(tickets)).toHaveLength(0);
    expect(await kit.t.db.select().from(attachments)).toHaveLength(0);
  });
});

/** A second SMTP client (its own connection), so two deliveries of one message really overlap. */
function nodemailerTwin(kit: MailInKit) {
  return nodemailer.createTransport({ host: '127.0.0.1', port: kit.smtp.port, secure: false, ignoreTLS: true });
}
