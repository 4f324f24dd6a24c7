/**
 * The webhook delivery runner: a poll loop in every app instance beside the outbox runner.
 * (Its own instance id: importing jobs/runner.ts would close an import circle through the registry.)
 * The subscriber wakes it after it enqueued deliveries; otherwise it polls (retries come due).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { databaseFailure } from '../db/database-failure.js';
import { DELIVERY_DEFAULTS, runDeliveriesOnce, type RunDeliveriesOnceOptions } from './run-deliveries-once.js';

export interface DeliveryRunnerOptions extends Omit<RunDeliveriesOnceOptions, 'instanceId' | 'log'> {
  log: FastifyBaseLogger;
  instanceId?: string;
  pollMs?: number;
}

export interface DeliveryRunner {
  readonly instanceId: string;
  wake(): void;
  stop(): Promise<void>;
}

const running = new Set<DeliveryRunner>();

export function wakeDeliveryRunners(): void {
  for (const r of running) r.wake();
}

export function startDeliveryRunner(opts: DeliveryRunnerOptions): DeliveryRunner {
  const instanceId = opts.instanceId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}:webhooks`;
  const pollMs = opts.pollMs ?? 1_000;
  const batchSize = opts.batchSize ?? DELIVERY_DEFAULTS.batchSize;
  const log = opts.log.child({ webhookRunner: instanceId });
  const state = { stopped: false, woken: false };
  let wakeSleep: (() => void) | null = null;
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    if (state.woken || state.stopped) { resolve(); return; }
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
  const loop = async () => {
    while (!state.stopped) {
      state.woken = false;
      let full = false;
      try {
        const r = await runDeliveriesOnce({ ...opts, instanceId, batchSize, log });
        full = r.claimed >= batchSize;
      } catch (err) {
        if (!databaseFailure(err)) log.error({ err }, 'webhook runner: pass failed');
        else if (Date.now() - lastOutageLog > 30_000) {
          lastOutageLog = Date.now();
          log.warn({ reason: databaseFailure(err) }, 'webhook runner: database unavailable; retrying every poll');
        }
      }
      if (!full && !state.stopped) await sleep(pollMs);
    }
  };
  const runner: DeliveryRunner = {
    instanceId,
    wake() {
      state.woken = true;
      wakeSleep?.();
    },
    async stop() {
      state.stopped = true;
      running.delete(runner);
      wakeSleep?.();
      await done;
    },
  };
  running.add(runner);
  const done = loop();
  return runner;
}
