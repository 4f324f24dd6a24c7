/** The webhook endpoints of 设置 › 集成, in one place (to be swapped for the generated client). */
import type {
  WebhookDeliveryList, WebhookDeliveryStatus, WebhookSettings, WebhookSubscription, WebhookTestResult,
} from '@closeloop/contract';
import { request } from '../../app/api.js';

export interface DeliveryFilter { subscriptionId?: string; status?: WebhookDeliveryStatus; eventType?: string; cursor?: string; limit?: number }

export const webhooksApi = {
  list: () => request<{ items: WebhookSubscription[] }>('GET', '/webhooks'),
  create: (body: unknown) => request<WebhookSubscription>('POST', '/webhooks', { body }),
  update: (id: string, body: unknown) => request<WebhookSubscription>('PATCH', `/webhooks/${id}`, { body }),
  remove: (id: string) => request<{ ok: true }>('DELETE', `/webhooks/${id}`),
  test: (id: string) => request<WebhookTestResult>('POST', `/webhooks/${id}/test`),
  replayAll: (id: string) => request<{ replayed: number }>('POST', `/webhooks/${id}/replay`),
  replayOne: (id: string, deliveryId: string) => request<{ replayed: number }>('POST', `/webhooks/${id}/deliveries/${deliveryId}/replay`),
  deliveries: (f: DeliveryFilter) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') q.set(k, String(v));
    return request<WebhookDeliveryList>('GET', `/webhook-deliveries?${q.toString()}`);
  },
  settings: () => request<WebhookSettings>('GET', '/webhook-settings'),
  saveSettings: (body: WebhookSettings) => request<WebhookSettings>('PUT', '/webhook-settings', { body }),
};
