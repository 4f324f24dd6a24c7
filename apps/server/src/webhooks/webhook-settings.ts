/** The admin settings of webhooks: hosts exempt from the address checks (one row, id 1). */
import { sql } from 'drizzle-orm';
import type { WebhookSettings } from '@closeloop/contract';
import type { Db } from '../db/client.js';
import { webhookSettings } from '../db/schema.js';

export async function loadAllowHosts(db: Db): Promise<string[]> {
  const [row] = await db.select({ allowHosts: webhookSettings.allowHosts }).from(webhookSettings).limit(1);
  return row?.allowHosts ?? [];
}

export async function getWebhookSettings(o: { db: Db }): Promise<WebhookSettings> {
  return { allowHosts: await loadAllowHosts(o.db) };
}

export async function updateWebhookSettings(o: { db: Db; settings: WebhookSettings }): Promise<WebhookSettings> {
  const allowHosts = [...new Set(o.settings.allowHosts)];
  await o.db.insert(webhookSettings).values({ id: 1, allowHosts })
    .onConflictDoUpdate({ target: webhookSettings.id, set: { allowHosts, updatedAt: sql`now()` } });
  return { allowHosts };
}
