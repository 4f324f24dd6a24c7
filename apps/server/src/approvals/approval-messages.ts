/**
 * What approval notifications say, zh-CN and en-US: one function per kind giving the in-app
 * title/body and the e-mail's subject and lines (mail/templates.ts renders them at delivery).
 */
import { z } from 'zod';
import type { MessageLocale } from '../notifications/messages.js';

export const zApprovalMailData = z.object({
  number: z.string().min(1),
  title: z.string(),
  flow: z.string(),
  node: z.string().nullable(),
  by: z.string().nullable(),
  opinion: z.string().nullable(),
  /** approval_result: approved | rejected | cancelled. */
  outcome: z.string().nullable(),
});
export type ApprovalMailData = z.infer<typeof zApprovalMailData>;

export const APPROVAL_KINDS = ['approval_task', 'approval_cc', 'approval_urged', 'approval_result'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

const OUTCOME: Record<MessageLocale, Record<string, string>> = {
  'zh-CN': { approved: '已通过', rejected: '未通过', cancelled: '已撤回' },
  'en-US': { approved: 'was approved', rejected: 'was rejected', cancelled: 'was withdrawn' },
};

export function approvalText(kind: ApprovalKind, locale: MessageLocale, d: ApprovalMailData): { subject: string; title: string; lines: string[] } {
  const zh = locale === 'zh-CN';
  const opinion = d.opinion ? [zh ? `意见：${d.opinion}` : `Opinion: ${d.opinion}`] : [];
  switch (kind) {
    case 'approval_task':
      return zh
        ? { subject: `【待审批】工单 ${d.number}：${d.title}`, title: `工单 ${d.number} 待您审批`, lines: [`「${d.flow}」${d.node ? `的「${d.node}」` : ''}需要您审批${d.by ? `（${d.by} 提交）` : ''}。`, ...opinion] }
        : { subject: `[To approve] Ticket ${d.number}: ${d.title}`, title: `Ticket ${d.number} waits for your approval`, lines: [`"${d.flow}"${d.node ? `, step "${d.node}"` : ''} needs your approval${d.by ? ` (from ${d.by})` : ''}.`, ...opinion] };
    case 'approval_cc':
      return zh
        ? { subject: `【抄送】工单 ${d.number}：${d.title}`, title: `工单 ${d.number} 的审批抄送给您`, lines: [`「${d.flow}」抄送给您，请知悉。`] }
        : { subject: `[CC] Ticket ${d.number}: ${d.title}`, title: `You are in copy of ticket ${d.number}'s approval`, lines: [`"${d.flow}" was copied to you for your information.`] };
    case 'approval_urged':
      return zh
        ? { subject: `【催办】工单 ${d.number}：${d.title}`, title: `工单 ${d.number} 的审批请尽快处理`, lines: [`${d.by ?? '发起人'}催您处理「${d.flow}」。`, ...(d.opinion ? [d.opinion] : [])] }
        : { subject: `[Reminder] Ticket ${d.number}: ${d.title}`, title: `Please act on ticket ${d.number}'s approval`, lines: [`${d.by ?? 'The initiator'} asks you to act on "${d.flow}".`, ...(d.opinion ? [d.opinion] : [])] };
    case 'approval_result': {
      const o = OUTCOME[locale][d.outcome ?? ''] ?? d.outcome ?? '';
      return zh
        ? { subject: `【审批${o}】工单 ${d.number}：${d.title}`, title: `工单 ${d.number} 的审批${o}`, lines: [`「${d.flow}」${o}。`, ...opinion] }
        : { subject: `[Approval] Ticket ${d.number} ${o}: ${d.title}`, title: `Ticket ${d.number}'s approval ${o}`, lines: [`"${d.flow}" ${o}.`, ...opinion] };
    }
  }
}
