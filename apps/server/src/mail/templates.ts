/**
 * E-mail templates, zh-CN and en-US, one entry per kind: the data it needs (zod, checked when
 * recorded and again when rendered) and its words per language. Rendering happens when the
 * e-mail is sent, in the recipient's language of that moment. Everything that came from a
 * person (titles, names, comments) is escaped in HTML and flattened to one line in the subject,
 * so it can neither add markup nor start a header.
 */
import { z } from 'zod';
import type { MessageLocale } from '../notifications/messages.js';
import { approvalText, zApprovalMailData, type ApprovalKind } from '../approvals/approval-messages.js';

/** Approval flow notifications (approvals/approval-messages.ts has the words). */
const approvalTemplate = (kind: ApprovalKind) => template({
  data: zApprovalMailData,
  words: {
    'zh-CN': (d) => ({ ...approvalText(kind, 'zh-CN', d), action: '去处理' }),
    'en-US': (d) => ({ ...approvalText(kind, 'en-US', d), action: 'Open it' }),
  },
});

/** Times in e-mails are China time, as the staff read them on the wall clock. */
const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

interface Words {
  subject: string;
  /** Paragraphs of the body, plain text (escaped for HTML by the renderer). */
  lines: string[];
  /** Label of the link to the ticket. */
  action?: string;
}

interface Template<S extends z.ZodType> {
  data: S;
  words: Record<MessageLocale, (d: z.infer<S>) => Words>;
}

const template = <S extends z.ZodType>(t: Template<S>) => t;

const zTicket = { number: z.string().min(1), title: z.string() };
/** What the SLA timers know when they fire (sla/run-timers-once.ts), as they say it. */
const zSlaTimer = z.object({
  ...zTicket,
  /** Which target: first_response, resolution, update (anything else is shown as it is). */
  metric: z.string().min(1),
  dueAt: z.string().datetime({ offset: true }),
  /** 1 = the group's managers, 2 = the department head one level up … */
  level: z.number().int().min(0).optional(),
});

const TARGET_NAMES: Record<MessageLocale, Record<string, string>> = {
  'zh-CN': { first_response: '首次响应', resolution: '解决', update: '进度更新' },
  'en-US': { first_response: 'first response', resolution: 'resolution', update: 'progress update' },
};
const targetName = (locale: MessageLocale, target: string) => TARGET_NAMES[locale][target] ?? target;

export function formatTime(iso: string, locale: MessageLocale): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: DISPLAY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  const text = `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}`;
  return locale === 'zh-CN' ? `${text}（北京时间）` : `${text} (China time)`;
}

