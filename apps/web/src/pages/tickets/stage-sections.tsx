/** The content of each stage of a ticket: the problem as registered, analysis, plan, acceptance, follow-up. */
import { Card, Descriptions, Rate, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '@closeloop/contract';
import { TimeText } from '../../components/time-text.js';

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
