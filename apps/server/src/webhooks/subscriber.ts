/**
 * The webhooks subscriber (after commit, from the outbox): every event becomes one delivery row
 * per active subscription that wants its type, in one statement for the whole batch. Idempotent
 * by (subscription, event): a repeated batch inserts nothing twice. The rows are sent by the
 * delivery runner (run-deliveries-once.ts), never here.
 */
import { sqlOf } from '../db/client.js';
import type { Subscriber } from '../events/subscribers.js';
import { WEBHOOKS_SUBSCRIPTION } from '../events/subscriptions.js';
import { wakeDeliveryRunners } from './delivery-runner.js';

export const webhooksSubscriber: Subscriber = {
  ...WEBHOOKS_SUBSCRIPTION,
  async handle(ctx, events) {
    if (events.length === 0) return;
    const rows = events.map((e, ord) => ({
      ord, id: e.id, type: e.type, ticket_id: (e.payload as { ticketId?: string }).ticketId ?? null, event: e,
    }));
    const inserted = await (ctx.sql ?? sqlOf(ctx.db)).query<{ n: number }>(ENQUEUE, [JSON.stringify(rows)], 'webhooks_enqueue_v1');
    if ((inserted[0]?.n ?? 0) > 0) wakeDeliveryRunners();
  },
};

/** Oldest event first, so `seq` follows the events' order within every ticket. */
const ENQUEUE = `with added as (
    insert into webhook_deliveries (id, subscription_id, event_id, event_type, ticket_id, event)
    select gen_random_uuid(), s.id, e.id, e.type, e.ticket_id, e.event
    from jsonb_to_recordset($1::jsonb) as e(ord integer, id uuid, type text, ticket_id uuid, event jsonb)
    join webhook_subscriptions s on s.active and s.event_types ? e.type
    order by e.ord, s.id
    on conflict (subscription_id, event_id) do nothing
    returning 1)
  select count(*)::integer as n from added`;
