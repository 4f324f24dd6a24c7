/** The webhook endpoints of 设置 › 集成, in one place, on the generated client (app/api.ts). */
import type {
  WebhookDeliveryList, WebhookDeliveryStatus, WebhookSettings, WebhookSubscription, WebhookTestResult,
} from '@closeloop/contract';
import { client, unwrap, type AdminForm, type BodyOf, type Items } from '../../app/api.js';

export interface DeliveryFilter { subscriptionId?: string; status?: WebhookDeliveryStatus; eventType?: string; cursor?: string; limit?: number }

const byId = (id: string) => ({ path: { id } });

export const webhooksApi = {
  list: (): Promise<Items<WebhookSubscription>> => unwrap(client.GET('/api/v1/webhooks')),
  // The dialog's form values as they are (see AdminForm): the server names a bad field (400).
  create: (body: AdminForm): Promise<WebhookSubscription> =>
    unwrap(client.POST('/api/v1/webhooks', { body: body as BodyOf<'/api/v1/webhooks', 'post'> })),
  update: (id: string, body: AdminForm): Promise<WebhookSubscription> =>
    unwrap(client.PATCH('/api/v1/webhooks/{id}', { params: byId(id), body: body as BodyOf<'/api/v1/webhooks/{id}', 'patch'> })),
  remove: (id: string): Promise<{ ok: true }> => unwrap(client.DELETE('/api/v1/webhooks/{id}', { params: byId(id) })),
  test: (id: string): Promise<WebhookTestResult> => unwrap(client.POST('/api/v1/webhooks/{id}/test', { params: byId(id) })),
  replayAll: (id: string): Promise<{ replayed: number }> => unwrap(client.POST('/api/v1/webhooks/{id}/replay', { params: byId(id) })),
  replayOne: (id: string, deliveryId: string): Promise<{ replayed: number }> =>
    unwrap(client.POST('/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay', { params: { path: { id, deliveryId } } })),
  deliveries: (f: DeliveryFilter): Promise<WebhookDeliveryList> =>
    unwrap(client.GET('/api/v1/webhook-deliveries', { params: { query: f } })),
  settings: (): Promise<WebhookSettings> => unwrap(client.GET('/api/v1/webhook-settings')),
  saveSettings: (body: WebhookSettings): Promise<WebhookSettings> => unwrap(client.PUT('/api/v1/webhook-settings', { body })),
};
