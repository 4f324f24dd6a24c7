/** The delivery log (newest first, keyset by seq) and manual replay of dead deliveries. */
import type { WebhookDelivery, WebhookDeliveryList, WebhookDeliveryQuery } from '@closeloop/contract';
import { sqlOf, type Db } from '../db/client.js';
import { notFound } from '../http/app-error.js';
import { wakeDeliveryRunners } from './delivery-runner.js';

interface RawDelivery {
  id: string; seq: string | number; subscription_id: string; event_id: string; event_type: string; ticket_id: string | null;
  status: WebhookDelivery['status']; attempts: number; next_attempt_at: Date; last_status_code: number | null;
  last_latency_ms: number | null; last_error: string | null; delivered_at: Date | null; created_at: Date;
}

export async function listWebhookDeliveries(o: { db: Db; query: WebhookDeliveryQuery }): Promise<WebhookDeliveryList> {
  const q = o.query;
  const limit = q.limit;
  const rows = await sqlOf(o.db).query<RawDelivery>(`
    select id, seq, subscription_id, event_id, event_type, ticket_id, status, attempts, next_attempt_at,
      last_status_code, last_latency_ms, last_error, delivered_at, created_at
    from webhook_deliveries
    where ($1::uuid is null or subscription_id = $1::uuid)
      and ($2::text is null or status = $2::text)
      and ($3::text is null or event_type = $3::text)
      and ($4::bigint is null or seq < $4::bigint)
    order by seq desc
    limit $5::integer`, [q.subscriptionId ?? null, q.status ?? null, q.eventType ?? null, q.cursor ?? null, limit + 1], 'webhooks_log_v1');
  const page = rows.slice(0, limit);
  return {
    items: page.map(toView),
    nextCursor: rows.length > limit ? String(page[page.length - 1]!.seq) : null,
  };
}

/** One dead delivery (id) or every dead one of a subscription back to pending, with a fresh schedule. */
export async function replayWebhookDeliveries(o: { db: Db; subscriptionId: string; deliveryId?: string }): Promise<{ replayed: number }> {
  const rows = await sqlOf(o.db).query<{ id: string }>(`
    update webhook_deliveries set status = 'pending', attempts = 0, next_attempt_at = now(), last_error = null
    where subscription_id = $1::uuid and status = 'dead' and ($2::uuid is null or id = $2::uuid)
    returning id`, [o.subscriptionId, o.deliveryId ?? null], 'webhooks_replay_v1');
  if (o.deliveryId && rows.length === 0) throw notFound('dead webhook delivery');
  if (rows.length) wakeDeliveryRunners();
  return { replayed: rows.length };
}

function toView(r: RawDelivery): WebhookDelivery {
  const finished = r.status === 'delivered' || r.status === 'dead';
  return {
    id: r.id, subscriptionId: r.subscription_id, eventId: r.event_id, eventType: r.event_type, ticketId: r.ticket_id,
    status: r.status, attempts: r.attempts, nextAttemptAt: finished ? null : new Date(r.next_attempt_at).toISOString(),
    lastStatusCode: r.last_status_code, lastLatencyMs: r.last_latency_ms, lastError: r.last_error,
    deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null, createdAt: new Date(r.created_at).toISOString(),
  };
}
