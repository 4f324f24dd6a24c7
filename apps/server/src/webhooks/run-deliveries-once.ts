/**
 * One pass of the webhook delivery runner: claim due deliveries, send each (send-webhook.ts),
 * record the outcome. Safe with several instances: rows are claimed with FOR UPDATE SKIP LOCKED
 * and a lease. In order per ticket: a delivery is only claimed when no earlier delivery of the
 * same subscription and ticket is still pending or sending (delivered and dead ones do not
 * block), so one ticket's events reach a receiver in the order they happened, while other
 * tickets go on. Failures retry on a schedule with jitter; after the last attempt a row is dead.
 */
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import type { WebhookFlavour } from '@closeloop/contract';
import { sqlOf, type Db } from '../db/client.js';
import { renderDelivery } from './render-delivery.js';
import { sendWebhook, type Resolve } from './send-webhook.js';
import { loadAllowHosts } from './webhook-settings.js';

/** Waits after the 1st, 2nd … failure; one more attempt than entries, then dead. */
export const DEFAULT_RETRY_SCHEDULE_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000, 6 * 3_600_000, 24 * 3_600_000];

export const DELIVERY_DEFAULTS = {
  batchSize: 50,
  leaseMs: 2 * 60_000,
  timeoutMs: 10_000,
  concurrency: 8,
} as const;

export interface RunDeliveriesOnceOptions {
  db: Db;
  instanceId: string;
  batchSize?: number;
  leaseMs?: number;
  /** Per request: connect + answer. */
  timeoutMs?: number;
  concurrency?: number;
  retryScheduleMs?: readonly number[];
  /** 0..1; ±20 % of each wait is random so retries of many rows spread out. */
  random?: () => number;
  resolve?: Resolve;
  log?: FastifyBaseLogger;
}

export interface DeliveryPassResult {
  claimed: number;
  delivered: number;
  failed: number;
  dead: number;
}

interface ClaimedRow {
  id: string;
  attempts: number;
  event: { id: string; type: string; at: string; payload?: Record<string, unknown> };
  url: string;
  flavour: WebhookFlavour;
  secret: string;
}

const silentLog = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

export async function runDeliveriesOnce(o: RunDeliveriesOnceOptions): Promise<DeliveryPassResult> {
  const run = sqlOf(o.db);
  const schedule = o.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
  const random = o.random ?? Math.random;
  const log = o.log ?? silentLog;
  const rows = await run.query<ClaimedRow>(CLAIM, [
    o.instanceId, o.leaseMs ?? DELIVERY_DEFAULTS.leaseMs, o.batchSize ?? DELIVERY_DEFAULTS.batchSize,
  ], 'webhooks_claim_v1');
  const result: DeliveryPassResult = { claimed: rows.length, delivered: 0, failed: 0, dead: 0 };
  if (rows.length === 0) return result;
  const allowHosts = await loadAllowHosts(o.db);

  const queue = [...rows];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const rendered = renderDelivery({
        deliveryId: row.id, flavour: row.flavour, url: row.url, secret: row.secret, event: row.event, now: new Date(),
      });
      const outcome = await sendWebhook({
        url: rendered.url, headers: rendered.headers, body: rendered.body, allowHosts, resolve: o.resolve,
        timeoutMs: o.timeoutMs ?? DELIVERY_DEFAULTS.timeoutMs, readErrcode: row.flavour !== 'standard',
      });
      const attempts = row.attempts + 1;
      if (outcome.ok) {
        result.delivered++;
        await run.query(SETTLE, [row.id, o.instanceId, 'delivered', attempts, outcome.statusCode, outcome.latencyMs, null, 0], 'webhooks_settle_v1');
        continue;
      }
      const dead = attempts > schedule.length;
      if (dead) result.dead++; else result.failed++;
      const base = dead ? 0 : schedule[attempts - 1]!;
      const waitMs = Math.round(base * (0.8 + 0.4 * random()));
      log.warn({ deliveryId: row.id, attempts, error: outcome.error, dead }, 'webhook delivery failed');
      await run.query(SETTLE, [
        row.id, o.instanceId, dead ? 'dead' : 'pending', attempts, outcome.statusCode, outcome.latencyMs, outcome.error, waitMs,
      ], 'webhooks_settle_v1');
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? DELIVERY_DEFAULTS.concurrency, rows.length) }, worker));
  return result;
}

/**
 * Due rows of active subscriptions whose ticket has no earlier unfinished delivery, leased in one
 * statement. A row reclaimed after an expired lease counts the lost attempt.
 */
const CLAIM = `update webhook_deliveries d set
    status = 'sending',
    locked_by = $1::text,
    locked_until = now() + $2::double precision * interval '1 millisecond',
    attempts = case when d.status = 'sending' then d.attempts + 1 else d.attempts end
  from webhook_subscriptions s
  where s.id = d.subscription_id and d.id in (
    select c.id from webhook_deliveries c
    join webhook_subscriptions cs on cs.id = c.subscription_id and cs.active
    where ((c.status = 'pending' and c.next_attempt_at <= now()) or (c.status = 'sending' and c.locked_until < now()))
      and not exists (
        select 1 from webhook_deliveries p
        where p.subscription_id = c.subscription_id and p.ticket_id = c.ticket_id and p.seq < c.seq
          and p.status in ('pending', 'sending'))
    order by c.next_attempt_at, c.seq
    limit $3::integer
    for update of c skip locked)
  returning d.id, d.attempts, d.event, s.url, s.flavour, s.secret`;

/** Only the instance holding the lease settles a row. */
const SETTLE = `update webhook_deliveries set
    status = $3::text, attempts = $4::integer, last_status_code = $5::integer, last_latency_ms = $6::integer,
    last_error = $7::text,
    next_attempt_at = now() + $8::double precision * interval '1 millisecond',
    delivered_at = case when $3::text = 'delivered' then now() else delivered_at end,
    locked_by = null, locked_until = null
  where id = $1::uuid and status = 'sending' and locked_by = $2::text`;
