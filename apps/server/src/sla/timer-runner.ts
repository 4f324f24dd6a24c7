/**
 * The SLA timer runner: a poll loop in every app instance beside the outbox runner. Timers must
 * fire within a second of their due time, so it polls a few times a second (a poll that finds
 * nothing is one index probe on the partial index of pending timers); a full batch means more
 * is due, so it goes again at once.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.js';
import { databaseFailure } from '../db/database-failure.js';
import { newInstanceId } from '../jobs/runner.js';
import { runTimersOnce, TIMER_DEFAULTS, type TimerPassResult } from './run-timers-once.js';
import { remindOverdueMeasures } from '../rectification/remind-overdue-measures.js';

export interface TimerRunnerOptions {
  db: Db;
  log: FastifyBaseLogger;
  instanceId?: string;
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
  /** Called after every pass that claimed something (benchmarks, tests). */
  onPass?: (r: TimerPassResult) => void;
}

export interface TimerRunner {
  readonly instanceId: string;
  stop(): Promise<void>;
}

export function startTimerRunner(opts: TimerRunnerOptions): TimerRunner {
  const instanceId = opts.instanceId ?? `${newInstanceId()}:timers`;
  const pollMs = opts.pollMs ?? 200;
  const batchSize = opts.batchSize ?? TIMER_DEFAULTS.batchSize;
  const log = opts.log.child({ timerRunner: instanceId });
  const state = { stopped: false };
  let wakeSleep: (() => void) | null = null;
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    wakeSleep = done;
    function done() {
      clearTimeout(timer);
      wakeSleep = null;
      resolve();
    }
  });
  let lastOutageLog = 0;
  let lastMeasureCheck = 0;
  const loop = async () => {
    while (!state.stopped) {
      let full = false;
      try {
        const r = await runTimersOnce({ db: opts.db, instanceId, batchSize, leaseMs: opts.leaseMs });
        if (r.claimed) opts.onPass?.(r);
        full = r.claimed >= batchSize;
        // Overdue rectification measures: a due date is a whole day, so once a minute is plenty.
        if (Date.now() - lastMeasureCheck > 60_000) {
          lastMeasureCheck = Date.now();
          await remindOverdueMeasures({ db: opts.db });
        }
      } catch (err) {
        if (!databaseFailure(err)) log.error({ err }, 'timer runner: pass failed');
        else if (Date.now() - lastOutageLog > 30_000) {
          lastOutageLog = Date.now();
          log.warn({ reason: databaseFailure(err) }, 'timer runner: database unavailable; retrying every poll');
        }
      }
      if (!full && !state.stopped) await sleep(pollMs);
    }
  };
  const done = loop();
  return {
    instanceId,
    async stop() {
      state.stopped = true;
      wakeSleep?.();
      await done;
    },
  };
}
