/** Tickets as a compact table (desktop) or as cards (phone); shared by the list and the workbench. */
import { Card, Empty, List, Space, Table, Typography, type TableProps } from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TicketSummary } from '@closeloop/contract';
import { categoryName } from '../../app/lookups.js';
import { FlagTags, PriorityTag, StatusTag } from '../../components/tags.js';
import { TimeText } from '../../components/time-text.js';
import type { SortKey } from './list-query.js';

export interface TicketTableProps {
  items: TicketSummary[];
  loading?: boolean;
  sort?: { key: SortKey; order: 'asc' | 'desc' };
  onSort?: (key: SortKey, order: 'asc' | 'desc') => void;
  selectedIds?: string[];
  onSelect?: (ids: string[]) => void;
  empty?: ReactNode;
  compact?: boolean;
}

export function TicketTable({ items, loading, sort, onSort, selectedIds, onSelect, empty, compact }: TicketTableProps) {
  const { t } = useTranslation();
  const order = (key: SortKey): SortOrder | undefined =>
    sort && onSort ? (sort.key === key ? (sort.order === 'asc' ? 'ascend' : 'descend') : null) : undefined;
  const sortable = (key: SortKey) => (onSort ? { sorter: true, sortOrder: order(key), sortDirections: ['descend', 'ascend', 'descend'] as SortOrder[] } : {});

  const columns: TableProps<TicketSummary>['columns'] = [
    {
      title: t('ticket.number'), dataIndex: 'number', key: 'number', width: 150, fixed: 'left', ...sortable('number'),
      render: (_: unknown, r) => <Link to={`/tickets/${r.id}`} data-testid="ticket-link">{r.number}</Link>,
    },
    {
      title: t('ticket.title'), dataIndex: 'title', key: 'title', ellipsis: { showTitle: true },
      render: (_: unknown, r) => <Link to={`/tickets/${r.id}`} style={{ color: 'inherit' }}>{r.title}</Link>,
    },
    {
      title: t('ticket.status'), key: 'status', width: 130,
      render: (_: unknown, r) => <Space size={2} wrap><StatusTag status={r.status} /><FlagTags waiting={r.waitingOnCustomer} escalated={r.escalated} /></Space>,
    },
    { title: t('ticket.priority'), key: 'priority', width: 96, ...sortable('priority'), render: (_: unknown, r) => <PriorityTag priority={r.priority} /> },
    ...(compact ? [] : [
      { title: t('ticket.category'), key: 'category', width: 120, ellipsis: true, render: (_: unknown, r: TicketSummary) => categoryName(r.category) },
    ]),
    { title: t('ticket.customer'), key: 'customer', width: 120, ellipsis: true, render: (_: unknown, r) => r.customer.name },
    {
      title: t('ticket.owner'), key: 'owner', width: 140, ellipsis: true,
      render: (_: unknown, r) => r.owner?.displayName ?? (r.department ? <Typography.Text type="secondary">{r.department.name}</Typography.Text> : <Typography.Text type="secondary">{t('ticket.unassigned')}</Typography.Text>),
    },
    ...(compact ? [] : [
      { title: t('ticket.channel'), key: 'channel', width: 90, render: (_: unknown, r: TicketSummary) => t(`channel.${r.channel}`) },
    ]),
    { title: t('ticket.createdAt'), key: 'createdAt', width: 150, ...sortable('createdAt'), render: (_: unknown, r) => <TimeText value={r.createdAt} /> },
    ...(compact ? [] : [
      { title: t('ticket.updatedAt'), key: 'updatedAt', width: 110, ...sortable('updatedAt'), render: (_: unknown, r: TicketSummary) => <TimeText value={r.updatedAt} relative /> },
    ]),
  ];

  return (
    <Table<TicketSummary>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={false}
      sticky
      scroll={{ x: compact ? 900 : 1280 }}
      locale={{ emptyText: empty ?? <Empty description={t('list.empty')} /> }}
      rowSelection={onSelect ? { selectedRowKeys: selectedIds ?? [], onChange: (keys) => onSelect(keys.map(String)) } : undefined}
      onChange={(_p, _f, sorter) => {
        if (!onSort || Array.isArray(sorter)) return;
        const key = (sorter.columnKey ?? 'createdAt') as SortKey;
        if (!sorter.order) onSort('createdAt', 'desc');
        else onSort(key, sorter.order === 'ascend' ? 'asc' : 'desc');
      }}
      data-testid="ticket-table"
    />
  );
}

/** Phones: one card per ticket, the whole card opens it. */
export function TicketCards({ items, loading, empty }: Pick<TicketTableProps, 'items' | 'loading' | 'empty'>) {
  const { t } = useTranslation();
  return (
    <List
      loading={loading}
      dataSource={items}
      locale={{ emptyText: empty ?? <Empty description={t('list.empty')} /> }}
      data-testid="ticket-cards"
      renderItem={(r) => (
        <Link to={`/tickets/${r.id}`} style={{ display: 'block', marginBottom: 8, color: 'inherit' }} data-testid="ticket-link">
          <Card size="small" hoverable>
            <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
              <Typography.Text strong style={{ color: '#1677ff' }}>{r.number}</Typography.Text>
              <span><PriorityTag priority={r.priority} /><StatusTag status={r.status} /></span>
            </div>
            <div style={{ margin: '4px 0', wordBreak: 'break-word' }}>{r.title}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.customer.name} · {r.owner?.displayName ?? r.department?.name ?? t('ticket.unassigned')} · <TimeText value={r.createdAt} relative />
            </Typography.Text>
          </Card>
        </Link>
      )}
    />
  );
}
