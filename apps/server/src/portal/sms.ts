/**
 * Text messages (SMS) through a pluggable sender. The default sender sends nothing: it logs the
 * message and records it in `sms_messages` (an inbox tests and operators can read). A deployment
 * with an SMS gateway installs its own sender with setSmsSender at start-up.
 */
import type { Db } from '../db/client.js';
import { smsMessages } from '../db/schema.js';
import { newId } from '../db/util.js';

export interface SmsMessage { phone: string; body: string; ticketId?: string | null }

export interface SmsSender {
  readonly name: string;
  send(db: Db, message: SmsMessage, log: { info(obj: object, msg: string): void }): Promise<void>;
}

export const loggingSmsSender: SmsSender = {
  name: 'log',
  async send(db, message, log) {
    await db.insert(smsMessages).values({
      id: newId(), phone: message.phone, body: message.body, sender: 'log', ticketId: message.ticketId ?? null,
    });
    // The body carries a one-time code: it goes to the table, not to the log.
    log.info({ phone: maskPhone(message.phone), ticketId: message.ticketId }, 'sms recorded (logging sender)');
  },
};

let current: SmsSender = loggingSmsSender;
export const smsSender = (): SmsSender => current;
export function setSmsSender(sender: SmsSender): void {
  current = sender;
}

export function maskPhone(phone: string): string {
  const d = phone.replace(/\D/g, '');
  return d.length <= 4 ? '****' : `${d.slice(0, 3)}****${d.slice(-4)}`;
}
