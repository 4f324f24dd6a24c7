/**
 * Webhook subscriptions (admin): create, change, list, delete. A target URL is checked on save
 * (address-policy.ts plus DNS, send-webhook.ts) and again on every send. The standard flavour's
 * secret is generated (`whsec_` + 24 random bytes, base64) and shown only in the response that
 * made it.
 */
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type {
  WebhookFlavour, WebhookSubscription, WebhookSubscriptionInput, WebhookSubscriptionUpdate,
} from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { sqlOf, type Db } from '../db/client.js';
import { webhookSubscriptions } from '../db/schema.js';
import { newId } from '../db/util.js';
import { invalidField, notFound } from '../http/app-error.js';
import { RefusedTarget, resolveTarget, type Resolve } from './send-webhook.js';
import { loadAllowHosts } from './webhook-settings.js';

type Row = typeof webhookSubscriptions.$inferSelect;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** 400 naming `url` when the target is refused. */
export async function checkTargetOnSave(db: Db, url: string, resolve?: Resolve): Promise<void> {
  try {
    await resolveTarget(url, await loadAllowHosts(db), resolve);
  } catch (err) {
    if (err instanceof RefusedTarget) throw invalidField('url', err.message.replace(/^url /, ''));
    throw err;
  }
}

function secretFor(flavour: WebhookFlavour, given: string | undefined): string {
  if (flavour === 'standard') return newWebhookSecret();
  return flavour === 'dingtalk' ? given ?? '' : '';
}

export async function createWebhookSubscription(o: { db: Db; actor: Actor; input: WebhookSubscriptionInput; resolve?: Resolve }): Promise<WebhookSubscription> {
  const i = o.input;
  const flavour = i.flavour ?? 'standard';
  await checkTargetOnSave(o.db, i.url, o.resolve);
  const secret = secretFor(flavour, i.secret);
  const [row] = await o.db.insert(webhookSubscriptions).values({
    id: newId(), name: i.name, url: i.url, flavour, eventTypes: [...new Set(i.eventTypes)], secret,
    active: i.active ?? true, createdById: o.actor.userId,
  }).returning();
  return { ...toView(row!, ZERO), ...(secret ? { secret } : {}) };
}

export async function updateWebhookSubscription(o: { db: Db; id: string; input: WebhookSubscriptionUpdate; resolve?: Resolve }): Promise<WebhookSubscription> {
  const [current] = await o.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, o.id));
  if (!current) throw notFound('webhook subscription');
  const i = o.input;
  if (i.url !== undefined) await checkTargetOnSave(o.db, i.url, o.resolve);
  const flavour = i.flavour ?? current.flavour;
  const newSecret = i.rotateSecret || (i.flavour && i.flavour !== current.flavour) || (flavour === 'dingtalk' && i.secret !== undefined)
    ? secretFor(flavour, i.secret) : undefined;
  const [row] = await o.db.update(webhookSubscriptions).set({
    ...(i.name !== undefined ? { name: i.name } : {}),
    ...(i.url !== undefined ? { url: i.url } : {}),
    ...(i.eventTypes !== undefined ? { eventTypes: [...new Set(i.eventTypes)] } : {}),
    ...(i.active !== undefined ? { active: i.active } : {}),
    flavour,
    ...(newSecret !== undefined ? { secret: newSecret } : {}),
    updatedAt: sql`now()`,
  }).where(eq(webhookSubscriptions.id, o.id)).returning();
  const counts = (await countsOf(o.db, [o.id])).get(o.id) ?? ZERO;
  return { ...toView(row!, counts), ...(newSecret && flavour === 'standard' ? { secret: newSecret } : {}) };
}

export async function listWebhookSubscriptions(o: { db: Db }): Promise<{ items: WebhookSubscription[] }> {
  const rows = await o.db.select().from(webhookSubscriptions).orderBy(webhookSubscriptions.createdAt);
  const counts = await countsOf(o.db, rows.map((r) => r.id));
  return { items: rows.map((r) => toView(r, counts.get(r.id) ?? ZERO)) };
}

export async function getWebhookSubscriptionRow(o: { db: Db; id: string }): Promise<Row> {
  const [row] = await o.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, o.id));
  if (!row) throw notFound('webhook subscription');
  return row;
}

export async function deleteWebhookSubscription(o: { db: Db; id: string }): Promise<void> {
  const gone = await o.db.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, o.id)).returning({ id: webhookSubscriptions.id });
  if (gone.length === 0) throw notFound('webhook subscription');
}

const ZERO = { pending: 0, delivered: 0, dead: 0 };

async function countsOf(db: Db, ids: string[]): Promise<Map<string, typeof ZERO>> {
  const map = new Map<string, typeof ZERO>();
  if (ids.length === 0) return map;
  const list = await sqlOf(db).query<{ subscription_id: string; pending: number; delivered: number; dead: number }>(`
    select subscription_id,
      count(*) filter (where status in ('pending', 'sending'))::integer as pending,
      count(*) filter (where status = 'delivered')::integer as delivered,
      count(*) filter (where status = 'dead')::integer as dead
    from webhook_deliveries where subscription_id = any($1::uuid[]) group by subscription_id`, [ids], 'webhooks_counts_v1');
  for (const r of list) map.set(r.subscription_id, { pending: r.pending, delivered: r.delivered, dead: r.dead });
  return map;
}

function toView(r: Row, counts: typeof ZERO): WebhookSubscription {
  return {
    id: r.id, name: r.name, url: r.url, flavour: r.flavour, eventTypes: r.eventTypes, active: r.active,
    secretHint: r.secret ? `…${r.secret.slice(-4)}` : '',
    counts, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
  };
}