export const EMAIL_TEMPLATES = {
  ticket_assigned: template({
    data: z.object({ ...zTicket, by: z.string().nullable() }),
    words: {
      'zh-CN': (d) => ({
        subject: `【待受理】工单 ${d.number} 已分派给您：${d.title}`,
        lines: [`工单「${d.title}」${d.by ? `由 ${d.by} 分派给您` : '由分派规则自动分派给您'}，请及时受理。`],
        action: '查看工单',
      }),
      'en-US': (d) => ({
        subject: `[To accept] Ticket ${d.number} was assigned to you: ${d.title}`,
        lines: [`"${d.title}" was assigned to you ${d.by ? `by ${d.by}` : 'by the routing rules'}. Please accept it soon.`],
        action: 'Open the ticket',
      }),
    },
  }),
  ticket_queued: template({
    data: z.object(zTicket),
    words: {
      'zh-CN': (d) => ({
        subject: `【待领取】工单 ${d.number}：${d.title}`,
        lines: [`工单「${d.title}」已分派到您所在的小组，尚无处理人，请在“待领取”中受理。`],
        action: '去领取',
      }),
      'en-US': (d) => ({
        subject: `[To pick up] Ticket ${d.number}: ${d.title}`,
        lines: [`"${d.title}" was routed to your team with no owner yet. Pick it up from the queue.`],
        action: 'Pick it up',
      }),
    },
  }),
  ticket_escalated: template({
    data: z.object({ ...zTicket, reason: z.string().nullable() }),
    words: {
      'zh-CN': (d) => ({
        subject: `【已升级】工单 ${d.number}：${d.title}`,
        lines: [`工单「${d.title}」已升级到您的部门。`, ...(d.reason ? [`原因：${d.reason}`] : [])],
        action: '查看工单',
      }),
      'en-US': (d) => ({
        subject: `[Escalated] Ticket ${d.number}: ${d.title}`,
        lines: [`"${d.title}" was escalated to your department.`, ...(d.reason ? [`Reason: ${d.reason}`] : [])],
        action: 'Open the ticket',
      }),
    },
  }),
  ticket_customer_comment: template({
    data: z.object({ number: z.string().min(1), excerpt: z.string() }),
    words: {
      'zh-CN': (d) => ({
        subject: `【客户留言】工单 ${d.number} 有客户的新留言`,
        lines: ['客户在您负责的工单中留言：', d.excerpt],
        action: '查看并回复',
      }),
      'en-US': (d) => ({
        subject: `[Customer comment] The customer wrote on ticket ${d.number}`,
        lines: ['The customer wrote on a ticket you own:', d.excerpt],
        action: 'Read and reply',
      }),
    },
  }),
  sla_warn: template({
    data: zSlaTimer,
    words: {
      'zh-CN': (d) => ({
        subject: `【SLA 预警】工单 ${d.number} 的${targetName('zh-CN', d.metric)}时限即将到期`,
        lines: [`工单「${d.title}」的${targetName('zh-CN', d.metric)}时限将于 ${formatTime(d.dueAt, 'zh-CN')}到期，请尽快处理。`],
        action: '立即处理',
      }),
      'en-US': (d) => ({
        subject: `[SLA warning] Ticket ${d.number}: ${targetName('en-US', d.metric)} is due soon`,
        lines: [`The ${targetName('en-US', d.metric)} target of "${d.title}" is due at ${formatTime(d.dueAt, 'en-US')}.`],
        action: 'Handle it now',
      }),
    },
  }),
  sla_breach: template({
    data: zSlaTimer,
    words: {
      'zh-CN': (d) => ({
        subject: `【SLA 超时】工单 ${d.number} 的${targetName('zh-CN', d.metric)}已超时`,
        lines: [`工单「${d.title}」的${targetName('zh-CN', d.metric)}时限已于 ${formatTime(d.dueAt, 'zh-CN')}到期，工单已标记为超时。`],
        action: '立即处理',
      }),
      'en-US': (d) => ({
        subject: `[SLA breached] Ticket ${d.number}: ${targetName('en-US', d.metric)} is overdue`,
        lines: [`The ${targetName('en-US', d.metric)} target of "${d.title}" was due at ${formatTime(d.dueAt, 'en-US')}; the ticket is flagged overdue.`],
        action: 'Handle it now',
      }),
    },
  }),
  sla_level2: template({
    data: zSlaTimer,
    words: {
      'zh-CN': (d) => ({
        subject: `【超时升级${d.level && d.level > 1 ? ` ${d.level} 级` : ''}】工单 ${d.number}：${d.title}`,
        lines: [
          `工单「${d.title}」的${targetName('zh-CN', d.metric)}已于 ${formatTime(d.dueAt, 'zh-CN')}超时，已升级给您。`,
          '请督办处理人或改派。',
        ],
        action: '查看工单',
      }),
      'en-US': (d) => ({
        subject: `[Escalated${d.level && d.level > 1 ? `, level ${d.level}` : ''}] Ticket ${d.number}: ${d.title}`,
        lines: [
          `The ${targetName('en-US', d.metric)} target of "${d.title}" was breached at ${formatTime(d.dueAt, 'en-US')} and escalated to you.`,
          'Please follow it up with the owner or reassign it.',
        ],
        action: 'Open the ticket',
      }),
    },
  }),
  /** Rectification (rectification/notify.ts): a measure of an approved plan is the recipient's task. */
  measure_assigned: template({
    data: z.object({ ...zTicket, action: z.string(), dueDate: z.string() }),
    words: {
      'zh-CN': (d) => ({
        subject: `【整改任务】工单 ${d.number}：${d.title}`,
        lines: [`整改方案已批准，其中以下措施由您负责：`, d.action, `完成期限：${d.dueDate}。完成后请在工单中提交完成说明或证据。`],
        action: '查看任务',
      }),
      'en-US': (d) => ({
        subject: `[Rectification task] Ticket ${d.number}: ${d.title}`,
        lines: ['The rectification plan was approved; this measure is yours:', d.action, `Due on ${d.dueDate}. When done, complete it on the ticket with a note or evidence.`],
        action: 'Open the task',
      }),
    },
  }),
  measures_completed: template({
    data: z.object(zTicket),
    words: {
      'zh-CN': (d) => ({
        subject: `【待提交验收】工单 ${d.number} 的整改措施已全部完成`,
        lines: [`工单「${d.title}」的整改措施已全部完成，请提交验收。`],
        action: '查看工单',
      }),
      'en-US': (d) => ({
        subject: `[Ready for acceptance] Every measure of ticket ${d.number} is done`,
        lines: [`Every measure of "${d.title}" is done. Please start the acceptance.`],
        action: 'Open the ticket',
      }),
    },
  }),
  measure_overdue: template({
    data: z.object({ ...zTicket, action: z.string(), dueDate: z.string() }),
    words: {
      'zh-CN': (d) => ({
        subject: `【整改任务超期】工单 ${d.number}：${d.title}`,
        lines: ['您负责的整改措施已超过完成期限：', d.action, `完成期限：${d.dueDate}。请尽快完成，或与工单负责人商定新的期限。`],
        action: '查看任务',
      }),
      'en-US': (d) => ({
        subject: `[Overdue task] Ticket ${d.number}: ${d.title}`,
        lines: ['A rectification measure of yours is past its due date:', d.action, `It was due on ${d.dueDate}. Please complete it or agree a new date with the ticket owner.`],
        action: 'Open the task',
      }),
    },
  }),
  /** A customer-facing progress message (enqueueEmail to the customer's address). */
  customer_ticket_update: template({
    data: z.object({ ...zTicket, customerName: z.string(), message: z.string() }),
    words: {
      'zh-CN': (d) => ({
        subject: `您的售后工单 ${d.number} 有新进展`,
        lines: [`尊敬的 ${d.customerName}，您好：`, `您反馈的问题「${d.title}」有新进展：`, d.message, '感谢您的耐心等待。'],
        action: '查看进度',
      }),
      'en-US': (d) => ({
        subject: `News on your after-sales ticket ${d.number}`,
        lines: [`Dear ${d.customerName},`, `There is news on "${d.title}":`, d.message, 'Thank you for your patience.'],
        action: 'See the progress',
      }),
    },
  }),
  approval_task: approvalTemplate('approval_task'),
  approval_cc: approvalTemplate('approval_cc'),
  approval_urged: approvalTemplate('approval_urged'),
  approval_result: approvalTemplate('approval_result'),
  /** The customer's follow-up request (followup/): the link is rendered at delivery (send-email.ts). */
  followup_request: template({
    data: z.object({
      ...zTicket, customerName: z.string(), warrantyNotice: z.string().nullable(),
      expiresAt: z.string().datetime({ offset: true }), linkId: z.string().uuid(),
    }),
    words: {
      'zh-CN': (d) => ({
        subject: `【回访】您的售后工单 ${d.number} 已处理完毕，请确认是否解决`,
        lines: [
          `尊敬的 ${d.customerName}，您好：`,
          `您反馈的问题「${d.title}」已处理完毕。请点击下方链接告诉我们问题是否已经解决，并为本次服务评分。`,
          ...(d.warrantyNotice ? [`保修说明：${d.warrantyNotice}`] : []),
          `链接仅可使用一次，有效期至 ${formatTime(d.expiresAt, 'zh-CN')}。`,
        ],
        action: '确认并评价',
      }),
      'en-US': (d) => ({
        subject: `[Follow-up] Ticket ${d.number} is done: is your problem solved?`,
        lines: [
          `Dear ${d.customerName},`,
          `We have finished work on "${d.title}". Please tell us through the link below whether the problem is solved, and rate our service.`,
          ...(d.warrantyNotice ? [`Warranty: ${d.warrantyNotice}`] : []),
          `The link works once and until ${formatTime(d.expiresAt, 'en-US')}.`,
        ],
        action: 'Confirm and rate',
      }),
    },
  }),
  /** Text rendered by its sender (the generic `notify.users` outbox kind): sent as it is. */
  notice: template({
    data: z.object({ title: z.string().min(1), body: z.string().nullable() }),
    words: {
      'zh-CN': (d) => ({ subject: d.title, lines: d.body ? [d.body] : [], action: '查看工单' }),
      'en-US': (d) => ({ subject: d.title, lines: d.body ? [d.body] : [], action: 'Open the ticket' }),
    },
  }),
  /** A staff member's public reply to the customer (mail-in/customer-mail-subscriber.ts); the customer may answer it. */
  customer_reply: template({
    data: z.object({ ...zTicket, body: z.string().min(1), by: z.string().nullable() }),
    words: {
      'zh-CN': (d) => ({
        subject: `回复：${d.title}（工单 ${d.number}）`,
        lines: [d.by ? `${d.by} 回复您：` : '客服回复您：', d.body, '如需补充信息，直接回复此邮件即可，您的回复会记入工单。'],
      }),
      'en-US': (d) => ({
        subject: `Re: ${d.title} (ticket ${d.number})`,
        lines: [d.by ? `${d.by} replied:` : 'Our service team replied:', d.body, 'To add information, simply reply to this e-mail; your reply is added to the ticket.'],
      }),
    },
  }),
} as const;

