/**
 * What goes over the wire for one delivery, per flavour:
 * - standard: the event as JSON `{ id, type, timestamp, data }`, signed per Standard Webhooks
 *   (`webhook-id` = the delivery id, the same on every retry, so receivers deduplicate by it);
 * - dingtalk: a group robot's `msgtype: markdown` message in Chinese; with a 加签 secret the
 *   URL carries `timestamp` and `sign` = base64(HMAC-SHA256(secret, timestamp + "\n" + secret));
 * - wecom: a group robot's `msgtype: markdown` message in Chinese (the key is in the URL).
 */
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_PING_TYPE, type EventType, type TicketStatus, type WebhookFlavour } from '@closeloop/contract';
import { EVENT_LABELS_ZH } from './event-labels.js';

export interface RenderInput {
  deliveryId: string;
  flavour: WebhookFlavour;
  url: string;
  secret: string;
  event: { id: string; type: string; at: string; payload?: Record<string, unknown> };
  /** The moment of this attempt (webhook-timestamp, DingTalk's timestamp). */
  now: Date;
}

export interface Rendered {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function renderDelivery(i: RenderInput): Rendered {
  if (i.flavour === 'standard') {
    const body = JSON.stringify({ id: i.event.id, type: i.event.type, timestamp: i.event.at, data: i.event.payload ?? {} });
    const timestamp = Math.floor(i.now.getTime() / 1000);
    const signature = new Webhook(i.secret).sign(i.deliveryId, i.now, body);
    return {
      url: i.url,
      headers: { 'webhook-id': i.deliveryId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature },
      body,
    };
  }
  const { title, text } = chineseMarkdown(i.event);
  if (i.flavour === 'dingtalk') {
    return {
      url: i.secret ? dingTalkSignedUrl(i.url, i.secret, i.now.getTime()) : i.url,
      headers: {},
      body: JSON.stringify({ msgtype: 'markdown', markdown: { title, text } }),
    };
  }
  return { url: i.url, headers: {}, body: JSON.stringify({ msgtype: 'markdown', markdown: { content: text } }) };
}

/** DingTalk's 加签: the URL with `timestamp` (ms) and `sign` query parameters added. */
export function dingTalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  const sign = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
  const u = new URL(url);
  u.searchParams.set('timestamp', String(timestampMs));
  u.searchParams.set('sign', sign);
  return u.toString();
}

const STATUS_ZH: Record<TicketStatus, string> = {
  registered: '已登记', assigned: '已受理', analyzing: '原因分析', plan_review: '方案审批', rectifying: '整改中',
  accepting: '验收中', follow_up: '回访中', closed: '已关闭', cancelled: '已取消',
};

function chineseMarkdown(event: RenderInput['event']): { title: string; text: string } {
  const p = event.payload ?? {};
  const label = event.type === WEBHOOK_PING_TYPE ? '测试消息' : EVENT_LABELS_ZH[event.type as EventType] ?? event.type;
  const at = new Date(event.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  const lines = [`### ${label}`];
  if (typeof p.number === 'string') lines.push(`- 工单：${p.number}${typeof p.title === 'string' ? ` ${escapeMd(p.title)}` : ''}`);
  if (typeof p.from === 'string' && typeof p.to === 'string') lines.push(`- 状态：${STATUS_ZH[p.from as TicketStatus] ?? p.from} → ${STATUS_ZH[p.to as TicketStatus] ?? p.to}`);
  if (typeof p.priority === 'string') lines.push(`- 优先级：${p.priority}`);
  if (typeof p.reason === 'string' && p.reason) lines.push(`- 原因：${escapeMd(p.reason)}`);
  if (typeof p.opinion === 'string' && p.opinion) lines.push(`- 意见：${escapeMd(p.opinion)}`);
  if (event.type === WEBHOOK_PING_TYPE) lines.push('- closeloop 集成配置测试，收到即表示连接正常。');
  lines.push(`- 时间：${at}`);
  return { title: `${label}${typeof p.number === 'string' ? ` ${p.number}` : ''}`, text: lines.join('\n') };
}

function escapeMd(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').slice(0, 200);
}
