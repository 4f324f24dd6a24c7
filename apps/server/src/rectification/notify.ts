/**
 * The notifications of the rectification loop, as `notify.users` outbox rows written in the
 * command's transaction (sent after commit): the in-app text is Chinese (the staff's language),
 * the e-mail is the template of the kind, rendered in each recipient's language at delivery.
 * Each has a deterministic source key, so a repeated command or job tick notifies once.
 */
import { newId } from '../db/util.js';

export interface NotifyItem {
  id: string;
  kind: 'notify.users';
  payload: {
    userIds: string[];
    kind: string;
    title: string;
    body: string | null;
    ticketId: string;
    sourceKey: string;
    email: { template: string; data: Record<string, unknown> };
  };
  dedupeKey: string;
}

interface TicketRef { ticketId: string; number: string; title: string }

function item(userId: string, kind: string, sourceKey: string, ref: TicketRef, text: { title: string; body: string | null }, data: Record<string, unknown>): NotifyItem {
  return {
    id: newId(), kind: 'notify.users', dedupeKey: `${sourceKey}:${userId}`,
    payload: {
      userIds: [userId], kind, title: text.title, body: text.body, ticketId: ref.ticketId, sourceKey,
      email: { template: kind, data: { number: ref.number, title: ref.title, ...data } },
    },
  };
}

/** Plan approved: each measure owner gets their task (seed 000: the next step's owner is told). */
export function measureAssigned(ref: TicketRef, m: { id: string; ownerId: string; action: string; dueDate: string }): NotifyItem {
  return item(m.ownerId, 'measure_assigned', `measure-assigned:${m.id}`, ref, {
    title: `整改任务：${ref.number} ${ref.title}`,
    body: `${m.action}（完成期限 ${m.dueDate}）`,
  }, { action: m.action, dueDate: m.dueDate });
}

/** The last open measure is done: the ticket owner may start the acceptance. */
export function measuresCompleted(ref: TicketRef, ownerId: string, planId: string, reworkCount: number): NotifyItem {
  return item(ownerId, 'measures_completed', `measures-completed:${planId}:${reworkCount}`, ref, {
    title: `整改措施已全部完成：${ref.number}`,
    body: '可以提交验收了。',
  }, {});
}

export function measureOverdue(ref: TicketRef, m: { id: string; ownerId: string; action: string; dueDate: string }): NotifyItem {
  return item(m.ownerId, 'measure_overdue', `measure-overdue:${m.id}:${m.dueDate}`, ref, {
    title: `整改任务已超期：${ref.number}`,
    body: `${m.action}（完成期限 ${m.dueDate}）`,
  }, { action: m.action, dueDate: m.dueDate });
}
