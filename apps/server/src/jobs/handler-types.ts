/**
 * The shape of an outbox handler, apart from the registry (handlers.ts) so that handlers in
 * other domains (notifications/) can be typed without importing the registry that imports them.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Db, SqlRunner } from '../db/client.js';
import type { MailSettings } from '../mail/mailer.js';
import type { outbox } from '../db/schema.js';
import type { OutboxKind, OutboxPayloads } from './outbox.js';

export type OutboxRow = typeof outbox.$inferSelect;

export interface HandlerContext {
  db: Db;
  sql?: SqlRunner;
  /** Child logger carrying the outbox id and kind. */
  log: FastifyBaseLogger;
  /** Outbound e-mail; absent = off (e-mail deliveries are recorded as skipped). */
  mail?: MailSettings;
}

export type OutboxHandler<K extends OutboxKind> =
  (ctx: HandlerContext, payload: OutboxPayloads[K], row: OutboxRow) => Promise<void>;
