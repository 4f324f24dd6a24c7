/** The content of each stage of a ticket: the problem as registered, analysis, plan, acceptance, follow-up. */
import { Card, Descriptions, Empty, List, Rate, Space, Tag, Typography } from 'antd';
import { CheckCircleTwoTone, ClockCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '@closeloop/contract';
import { formatDate } from '../../app/format.js';
import { useUsers } from '../../app/lookups.js';
import { isStaff, useMe } from '../../app/session.js';
import { TimeText } from '../../components/time-text.js';
import { useTicketCommand } from './use-ticket-command.js';

const pre = { whiteSpace: 'pre-wrap', wordBreak: 'break-word' } as const;

export function ProblemSection({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const guided = [
    { key: 'scene', value: ticket.scene },
    { key: 'phenomenon', value: ticket.phenomenon },
    { key: 'triedMeasures', value: ticket.triedMeasures },
  ].filter((g) => g.value);
  return (
    <Card size="small" title={t('detail.problem')}>
      {guided.length ? (
        <Descriptions size="small" column={1} bordered items={guided.map((g) => ({ key: g.key, label: t(`field.${g.key}`), children: <div style={pre}>{g.value}</div> }))} style={{ marginBottom: 12 }} />
      ) : null}
      <Typography.Paragraph style={{ ...pre, marginBottom: 12 }} data-testid="ticket-description">{ticket.description}</Typography.Paragraph>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 3 }}
        items={[
          { key: 'model', label: t('field.productModel'), children: ticket.product.model },
          { key: 'sku', label: t('field.productSku'), children: ticket.product.sku || '—' },
          { key: 'serial', label: t('field.productSerial'), children: ticket.product.serial || '—' },
          { key: 'purchaseDate', label: t('field.productPurchaseDate'), children: ticket.product.purchaseDate || '—' },
          { key: 'orderNo', label: t('field.orderNo'), children: ticket.orderNo || '—' },
          { key: 'occurredAt', label: t('field.occurredAt'), children: <TimeText value={ticket.occurredAt} /> },
          { key: 'urgency', label: t('field.urgency'), children: t(`urgency.${ticket.urgency}`) },
          ...(ticket.channel === 'phone' ? [{
            key: 'readBack', label: t('field.readBackConfirmed'),
            children: ticket.readBackConfirmed ? <Tag color="success">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>,
          }] : []),
          // The category's form values: FormValuesCard (forms/), by the ticket's form version.
        ]}
      />
    </Card>
  );
}

export function AnalysisSection({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const a = ticket.analysis;
  if (!a) return null;
  return (
    <Card size="small" title={t('plan.analysis')}>
      <Descriptions
        size="small"
        column={1}
        items={[
          ...(a.directCause ? [{ key: 'd', label: t('field.directCause'), children: <div style={pre}>{a.directCause}</div> }] : []),
          ...(a.fiveWhys?.length ? [{ key: 'w', label: t('field.fiveWhys'), children: <ol style={{ margin: 0, paddingLeft: 18 }}>{a.fiveWhys.map((w, i) => <li key={i}>{w}</li>)}</ol> }] : []),
          { key: 'r', label: t('field.rootCause'), children: <div style={pre}>{a.rootCause}</div> },
          ...(a.rootCauseClass ? [{ key: 'c', label: t('field.rootCauseClass'), children: t(`rootCauseClass.${a.rootCauseClass}`) }] : []),
        ]}
      />
    </Card>
  );
}

export function PlanSection({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const me = useMe();
  const users = useUsers({}, isStaff(me));
  const plan = ticket.plan;
  if (!plan) return null;
  // Measures are completed by id now (POST /tickets/:id/measures/:measureId/complete): the
  // rectification section of the ticket page offers it.
  const nameOf = (id?: string) => (id ? users.data?.find((u) => u.id === id)?.displayName ?? '—' : '—');
  const done = plan.measures.filter((m) => m.done).length;
  return (
    <Card size="small" title={t('plan.plan')} extra={<Typography.Text type="secondary">{t('plan.progress', { done, total: plan.measures.length })}</Typography.Text>}>
      <Typography.Paragraph style={pre}>{plan.summary}</Typography.Paragraph>
      <List
        size="small"
        dataSource={plan.measures.map((m, index) => ({ ...m, index }))}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        renderItem={(m) => (
          <List.Item
          >
            <List.Item.Meta
              avatar={m.done ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : <ClockCircleOutlined />}
              title={<span style={pre}>{m.index + 1}. {m.action}</span>}
              description={
                <Space size={12} wrap>
                  <span>{t('field.measureOwner')}{t('common.colon')}{nameOf(m.ownerId)}</span>
                  <span>{t('field.dueDate')}{t('common.colon')}{m.dueDate ? formatDate(m.dueDate) : '—'}</span>
                  <span>{t('field.criterion')}{t('common.colon')}{m.criterion}</span>
                  {m.done && m.doneAt ? <span>{t('plan.doneAt')}{t('common.colon')}<TimeText value={m.doneAt} /></span> : null}
                </Space>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

export function OutcomeSection({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const items = [
    ...(ticket.resolution ? [{ key: 'resolution', label: t('field.resolution'), children: <div style={pre}>{ticket.resolution}</div> }] : []),
    ...(ticket.acceptance ? [{
      key: 'acceptance', label: t('detail.acceptance'),
      children: (
        <Space orientation="vertical" size={2}>
          <Tag color={ticket.acceptance.result === 'passed' ? 'success' : 'error'}>{t(`acceptance.${ticket.acceptance.result}`)}</Tag>
          {ticket.acceptance.note ? <div style={pre}>{ticket.acceptance.note}</div> : null}
          <TimeText value={ticket.acceptance.at} />
        </Space>
      ),
    }] : []),
    ...(ticket.feedback ? [{
      key: 'feedback', label: t('detail.feedback'),
      children: (
        <Space orientation="vertical" size={2}>
          {ticket.feedback.rating ? <Rate disabled value={ticket.feedback.rating} /> : null}
          {ticket.feedback.comment ? <div style={pre}>{ticket.feedback.comment}</div> : null}
          <TimeText value={ticket.feedback.at} />
        </Space>
      ),
    }] : []),
    ...(ticket.cancelReason ? [{ key: 'cancel', label: t('field.cancelReason'), children: <div style={pre}>{ticket.cancelReason}</div> }] : []),
  ];
  if (!items.length) return null;
  return (
    <Card size="small" title={t('detail.outcome')}>
      <Descriptions size="small" column={1} items={items} />
    </Card>
  );
}
