/**
 * "Send test": a `webhook.ping` to the subscription's target, right now, through the same
 * rendering, signing and address checks as real deliveries. Reports status and latency; the
 * target's answer body is never read back to the caller.
 */
import { randomUUID } from 'node:crypto';
import { WEBHOOK_PING_TYPE, type WebhookTestResult } from '@closeloop/contract';
import type { Db } from '../db/client.js';
import { renderDelivery } from './render-delivery.js';
import { DELIVERY_DEFAULTS } from './run-deliveries-once.js';
import { sendWebhook, type Resolve } from './send-webhook.js';
import { getWebhookSubscriptionRow } from './subscriptions.js';
import { loadAllowHosts } from './webhook-settings.js';

export async function sendWebhookTest(o: { db: Db; id: string; resolve?: Resolve; timeoutMs?: number }): Promise<WebhookTestResult> {
  const sub = await getWebhookSubscriptionRow({ db: o.db, id: o.id });
  const now = new Date();
  const rendered = renderDelivery({
    deliveryId: randomUUID(), flavour: sub.flavour, url: sub.url, secret: sub.secret, now,
    event: { id: randomUUID(), type: WEBHOOK_PING_TYPE, at: now.toISOString(), payload: { subscriptionId: sub.id, name: sub.name } },
  });
  const outcome = await sendWebhook({
    url: rendered.url, headers: rendered.headers, body: rendered.body, allowHosts: await loadAllowHosts(o.db),
    resolve: o.resolve, timeoutMs: o.timeoutMs ?? DELIVERY_DEFAULTS.timeoutMs, readErrcode: sub.flavour !== 'standard',
  });
  return { ok: outcome.ok, statusCode: outcome.statusCode, latencyMs: outcome.latencyMs, error: outcome.error };
}
