/** 邮件投递 (admins): every e-mail delivery, newest first, by status, with its attempts and last error. */
import { Button, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
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
    queryFn: ({ pageParam }) => api.emailDeliveries({ status: status === 'all' ? undefined : status, cursor: pageParam, limit: 50 }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <Space style={{ marginBottom: 12, display: 'flex', justifyContent: 'space-between' }} wrap>
        <Segmented<EmailDeliveryStatus | 'all'>
          value={status}
          onChange={setStatus}
          options={[
            { value: 'all', label: t('notificationPrefs.deliveries.all') },
            ...EMAIL_DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`notificationPrefs.deliveries.status.${s}`) })),
          ]}
          style={{ maxWidth: '100%', overflowX: 'auto' }}
        />
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
            scroll={{ x: 1000 }}
            locale={{ emptyText: t('notificationPrefs.deliveries.empty') }}
            columns={[
              { title: t('notificationPrefs.deliveries.createdAt'), key: 'createdAt', width: 150, render: (_: unknown, d) => <TimeText value={d.createdAt} /> },
              { title: t('notificationPrefs.deliveries.to'), key: 'to', width: 200, ellipsis: true, render: (_: unknown, d) => d.address ?? '—' },
              {
                title: t('notificationPrefs.deliveries.kind'), key: 'kind', width: 120,
                render: (_: unknown, d) => t(`notificationPrefs.kind.${d.kind}`, { defaultValue: d.kind }),
              },
              { title: t('notificationPrefs.deliveries.subject'), key: 'subject', ellipsis: true, render: (_: unknown, d) => d.subject ?? '—' },
              {
                title: t('notificationPrefs.deliveries.statusColumn'), key: 'status', width: 100,
                render: (_: unknown, d) => <Tag color={STATUS_COLORS[d.status]}>{t(`notificationPrefs.deliveries.status.${d.status}`)}</Tag>,
              },
              { title: t('notificationPrefs.deliveries.attempts'), dataIndex: 'attempts', width: 80, align: 'right' },
              {
                title: t('notificationPrefs.deliveries.when'), key: 'when', width: 150,
                render: (_: unknown, d) => (d.sentAt ? <TimeText value={d.sentAt} />
                  : d.status === 'queued' ? <Tooltip title={t('notificationPrefs.deliveries.notBeforeHint')}><span><TimeText value={d.notBefore} /></span></Tooltip> : '—'),
              },
              {
                title: t('notificationPrefs.deliveries.lastError'), key: 'lastError', width: 220, ellipsis: true,
                render: (_: unknown, d) => (d.lastError ? <Typography.Text type="secondary" title={d.lastError}>{d.lastError}</Typography.Text> : '—'),
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
