/**
 * The outbox handler registry: one handler per outbox kind, typed by OutboxPayloads. A handler
 * may run more than once for the same row (a crash between its work and "done", an expired
 * lease), so each must be idempotent by a key derived from the row id.
 * Rows of kind `event` do not come here one by one: the runner hands them to their subscriber
 * in batches (deliver-events.ts).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Db, SqlRunner } from '../db/client.js';
import type { outbox } from '../db/schema.js';
import type { OutboxKind, OutboxPayloads } from './outbox.js';
import { notifyUsers } from '../notifications/notify-users.js';

export type OutboxRow = typeof outbox.$inferSelect;

export interface HandlerContext {
  db: Db;
  sql?: SqlRunner;
  /** Child logger carrying the outbox id and kind. */
  log: FastifyBaseLogger;
}

export type OutboxHandler<K extends OutboxKind> =
  (ctx: HandlerContext, payload: OutboxPayloads[K], row: OutboxRow) => Promise<void>;

export type OutboxHandlers = { [K in Exclude<OutboxKind, 'event'>]?: OutboxHandler<K> };

/** What a production runner carries out. Every kind needs an entry: a new kind without one fails type-checking. */
export const defaultHandlers: Required<OutboxHandlers> = {
  'notify.users': notifyUsers,
  'test.echo': async (ctx, payload) => {
    ctx.log.info({ payload }, 'outbox test.echo');
  },
};
