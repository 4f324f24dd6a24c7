/** Status and priority as coloured tags with their translated labels (P1 red, P2 orange, P3 blue). */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Priority, TicketStatus } from '@closeloop/contract';

const STATUS_COLOR: Record<TicketStatus, string> = {
  registered: 'default',
  assigned: 'blue',
  analyzing: 'geekblue',
  plan_review: 'purple',
  rectifying: 'gold',
  accepting: 'cyan',
  follow_up: 'lime',
  closed: 'green',
  cancelled: 'default',
};

const PRIORITY_COLOR: Record<Priority, string> = { P1: 'red', P2: 'orange', P3: 'blue' };

export function StatusTag({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status] ?? 'default'} data-status={status}>{t(`status.${status}`)}</Tag>;
}

export function PriorityTag({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return <Tag color={PRIORITY_COLOR[priority] ?? 'default'} data-priority={priority}>{t(`priority.${priority}`)}</Tag>;
}

export function FlagTags({ waiting, escalated }: { waiting?: boolean; escalated?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {waiting ? <Tag color="warning">{t('ticket.waitingOnCustomer')}</Tag> : null}
      {escalated ? <Tag color="error">{t('ticket.escalated')}</Tag> : null}
    </>
  );
}