export type EmailTemplateKind = keyof typeof EMAIL_TEMPLATES;
export type EmailData<K extends EmailTemplateKind> = z.infer<(typeof EMAIL_TEMPLATES)[K]['data']>;

export function isEmailTemplateKind(kind: string): kind is EmailTemplateKind {
  return Object.hasOwn(EMAIL_TEMPLATES, kind);
}

/** The data of a kind checked against its schema; throws naming the bad field. */
export function parseEmailData(kind: string, data: unknown): Record<string, unknown> {
  if (!isEmailTemplateKind(kind)) throw new Error(`no e-mail template for kind "${kind}"`);
  const parsed = EMAIL_TEMPLATES[kind].data.safeParse(data);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const issue = parsed.error.issues[0];
  throw new Error(`data of e-mail ${kind} is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderEmailOptions {
  kind: string;
  data: unknown;
  locale: MessageLocale;
  /** `${CLOSELOOP_BASE_URL}/tickets/<id>` when the e-mail is about a ticket. */
  link: string | null;
}

const FOOTER: Record<MessageLocale, string> = {
  'zh-CN': '此邮件由 closeloop 售后问题整改验收闭环管理系统自动发送，请勿直接回复。可在「通知设置」中关闭此类邮件。',
  'en-US': 'Sent automatically by closeloop. Please do not reply. You can turn these e-mails off under Notification settings.',
};

/** Mail the customer may answer (it threads back onto the ticket, docs/email-in.md). */
const REPLY_FOOTER: Record<MessageLocale, string> = {
  'zh-CN': '此邮件由 closeloop 售后服务发送。直接回复即可补充信息。',
  'en-US': 'Sent by closeloop after-sales service. Reply to this e-mail to add information.',
};
const REPLYABLE = new Set(['customer_reply']);

export function renderEmail(opts: RenderEmailOptions): RenderedEmail {
  const footer = (REPLYABLE.has(opts.kind) ? REPLY_FOOTER : FOOTER)[opts.locale];
  const data = parseEmailData(opts.kind, opts.data);
  const words = (EMAIL_TEMPLATES[opts.kind as EmailTemplateKind].words[opts.locale] as (d: unknown) => Words)(data);
  const subject = oneLine(words.subject);
  const link = opts.link;
  const colon = opts.locale === 'zh-CN' ? '：' : ': ';
  const text = [
    ...words.lines,
    ...(link ? [words.action ? `${words.action}${colon}${link}` : link] : []),
    '--',
    footer,
  ].join('\n\n');
  const html = [
    '<!doctype html>',
    `<html lang="${opts.locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f5f5f5;font-family:-apple-system,\'PingFang SC\',\'Microsoft YaHei\',sans-serif;font-size:14px;line-height:1.7;color:#1f1f1f">',
    '<div style="max-width:600px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">',
    `<h2 style="margin:0 0 16px;font-size:16px">${escapeHtml(subject)}</h2>`,
    ...words.lines.map((l) => `<p style="margin:0 0 12px;white-space:pre-wrap">${escapeHtml(l)}</p>`),
    ...(link
      ? [`<p style="margin:20px 0"><a href="${escapeHtml(link)}" style="display:inline-block;padding:6px 16px;background:#1677ff;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(words.action ?? link)}</a></p>`]
      : []),
    `<p style="margin:24px 0 0;color:#8c8c8c;font-size:12px">${escapeHtml(footer)}</p>`,
    '</div></body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** Line breaks, tabs and other control characters become one space: a subject is one line. */
export function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').replace(/ {2,}/g, ' ').trim();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
