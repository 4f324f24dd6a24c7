/**
 * One pass of the outbox runner: claim a bounded batch of due rows, carry each out with its
 * handler, record the outcome. Safe with several instances on one PostgreSQL database: rows are
 * claimed with FOR UPDATE SKIP LOCKED and a lease, so no row is handled by two instances at once,
 * and a row whose instance died is picked up again once its lease has expired.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import type { DomainEvent } from '@closeloop/contract';
import { sqlOf, type Db, type SqlRunner } from '../db/client.js';
import { outbox } from '../db/schema.js';
import { subscriberNamed } from '../events/registry.js';
import type { MailSettings } from '../mail/mailer.js';
import { computeBackoff, type Backoff } from './backoff.js';
import { defaultHandlers, type HandlerContext, type OutboxHandlers, type OutboxRow } from './handlers.js';
import { isOutboxKind, parseOutboxPayload, type OutboxKind, type OutboxPayloads } from './outbox.js';

export interface RunOutboxOnceOptions {
  db: Db;
  /** Plain SQL on the same database, for subscribers' hot paths. */
  sql?: SqlRunner;
  /** Who holds the claimed rows (stored in locked_by); unique per running instance. */
  instanceId: string;
  handlers?: OutboxHandlers;
  /** Most rows claimed in one pass. */
  batchSize?: number;
  /** How long a claim holds before another instance may take the row over. */
  leaseMs?: number;
  /** A handler still running after this long counts as failed (and is retried). */
  handlerTimeoutMs?: number;
  /** Handlers of one batch running at the same time. */
  concurrency?: number;
  /** Delay in ms before the next attempt after `attempts` failures. */
  backoff?: Backoff;
  log?: FastifyBaseLogger;
  /** Outbound e-mail for the `email.send` handler; absent = e-mail off. */
  mail?: MailSettings;
}

export const OUTBOX_DEFAULTS = {
  batchSize: 200,
  leaseMs: 5 * 60_000,
  handlerTimeoutMs: 60_000,
  concurrency: 4,
} as const;

const MAX_ERROR_CHARS = 2000;
const silentLog = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

type AnyHandler = (ctx: HandlerContext, payload: unknown, row: OutboxRow) => Promise<void>;

/** Returns how many rows it claimed and settled (done, retried later or dead). */
export async function runOutboxOnce(opts: RunOutboxOnceOptions): Promise<number> {
  const { db, instanceId } = opts;
  const handlers = opts.handlers ?? defaultHandlers;
  const batchSize = opts.batchSize ?? OUTBOX_DEFAULTS.batchSize;
  const leaseMs = opts.leaseMs ?? OUTBOX_DEFAULTS.leaseMs;
  const timeoutMs = opts.handlerTimeoutMs ?? Math.min(OUTBOX_DEFAULTS.handlerTimeoutMs, leaseMs);
  const backoff = opts.backoff ?? ((n: number) => computeBackoff(n));
  const log = opts.log ?? silentLog;

  const rows = await claimBatch(db, instanceId, batchSize, leaseMs);
  if (rows.length === 0) return 0;

  const base = { db, sql: opts.sql, instanceId, handlers, timeoutMs, backoff, mail: opts.mail };
  const done: string[] = [];
  const settle = async (row: OutboxRow, work: () => Promise<boolean>) => {
    const rowLog = log.child({ outboxId: row.id, kind: row.kind });
    try {
      if (await work()) done.push(row.id);
    } catch (err) {
      // Recording the outcome failed (database gone?): the row stays claimed and is retried
      // once its lease expires. Never let one row stop the rest of the batch.
      rowLog.error({ err }, 'outbox: could not record the outcome of a row');
    }
  };

  const eventRows = rows.filter((r) => r.kind === 'event');
  const otherRows = rows.filter((r) => r.kind !== 'event');
  await deliverEventRows({ ...base, rows: eventRows, log, settle });

  const queue = [...otherRows];
  const workers = Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? OUTBOX_DEFAULTS.concurrency, queue.length)) }, async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const current = row;
      await settle(current, () => handleRow({ ...base, row: current, log: log.child({ outboxId: current.id, kind: current.kind }) }));
    }
  });
  await Promise.all(workers);

  if (done.length) {
    const marked = await sqlOf(db).query<{ id: string }>(MARK_DONE, [done, instanceId], 'outbox_mark_done_v1');
    if (marked.length < done.length) {
      log.warn({ lost: done.length - marked.length }, 'outbox: leases lost before rows were marked done; another instance owns them now');
    }
  }
  return rows.length;
}

