/**
 * Test kit for e-mail in: the real app on a real database, the real SMTP receiver on a free
 * port of 127.0.0.1 and a nodemailer client sending to it.
 */
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { localDiskStorage } from '../../src/attachments/storage.js';
import { comments, mailMessages, tickets } from '../../src/db/schema.js';
import type { MailIntakeDeps, MailIntakeResult } from '../../src/mail-in/intake-mail.js';
import { startSmtpReceiver, type SmtpReceiver } from '../../src/mail-in/smtp-receiver.js';
import type { Backend } from '../backends.js';
import { createTestApp, makeCategory, type TestApp } from '../harness.js';

export const REPLY_DOMAIN = 'support.example.com';
export const REPLY_SECRET = 'test-reply-secret-0123456789';

export interface MailInKit {
  t: TestApp;
  deps: MailIntakeDeps;
  smtp: SmtpReceiver;
  results: MailIntakeResult[];
  transport: Transporter;
  dataDir: string;
  close(): Promise<void>;
}

export const silentLog = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

export async function startMailInKit(backend: Backend, over: { maxMessageBytes?: number } = {}): Promise<MailInKit> {
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'closeloop-mailin-'));
  const t = await createTestApp(backend, {
    CLOSELOOP_DATA_DIR: dataDir, CLOSELOOP_MAIL_REPLY_DOMAIN: REPLY_DOMAIN, CLOSELOOP_MAIL_REPLY_SECRET: REPLY_SECRET,
  });
  await makeCategory(t.db, { code: 'mail', sort: 1 });
  const config = { ...t.config, mailIn: { ...t.config.mailIn, maxMessageBytes: over.maxMessageBytes ?? t.config.mailIn.maxMessageBytes } };
  const deps: MailIntakeDeps = { db: t.db, storage: localDiskStorage(path.join(dataDir, 'attachments')), config };
  const results: MailIntakeResult[] = [];
  const smtp = await startSmtpReceiver({ deps, log: silentLog, port: 0, host: '127.0.0.1', onIntake: (r) => results.push(r) });
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, pool: false });
  return {
    t, deps, smtp, results, transport, dataDir,
    async close() {
      transport.close();
      await smtp.close();
      await t.close();
      await fsp.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function mailRow(kit: MailInKit, messageId: string) {
  const [row] = await kit.t.db.select().from(mailMessages).where(eq(mailMessages.messageId, messageId));
  return row;
}

export async function ticketsOf(kit: MailInKit) {
  return kit.t.db.select().from(tickets);
}

export async function commentsOf(kit: MailInKit, ticketId: string) {
  return kit.t.db.select().from(comments).where(eq(comments.ticketId, ticketId));
}
