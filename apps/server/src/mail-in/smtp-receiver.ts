/**
 * The SMTP receiver (CLOSELOOP_SMTP_IN_PORT): accepts mail for any recipient — put it behind the
 * company's MX or a forwarding rule — and hands each message to the intake. A message over the
 * size limit is refused with 552 (SIZE is announced in EHLO, so good clients do not even send
 * it); the intake failing answers 451, so the sending server tries again later. The message is
 * acknowledged only after its ticket or comment committed.
 */
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { FastifyBaseLogger } from 'fastify';
import { intakeMail, type MailIntakeDeps, type MailIntakeResult } from './intake-mail.js';

export interface SmtpReceiver {
  port: number;
  close(): Promise<void>;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

export async function startSmtpReceiver(opts: {
  deps: MailIntakeDeps;
  log: FastifyBaseLogger;
  port: number;
  host: string;
  /** Called after each message (tests, benchmarks). */
  onIntake?: (r: MailIntakeResult) => void;
}): Promise<SmtpReceiver> {
  const max = opts.deps.config.mailIn.maxMessageBytes;
  const server = new SMTPServer({
    // No certificate is configured for this listener: offer neither STARTTLS nor AUTH (it is a
    // receiving MTA, not a submission server). Terminate TLS in front of it if needed.
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: max,
    maxClients: 200,
    // On shutdown, connections still open after this are cut (the sender retries what was not acknowledged).
    closeTimeout: 2_000,
    logger: false,
    banner: 'closeloop mail intake',
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (c: Buffer) => {
        bytes += c.length;
        // Past the limit nothing more is kept; smtp-server marks the stream sizeExceeded.
        if (bytes <= max) chunks.push(c);
      });
      stream.on('error', (err: Error) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded || bytes > max) {
          callback(smtpError(`552 message exceeds the limit of ${max} bytes`, 552));
          return;
        }
        const mailFrom = session.envelope.mailFrom;
        intakeMail(opts.deps, {
          raw: Buffer.concat(chunks), source: 'smtp',
          envelopeFrom: mailFrom === false ? null : mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
        }).then((r) => {
          opts.log.info({ outcome: r.outcome, messageId: r.messageId, ticketId: r.ticketId, reason: r.reason }, 'mail in (smtp)');
          opts.onIntake?.(r);
          callback();
        }, (err: unknown) => {
          opts.log.error({ err }, 'mail in (smtp): intake failed; the sender will retry');
          callback(smtpError('451 temporary failure, try again later', 451));
        });
      });
    },
  });
  server.on('error', (err) => opts.log.warn({ err }, 'mail in (smtp): connection error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => { server.off('error', reject); resolve(); });
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
