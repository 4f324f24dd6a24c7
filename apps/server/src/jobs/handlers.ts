/**
 * The outbox handler registry: one handler per outbox kind, typed by OutboxPayloads. A handler
 * may run more than once for the same row (a crash between its work and "done", an expired
 * lease), so each must be idempotent by a key derived from the row id.
 * Rows of kind `event` do not come here one by one: the runner hands them to their subscriber
 * in batches (run-outbox-once.ts).
 */
import type { OutboxKind } from './outbox.js';
import type { OutboxHandler } from './handler-types.js';
import { notifyUsers } from '../notifications/notify-users.js';
import { sendEmail } from '../mail/send-email.js';

export type { HandlerContext, OutboxHandler, OutboxRow } from './handler-types.js';

export type OutboxHandlers = { [K in Exclude<OutboxKind, 'event'>]?: OutboxHandler<K> };

/** What a production runner carries out. Every kind needs an entry: a new kind without one fails type-checking. */
export const defaultHandlers: Required<OutboxHandlers> = {
  'notify.users': notifyUsers,
  'email.send': sendEmail,
  'test.echo': async (ctx, payload) => {
    ctx.log.info({ payload }, 'outbox test.echo');
  },
};
