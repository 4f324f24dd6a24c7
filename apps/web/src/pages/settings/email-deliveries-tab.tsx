/** 邮件投递 (admins): every e-mail delivery, newest first, by status, with its attempts and last error. */
import { Button, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EMAIL_DELIVERY_STATUSES, type EmailDelivery, type EmailDeliveryStatus } from '@closeloop/contract';
import { api } from '../../app/api.js';
import { ErrorResult } from '../../components/error-result.js';
import { TimeText } from '../../components/time-text.js';

const STATUS_COLORS: Record<EmailDeliveryStatus, string> = {
  queued: 'default', sending: 'processing', sent: 'success', failed: 'warning', dead: 'error', skipped: 'default', opted_out: 'default',
};

export function EmailDeliveriesTab() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<EmailDeliveryStatus | 'all'>('all');
  const list = useInfiniteQuery({
    queryKey: ['email-deliveries', status],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api.emailDeliveries({ status: status === 'all' ? undefined : status, cursor: pageParam, limit: 20 }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <Space style={{ marginBottom: 12, display: 'flex', justifyContent: 'space-between' }} wrap>
        <Space wrap>
          <span>{t('notificationPrefs.deliveries.statusColumn')}{t('common.colon')}</span>
          <Select<EmailDeliveryStatus | 'all'>
            value={status}
            onChange={setStatus}
            style={{ width: 160 }}
            aria-label={t('notificationPrefs.deliveries.statusColumn')}
            data-testid="delivery-status"
            options={[
              { value: 'all', label: t('notificationPrefs.deliveries.all') },
              ...EMAIL_DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`notificationPrefs.deliveries.status.${s}`) })),
            ]}
          />
        </Space>
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isRefetching}>{t('notificationPrefs.deliveries.refresh')}</Button>
      </Space>
      {list.isError ? <ErrorResult error={list.error} onRetry={() => void list.refetch()} /> : (
        <>
          <Table<EmailDelivery>
            rowKey="id"
            size="small"
            loading={list.isLoading}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 1180 }}
            locale={{ emptyText: t('notificationPrefs.deliveries.empty') }}
            columns={[
              { title: t('notificationPrefs.deliveries.createdAt'), key: 'createdAt', width: 140, render: (_: unknown, d) => <TimeText value={d.createdAt} /> },
              {
                title: t('notificationPrefs.deliveries.to'), key: 'to', width: 200, ellipsis: true,
                render: (_: unknown, d) => (
                  <>
                    <div>{d.recipientName ?? d.address ?? '—'}</div>
                    {d.recipientName && d.address ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{d.address}</Typography.Text> : null}
                  </>
                ),
              },
              {
                title: t('notificationPrefs.deliveries.kind'), key: 'kind', width: 110, ellipsis: true,
                render: (_: unknown, d) => t(`notificationPrefs.kind.${d.kind}`, { defaultValue: d.kind }),
              },
              {
                title: t('notificationPrefs.deliveries.subject'), key: 'subject', ellipsis: { showTitle: false },
                render: (_: unknown, d) => (d.subject ? <Tooltip title={d.subject} placement="topLeft">{d.subject}</Tooltip> : '—'),
              },
              {
                title: t('notificationPrefs.deliveries.statusColumn'), key: 'status', width: 96,
                render: (_: unknown, d) => <Tag color={STATUS_COLORS[d.status]}>{t(`notificationPrefs.deliveries.status.${d.status}`)}</Tag>,
              },
              { title: t('notificationPrefs.deliveries.attempts'), dataIndex: 'attempts', width: 72, align: 'right' },
              {
                title: t('notificationPrefs.deliveries.when'), key: 'when', width: 140,
                render: (_: unknown, d) => (d.sentAt ? <TimeText value={d.sentAt} />
                  : d.status === 'queued' ? <Tooltip title={t('notificationPrefs.deliveries.notBeforeHint')}><span><TimeText value={d.notBefore} /></span></Tooltip> : '—'),
              },
              {
                title: t('notificationPrefs.deliveries.lastError'), key: 'lastError', width: 220, ellipsis: { showTitle: false },
                render: (_: unknown, d) => {
                  if (!d.lastError) return '—';
                  const text = d.skipReason ? t(`notificationPrefs.deliveries.skipReason.${d.skipReason}`) : d.lastError;
                  return <Tooltip title={d.lastError} placement="topLeft"><Typography.Text type="secondary">{text}</Typography.Text></Tooltip>;
                },
              },
            ]}
          />
          {list.hasNextPage ? (
            <div style={{ textAlign: 'center', marginTop: 12 }}>
              <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>{t('notificationPrefs.deliveries.more')}</Button>
            </div>
          ) : null}
        </>
      )}
    </>
  );
}
