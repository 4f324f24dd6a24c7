/**
 * Approval notifications after commit: the next node's approvers (approval_task), cc recipients
 * (approval_cc), urged approvers (approval_urged) and the initiator of an ended instance
 * (approval_result) get an in-app notification in their language and its e-mail. Idempotent by
 * `<event id>:<user id>` like the notifications subscriber.
 */
import type { DomainEvent } from '@closeloop/contract';
import { sqlOf } from '../db/client.js';
import { newId } from '../db/util.js';
import type { Subscriber } from '../events/subscribers.js';
import { APPROVALS_NOTIFY_SUBSCRIPTION } from '../events/subscriptions.js';
import { recordEmailDeliveries, type UserEmailItem } from '../mail/record-email-deliveries.js';
import { peopleById } from '../people/people-cache.js';
import { approvalText, type ApprovalKind, type ApprovalMailData } from './approval-messages.js';

const INSERT = `insert into notifications (id, user_id, kind, title, body, ticket_id, source_key)
  select n.id, n."userId", n.kind, n.title, n.body, n."ticketId", n."sourceKey"
  from jsonb_to_recordset($1::text::jsonb) as n(id uuid, "userId" uuid, kind text, title text, body text, "ticketId" uuid, "sourceKey" text)
  where not exists (select 1 from notification_preferences p
    where p.user_id = n."userId" and p.kind = n.kind and p.channel = 'in_app' and not p.enabled)
  on conflict (source_key) do nothing`;

type ApprovalEvent = Extract<DomainEvent, { type: `approval.${string}` }>;
interface Pending { event: ApprovalEvent; userId: string; kind: ApprovalKind; data: (by: string | null) => ApprovalMailData }

function pendingOf(e: ApprovalEvent): Pending[] {
  const p = e.payload;
  const node = 'nodeName' in p ? p.nodeName : null;
  const opinion = 'opinion' in p ? p.opinion : null;
  const data = (outcome: string | null, op: string | null = opinion) => (by: string | null): ApprovalMailData =>
    ({ number: p.number, title: p.title, flow: p.definitionName, node, by, opinion: op, outcome });
  const self = e.actor.userId;
  const to = (ids: readonly string[], kind: ApprovalKind, d: Pending['data']) =>
    ids.filter((id) => id !== self || kind === 'approval_result').map((userId) => ({ event: e, userId, kind, data: d }));
  switch (e.type) {
    case 'approval.started':
    case 'approval.task_approved':
      return [...to(e.payload.notifyUserIds, 'approval_task', data(null, null)), ...to(e.payload.ccUserIds, 'approval_cc', data(null, null))];
    case 'approval.task_rejected':
    case 'approval.returned':
    case 'approval.transferred':
    case 'approval.signer_added':
      return to(e.payload.notifyUserIds, 'approval_task', data(null));
    case 'approval.urged':
      return to(e.payload.notifyUserIds, 'approval_urged', data(null, e.payload.message));
    case 'approval.withdrawn':
      return to(e.payload.notifyUserIds, 'approval_result', data('cancelled', e.payload.reason));
    case 'approval.approved':
      return to(e.payload.notifyUserIds.filter((id) => id !== self), 'approval_result', data('approved', null));
    case 'approval.rejected':
      return to(e.payload.notifyUserIds.filter((id) => id !== self), 'approval_result', data('rejected', e.payload.opinion));
    default:
      return [];
  }
}

export const approvalsNotifySubscriber: Subscriber = {
  ...APPROVALS_NOTIFY_SUBSCRIPTION,
  async handle(ctx, events) {
    const pending = events.flatMap((e) => pendingOf(e as ApprovalEvent));
    if (!pending.length) return;
    const people = await peopleById(ctx.db, [
      ...pending.map((p) => p.userId), ...pending.flatMap((p) => (p.event.actor.userId ? [p.event.actor.userId] : [])),
    ]);
    const emails: UserEmailItem[] = [];
    const rows = pending.flatMap((p) => {
      const r = people.get(p.userId);
      if (!r || !r.active || r.role === 'customer') return [];
      const by = p.event.actor.userId ? people.get(p.event.actor.userId)?.displayName ?? null : null;
      const d = p.data(by);
      const text = approvalText(p.kind, r.locale, d);
      const sourceKey = `${p.event.id}:${r.id}`;
      emails.push({ sourceKey, userId: r.id, kind: p.kind, data: d, ticketId: p.event.payload.ticketId, at: new Date(p.event.at) });
      return [{ id: newId(), userId: r.id, kind: p.kind, title: text.title, body: text.lines.join('\n'), ticketId: p.event.payload.ticketId, sourceKey }];
    });
    if (!rows.length) return;
    await sqlOf(ctx.db).query(INSERT, [JSON.stringify(rows)], 'approvals_notifications_insert_v1');
    await recordEmailDeliveries({ db: ctx.db, items: emails });
  },
};
