/**
 * A real SMTP server for tests, on 127.0.0.1 and a free port: it records every message with its
 * envelope (the recipients the client really asked for) and the parsed message. `refuse` lets a
 * test answer the next messages with an SMTP error (e.g. 451 = try again later).
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { freePort } from '../../../../bench/free-port.js';

export interface ReceivedMail {
  from: string | null;
  /** RCPT TO addresses of the SMTP exchange: who actually receives it (Bcc included). */
  rcptTo: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpSink {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** The next `times` messages are answered with this error at DATA. */
  refuse(times: number, code: number, message: string): void;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const port = await freePort();
  const received: ReceivedMail[] = [];
  let refusals: Array<{ code: number; message: string }> = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback: no STARTTLS offer (self-signed), no AUTH.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const refusal = refusals.shift();
        if (refusal) {
          const err = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
          callback(err);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then((parsed) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            raw,
            parsed,
          });
          callback();
        }, (err: Error) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse(times, code, message) {
      refusals = Array.from({ length: times }, () => ({ code, message }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
