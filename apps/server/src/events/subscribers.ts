/**
 * Subscribers to domain events: each names the event types it wants and handles a batch of
 * them after the publishing command committed. Delivery is at least once (a crash between the
 * work and "done" repeats it), so every subscriber is idempotent by the event id.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { DomainEvent, EventType } from '@closeloop/contract';
import type { Db, SqlRunner } from '../db/client.js';

export interface SubscriberContext {
  db: Db;
  sql?: SqlRunner;
  log: FastifyBaseLogger;
}

export interface Subscriber {
  /** Stable: it is part of outbox rows' dedupe keys and of events' automation causes. */
  name: string;
  types: readonly EventType[];
  /** Handles the events (oldest first); throwing retries the whole batch one event at a time. */
  handle(ctx: SubscriberContext, events: DomainEvent[]): Promise<void>;
}
