/**
 * The background runner: a poll loop over the outbox in every app instance. Side effects are
 * carried out after the commands that enqueued them committed; several instances share the work
 * through run-outbox-once.ts's claims. A full batch means more is waiting, so it goes again at
 * once; otherwise it sleeps until the next poll or a wake().
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, SqlRunner } from '../db/client.js';
import { databaseFailure } from '../db/database-failure.js';
import type { MailSettings } from '../mail/mailer.js';
import type { Backoff } from './backoff.js';
import type { OutboxHandlers } from './handlers.js';
import { OUTBOX_DEFAULTS, runOutboxOnce } from './run-outbox-once.js';
import { runHousekeeping } from './housekeeping.js';

export { runOutboxOnce } from './run-outbox-once.js';

export interface RunnerOptions {
  db: Db;
  sql?: SqlRunner;
  log: FastifyBaseLogger;
  handlers?: OutboxHandlers;
  /** Defaults to host:pid:random, unique per process. */
  instanceId?: string;
  /** Sleep between polls when there was nothing (more) to do. */
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
  handlerTimeoutMs?: number;
  concurrency?: number;
  backoff?: Backoff;
  /** How often to trim old outbox rows, idempotency keys and sessions (housekeeping.ts). */
  housekeepingMs?: number;
  /**
   * After a wake(), wait this long before the pass, so that under load one pass carries many
   * commands' rows (a pass costs the same few statements for 1 row or 200).
   */
  gatherMs?: number;
  /** Outbound e-mail (jobs/handler-types.ts); absent = e-mail off. */
  mail?: MailSettings;
  /** Other work every instance does regularly (e.g. compacting count aggregates), run between passes. */
  periodic?: PeriodicTask[];
}

export interface PeriodicTask {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

export interface Runner {
  readonly instanceId: string;
  /** Poll now instead of at the end of the current sleep (after an enqueue, in tests). */
  wake(): void;
  /** Stops polling and waits for the batch in flight to be settled. */
  stop(): Promise<void>;
}

const running = new Set<Runner>();

/** Nudges every runner of this process; call after committing a transaction that enqueued work. */
export function wakeRunners(): void {
  for (const r of running) r.wake();
}

export function newInstanceId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export function startRunner(opts: RunnerOptions): Runner {
  const instanceId = opts.instanceId ?? newInstanceId();
  const pollMs = opts.pollMs ?? 1_000;
  const batchSize = opts.batchSize ?? OUTBOX_DEFAULTS.batchSize;
  const log = opts.log.child({ runner: instanceId });

  // `stopped` is flipped by stop() from outside the loop; `woken` by wake() while a batch runs,
  // so the sleep that follows is skipped.
  const state = { stopped: false, woken: false };
  const gatherMs = opts.gatherMs ?? 20;
  let interruptSleep: ((gather: boolean) => void) | null = null;

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    if (state.stopped) {
      resolve();
      return;
    }
    let timer = setTimeout(done, state.woken ? gatherMs : ms);
    // A forgotten runner must not keep a CLI process alive; the HTTP server keeps the app up.
    timer.unref();
    interruptSleep = (gather) => {
      if (!gather) {
        done();
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(done, gatherMs);
      timer.unref();
      interruptSleep = (g) => { if (!g) done(); };
    };
    function done() {
      clearTimeout(timer);
      interruptSleep = null;
      resolve();
    }
  });

  const housekeepingMs = opts.housekeepingMs ?? 10 * 60_000;
  let nextHousekeeping = Date.now() + Math.floor(Math.random() * housekeepingMs);

  const periodic = (opts.periodic ?? []).map((task) => ({ task, next: Date.now() + Math.floor(Math.random() * task.everyMs) }));

  let lastOutageLog = 0;
  const loop = async () => {
    while (!state.stopped) {
      state.woken = false;
      let full = false;
      for (const p of periodic) {
        if (Date.now() < p.next) continue;
        p.next = Date.now() + p.task.everyMs;
        try {
          await p.task.run();
        } catch (err) {
          log.error({ err, task: p.task.name }, 'periodic task failed');
        }
      }
      if (Date.now() >= nextHousekeeping) {
        nextHousekeeping = Date.now() + housekeepingMs;
        try {
          const trimmed = await runHousekeeping({ db: opts.db });
          log.debug(trimmed, 'housekeeping done');
        } catch (err) {
          log.error({ err }, 'housekeeping failed');
        }
      }
      try {
        const handled = await runOutboxOnce({
          db: opts.db, sql: opts.sql, instanceId, handlers: opts.handlers, batchSize, leaseMs: opts.leaseMs,
          handlerTimeoutMs: opts.handlerTimeoutMs, concurrency: opts.concurrency, backoff: opts.backoff, log, mail: opts.mail,
        });
        full = handled >= batchSize;
      } catch (err) {
        // Claiming failed (database restarting, pool exhausted…): log, wait a poll, try again.
        // An outage is one warning per half minute, not a stack trace every second.
        if (!databaseFailure(err)) log.error({ err }, 'outbox runner: pass failed');
        else if (Date.now() - lastOutageLog > 30_000) {
          lastOutageLog = Date.now();
          log.warn({ reason: databaseFailure(err) }, 'outbox runner: database unavailable; retrying every poll');
        }
      }
      if (!full && !state.stopped) await sleep(pollMs);
    }
  };

  const runner: Runner = {
    instanceId,
    wake() {
      state.woken = true;
      interruptSleep?.(true);
    },
    async stop() {
      state.stopped = true;
      running.delete(runner);
      interruptSleep?.(false);
      await done;
    },
  };
  running.add(runner);
  const done = loop();
  log.debug({ pollMs, batchSize }, 'outbox runner started');
  return runner;
}