/**
 * Claims due rows in one statement. A row reclaimed after an expired lease counts as an
 * attempt: the instance that held it crashed or hung, and a row that crashes every instance
 * must end dead rather than loop for ever.
 */
async function claimBatch(db: Db, instanceId: string, batchSize: number, leaseMs: number): Promise<OutboxRow[]> {
  const rows = await sqlOf(db).query<RawOutboxRow>(CLAIM, [instanceId, leaseMs, batchSize], 'outbox_claim_v1');
  // Oldest first, as they were enqueued: subscribers see one ticket's events in order.
  return rows.map(toOutboxRow).sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One statement: the due rows (a pending one, or a processing one whose lease expired), leased. */
const CLAIM = `update outbox set
    status = 'processing',
    locked_by = $1::text,
    locked_until = now() + $2::double precision * interval '1 millisecond',
    attempts = case when status = 'processing' then attempts + 1 else attempts end,
    last_error = case when status = 'processing'
      then 'lease of ' || coalesce(locked_by, '?') || ' expired before the row was finished' else last_error end
  where id in (
    select id from outbox
    where (status = 'pending' and run_at <= now()) or (status = 'processing' and locked_until < now())
    order by run_at
    limit $3::integer
    for update skip locked)
  returning id, kind, payload, dedupe_key, status, attempts, max_attempts, run_at, locked_by, locked_until,
    last_error, created_at, processed_at`;

const MARK_DONE = `update outbox set status = 'done', processed_at = now(), locked_by = null, locked_until = null
  where id = any($1::uuid[]) and status = 'processing' and locked_by = $2::text
  returning id`;

interface RawOutboxRow {
  id: string; kind: string; payload: Record<string, unknown>; dedupe_key: string | null; status: OutboxRow['status'];
  attempts: number; max_attempts: number; run_at: Date; locked_by: string | null; locked_until: Date | null;
  last_error: string | null; created_at: Date; processed_at: Date | null;
}

function toOutboxRow(r: RawOutboxRow): OutboxRow {
  return {
    id: r.id, kind: r.kind, payload: r.payload, dedupeKey: r.dedupe_key, status: r.status, attempts: r.attempts,
    maxAttempts: r.max_attempts, runAt: r.run_at, lockedBy: r.locked_by, lockedUntil: r.locked_until,
    lastError: r.last_error, createdAt: r.created_at, processedAt: r.processed_at,
  };
}

type Settle = (row: OutboxRow, work: () => Promise<boolean>) => Promise<void>;

/**
 * Event rows go to their subscriber in one batch per subscriber. When a batch fails, each of
 * its events is tried alone, so one bad event is retried (and in the end dead) by itself.
 */
async function deliverEventRows(o: Omit<HandleRowOptions, 'row'> & { rows: OutboxRow[]; settle: Settle }): Promise<void> {
  const bySubscriber = new Map<string, Array<{ row: OutboxRow; event: DomainEvent }>>();
  for (const row of o.rows) {
    await o.settle(row, async () => {
      if (row.attempts >= row.maxAttempts) {
        await finishDead({ ...o, row }, row.attempts, row.lastError ?? 'attempts used up');
        return false;
      }
      let payload: OutboxPayloads['event'];
      try {
        payload = parseOutboxPayload('event', row.payload);
      } catch (err) {
        o.log.error({ outboxId: row.id, err }, 'outbox: event row does not match the catalog; row is dead');
        await finishDead({ ...o, row }, row.attempts + 1, errorText(err));
        return false;
      }
      if (!subscriberNamed(payload.subscriber)) {
        await finishDead({ ...o, row }, row.attempts + 1, `no subscriber named "${payload.subscriber}"`);
        return false;
      }
      const list = bySubscriber.get(payload.subscriber) ?? [];
      list.push({ row, event: payload.event });
      bySubscriber.set(payload.subscriber, list);
      return false;
    });
  }
  for (const [name, items] of bySubscriber) {
    const subscriber = subscriberNamed(name)!;
    const log = o.log.child({ subscriber: name });
    const ctx = { db: o.db, sql: o.sql, log };
    try {
      await withTimeout(subscriber.handle(ctx, items.map((i) => i.event)), o.timeoutMs);
      for (const i of items) await o.settle(i.row, async () => true);
      continue;
    } catch (err) {
      if (items.length === 1) {
        await o.settle(items[0]!.row, async () => { await recordFailure({ ...o, row: items[0]!.row, log }, err); return false; });
        continue;
      }
      log.warn({ err, events: items.length }, 'outbox: subscriber batch failed; trying its events one by one');
    }
    for (const i of items) {
      await o.settle(i.row, async () => {
        try {
          await withTimeout(subscriber.handle(ctx, [i.event]), o.timeoutMs);
          return true;
        } catch (err) {
          await recordFailure({ ...o, row: i.row, log }, err);
          return false;
        }
      });
    }
  }
}

interface HandleRowOptions {
  db: Db;
  sql?: SqlRunner;
  instanceId: string;
  row: OutboxRow;
  handlers: OutboxHandlers;
  timeoutMs: number;
  backoff: Backoff;
  log: FastifyBaseLogger;
  mail?: MailSettings;
}

/** Runs one row's handler; true = succeeded (the caller marks it done with the rest). */
async function handleRow(o: HandleRowOptions): Promise<boolean> {
  const { row, log } = o;
  const handler = isOutboxKind(row.kind) && row.kind !== 'event'
    ? (o.handlers as Record<string, AnyHandler | undefined>)[row.kind] : undefined;
  if (!handler) {
    log.error('outbox: no handler for this kind; row is dead');
    await finishDead(o, row.attempts + 1, `no handler for outbox kind "${row.kind}"`);
    return false;
  }
  if (row.attempts >= row.maxAttempts) {
    // Only a reclaimed row gets here: its lease expired on its last allowed attempt.
    log.error({ lastError: row.lastError }, 'outbox: attempts used up; row is dead');
    await finishDead(o, row.attempts, row.lastError ?? 'attempts used up');
    return false;
  }
  let payload: unknown;
  try {
    payload = parseOutboxPayload(row.kind as OutboxKind, row.payload);
  } catch (err) {
    log.error({ err }, 'outbox: payload does not match its kind; row is dead');
    await finishDead(o, row.attempts + 1, errorText(err));
    return false;
  }
  try {
    await withTimeout(handler({ db: o.db, sql: o.sql, log, mail: o.mail }, payload, row), o.timeoutMs);
  } catch (err) {
    await recordFailure(o, err);
    return false;
  }
  return true;
}

async function recordFailure(o: HandleRowOptions, err: unknown): Promise<void> {
  const { row, log } = o;
  const attempts = row.attempts + 1;
  const message = errorText(err);
  if (attempts >= row.maxAttempts) {
    log.error({ err, attempts }, 'outbox: handler failed for the last time; row is dead');
    await finishDead(o, attempts, message);
    return;
  }
  const delayMs = Math.max(0, Math.round(o.backoff(attempts)));
  log.warn({ err, attempts, delayMs }, 'outbox: handler failed; will retry');
  await o.db
    .update(outbox)
    .set({
      status: 'pending',
      attempts,
      lastError: message,
      runAt: sql`now() + ${delayMs}::double precision * interval '1 millisecond'`,
      lockedBy: null,
      lockedUntil: null,
    })
    .where(ownedBy(row.id, o.instanceId));
}

async function finishDead(o: HandleRowOptions, attempts: number, message: string): Promise<void> {
  await o.db
    .update(outbox)
    .set({
      status: 'dead', attempts, lastError: message.slice(0, MAX_ERROR_CHARS),
      processedAt: sql`now()`, lockedBy: null, lockedUntil: null,
    })
    .where(ownedBy(o.row.id, o.instanceId));
}

/** Only the instance holding the claim may settle a row; after a lost lease the new owner does. */
const ownedBy = (id: string, instanceId: string) =>
  and(eq(outbox.id, id), eq(outbox.status, 'processing'), eq(outbox.lockedBy, instanceId));

function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, MAX_ERROR_CHARS);
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`handler did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
