import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../../src/auth/actor.js';
import { emailDeliveries, mailMessages } from '../../src/db/schema.js';
import { runOutboxOnce } from '../../src/jobs/runner.js';
import { createMailSettings, type MailSettings } from '../../src/mail/mailer.js';
import { addComment } from '../../src/tickets/add-comment.js';
import { replyAddress } from '../../src/mail-in/reply-address.js';
import { backends } from '../backends.js';
import { makeUser, ORIGIN } from '../harness.js';
import { startSmtpSink, type SmtpSink } from '../mail/smtp-sink.js';
import { commentsOf, mailRow, REPLY_DOMAIN, REPLY_SECRET, startMailInKit, type MailInKit } from './mail-in-kit.js';

describe.each(backends)('staff replies mailed to the customer, threading back, on $name', (backend) => {
  let kit: MailInKit;
  let sink: SmtpSink;
  let mail: MailSettings;
  beforeAll(async () => {
    [kit, sink] = await Promise.all([startMailInKit(backend), startSmtpSink()]);
    mail = createMailSettings({
      smtpUrl: sink.url, mailFrom: 'closeloop 售后 <service@company.example.cn>', baseUrl: ORIGIN,
      mailIn: { replyDomain: REPLY_DOMAIN, replySecret: REPLY_SECRET },
    });
  }, 180_000);
  afterAll(async () => {
    mail?.mailer?.close();
    await kit?.close();
    await sink?.close();
  });

  async function drain() {
    let passes = 0;
    while (await runOutboxOnce({ db: kit.t.db, instanceId: 'mail-out-test', mail }) > 0) {
      if (++passes > 20) throw new Error('outbox does not settle');
    }
  }

  it('mails a public staff reply with Reply-To and In-Reply-To, never an internal note; the answer lands on the ticket', async () => {
    const first = `<out-first-${Date.now()}@customer.example.cn>`;
    await kit.transport.sendMail({ from: '周女士 <zhou@customer.example.cn>', to: 'service@company.example.cn', messageId: first, subject: '烤箱温度不准', text: '设定 200 度实际只有 150 度' });
    const ticketId = (await mailRow(kit, first))!.ticketId!;
    const handler = await makeUser(kit.t.db, 'admin', { displayName: '李工', email: 'li.gong@company.example.cn' });
    const staff = { ...SYSTEM_ACTOR, kind: 'user' as const, userId: handler.id };
    await addComment({ db: kit.t.db, actor: staff, ticketId, input: { body: '内部：疑似温控器批次问题', visibility: 'internal' } });
    await addComment({ db: kit.t.db, actor: staff, ticketId, input: { body: '您好，明天上午安排师傅上门检测温控器。', visibility: 'public' } });
    await drain();

    const toCustomer = sink.received.filter((m) => m.rcptTo.includes('zhou@customer.example.cn'));
    expect(toCustomer).toHaveLength(1);
    const sent = toCustomer[0]!;
    expect(sent.parsed.text).toContain('明天上午安排师傅上门检测温控器');
    expect(sent.raw).not.toContain('温控器批次');
    expect(sent.parsed.replyTo?.value[0]?.address).toBe(replyAddress({ domain: REPLY_DOMAIN, secret: REPLY_SECRET }, ticketId));
    expect(sent.parsed.inReplyTo).toBe(first);
    expect(sent.parsed.references).toContain(first);
    expect(sent.parsed.headers.get('auto-submitted')).toBeUndefined();
    const [delivery] = await kit.t.db.select().from(emailDeliveries).where(eq(emailDeliveries.ticketId, ticketId));
    expect(delivery).toMatchObject({ status: 'sent', template: 'customer_reply' });
    // Its Message-ID is recorded for the ticket.
    const out = await kit.t.db.select().from(mailMessages).where(eq(mailMessages.messageId, sent.parsed.messageId!));
    expect(out).toMatchObject([{ direction: 'out', ticketId }]);

    // The customer answers the way a mail client does: to the Reply-To, In-Reply-To our message.
    // Even without the reply address (forwarded to the general box) the Message-ID chain finds it.
    const answer = `<out-answer-${Date.now()}@customer.example.cn>`;
    await kit.transport.sendMail({
      from: 'zhou@customer.example.cn', to: 'service@company.example.cn', messageId: answer,
      inReplyTo: sent.parsed.messageId, references: [first, sent.parsed.messageId!], subject: sent.parsed.subject, text: '好的，上午 10 点前有人在家',
    });
    expect(await mailRow(kit, answer)).toMatchObject({ outcome: 'comment', ticketId });
    const bodies = (await commentsOf(kit, ticketId)).map((c) => c.body);
    expect(bodies).toContain('好的，上午 10 点前有人在家');
    // The customer's own comment is not mailed back to them.
    await drain();
    expect(sink.received.filter((m) => m.rcptTo.includes('zhou@customer.example.cn'))).toHaveLength(1);
  });
});
