/**
 * Customer look-up by phone or e-mail on the intake form: who this is, their tier, and the
 * tickets they already have — so nobody asks them the same questions twice.
 */
import { Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Customer } from '@closeloop/contract';
import { api } from '../../app/api.js';
import { errorMessage } from '../../app/errors.js';
import { formatNumber } from '../../app/format.js';
import { StatusTag } from '../../components/tags.js';
import { TimeText } from '../../components/time-text.js';

export function CustomerHistory({ customerId, limit = 5 }: { customerId: string; limit?: number }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['customer-tickets', customerId],
    queryFn: async () => (await api.customerTickets(customerId)).items,
  });
  if (q.isError) return <Typography.Text type="danger">{errorMessage(t, q.error)}</Typography.Text>;
  return (
    <List
      size="small"
      loading={q.isLoading}
      dataSource={(q.data ?? []).slice(0, limit)}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer.noHistory')} /> }}
      renderItem={(r) => (
        <List.Item style={{ paddingInline: 0 }}>
          <div style={{ minWidth: 0, width: '100%' }}>
            <Space size={4} wrap>
              <Link to={`/tickets/${r.id}`} target="_blank">{r.number}</Link>
              <StatusTag status={r.status} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}><TimeText value={r.createdAt} relative /></Typography.Text>
            </Space>
            <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{r.title}</div>
          </div>
        </List.Item>
      )}
    />
  );
}

export function CustomerCard({ customer, onUse, used }: { customer: Customer; onUse?: (c: Customer) => void; used?: boolean }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      data-testid="customer-match"
      title={<Space wrap size={4}><span>{customer.name}</span><Tag color={customer.tier === 'vip' ? 'gold' : 'default'}>{t(`tier.${customer.tier}`)}</Tag></Space>}
      extra={onUse ? <Button size="small" type={used ? 'default' : 'primary'} disabled={used} onClick={() => onUse(customer)}>{used ? t('customer.inUse') : t('customer.use')}</Button> : null}
    >
      <Typography.Text type="secondary">
        {[customer.phone, customer.email].filter(Boolean).join(' · ')} · {t('customer.ticketCount', { count: customer.ticketCount, n: formatNumber(customer.ticketCount) })}
      </Typography.Text>
      <Typography.Title level={5} style={{ marginTop: 8, fontSize: 13 }}>{t('customer.history')}</Typography.Title>
      <CustomerHistory customerId={customer.id} />
    </Card>
  );
}

export function CustomerLookupResults({ phone, email, onUse, usedId }: { phone?: string; email?: string; onUse: (c: Customer) => void; usedId?: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['customer-lookup', phone ?? '', email ?? ''],
    queryFn: async () => (await api.customers({ phone: phone || undefined, email: email || undefined })).items,
    enabled: !!(phone || email),
  });
  if (!phone && !email) return null;
  if (q.isLoading) return <Typography.Text type="secondary">{t('customer.searching')}</Typography.Text>;
  if (q.isError) return <Typography.Text type="danger">{errorMessage(t, q.error)}</Typography.Text>;
  if (!q.data?.length) return <Typography.Text type="secondary" data-testid="customer-new">{t('customer.notFound')}</Typography.Text>;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {q.data.slice(0, 3).map((c) => <CustomerCard key={c.id} customer={c} onUse={onUse} used={c.id === usedId} />)}
    </Space>
  );
}
