/**
 * Texts of SLA reminders and escalations (in the recipient's language) and of the automatic
 * progress messages to customers (Chinese: the portal's customers are Chinese; the seeds'
 * wording: 「您的问题已优先处理，售后专员XXX将在1小时内联系您」).
 */
import type { SlaMetric } from '@closeloop/contract';
import type { MessageLocale } from '../notifications/messages.js';

const METRIC: Record<MessageLocale, Record<SlaMetric, string>> = {
  'zh-CN': { first_response: '首次响应', update: '进展更新', resolution: '解决' },
  'en-US': { first_response: 'first response', update: 'progress update', resolution: 'resolution' },
};

/** '2026-11-23 14:05' in Beijing time, as Chinese staff read times. */
export function shanghaiTime(d: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}`;
}

/** 60 → 1小时, 90 → 1小时30分钟, 2250 → 37小时30分钟; 45 → 45分钟. */
export function durationZh(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  if (!h) return `${m}分钟`;
  return m ? `${h}小时${m}分钟` : `${h}小时`;
}

export type EscalationKind = 'warn' | 'breach' | 'level2';

interface EscalationText { number: string; title: string; metric: SlaMetric; dueAt: Date }

export function escalationText(locale: MessageLocale, kind: EscalationKind, t: EscalationText): { title: string; body: string } {
  const metric = METRIC[locale][t.metric];
  const due = shanghaiTime(t.dueAt);
  if (locale === 'en-US') {
    if (kind === 'warn') return { title: `Ticket ${t.number} is due soon`, body: `The ${metric} of "${t.title}" is due at ${due} (Beijing time).` };
    if (kind === 'breach') return { title: `Ticket ${t.number} is overdue`, body: `The ${metric} of "${t.title}" was due at ${due} (Beijing time); escalated to the group manager.` };
    return { title: `Ticket ${t.number} is still overdue`, body: `The ${metric} of "${t.title}" (due ${due}) is still not met; escalated to the department head.` };
  }
  if (kind === 'warn') return { title: `工单 ${t.number} 即将超时`, body: `「${t.title}」的${metric}将于 ${due} 到期，请尽快处理。` };
  if (kind === 'breach') return { title: `工单 ${t.number} 已超时`, body: `「${t.title}」的${metric}已于 ${due} 超时，已升级至主管。` };
  return { title: `工单 ${t.number} 超时仍未处理`, body: `「${t.title}」的${metric}超时后仍未达成（到期 ${due}），已升级至部门负责人。` };
}

export function progressCommentZh(o: { n: number; ownerName: string | null; ownerPhone: string | null; responseMinutes: number | null; intervalMinutes: number }): string {
  const who = `售后专员${o.ownerName ?? ''}`;
  if (o.n === 0) {
    const within = o.responseMinutes ? `将在${durationZh(o.responseMinutes)}内联系您` : '将尽快联系您';
    return `您的问题已优先处理，${who}${within}${o.ownerPhone ? `，电话 ${o.ownerPhone}` : ''}。`;
  }
  return `您的问题正在优先处理中，${who}正在跟进，我们将每${durationZh(o.intervalMinutes)}向您同步一次进度。`;
}
