/** Tickets as a compact table (desktop) or as cards (phone); shared by the list and the workbench. */
import { Card, Empty, Grid, List, Space, Table, Typography, type TableProps } from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TicketSummary } from '@closeloop/contract';
import { categoryName } from '../../app/lookups.js';
import { FlagTags, PriorityTag, StatusTag } from '../../components/tags.js';
import { SlaBadge } from '../../components/sla-badge.js';
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
  // Up to 1600 px the list leaves out channel and "updated" so that it fits without scrolling
  // sideways and the title keeps room to be read (sorting by "updated" stays in the header menu
  // of the created column's neighbours: the URL keeps any sort).
  const wide = !!Grid.useBreakpoint().xxl;
  const full = !compact;
  const order = (key: SortKey): SortOrder | undefined =>
    sort && onSort ? (sort.key === key ? (sort.order === 'asc' ? 'ascend' : 'descend') : null) : undefined;
  const sortable = (key: SortKey) => (onSort ? { sorter: true, sortOrder: order(key), sortDirections: ['descend', 'ascend', 'descend'] as SortOrder[] } : {});

  const columns: TableProps<TicketSummary>['columns'] = [
    {
      title: t('ticket.number'), dataIndex: 'number', key: 'number', width: 150, ...sortable('number'),
      render: (_: unknown, r) => <Link to={`/tickets/${r.id}`} data-testid="ticket-link">{r.number}</Link>,
    },
    {
      title: t('ticket.title'), dataIndex: 'title', key: 'title', ellipsis: { showTitle: true }, minWidth: 200,
      render: (_: unknown, r) => <Link to={`/tickets/${r.id}`} style={{ color: 'inherit' }}>{r.title}</Link>,
    },
    {
      title: t('ticket.status'), key: 'status', width: 130,
      render: (_: unknown, r) => <Space size={2} wrap><StatusTag status={r.status} /><FlagTags waiting={r.waitingOnCustomer} escalated={r.escalated} /></Space>,
    },
    { title: t('ticket.priority'), key: 'priority', width: 80, ...sortable('priority'), render: (_: unknown, r) => <PriorityTag priority={r.priority} /> },
    {
      title: t('sla.column'), key: 'slaDue', width: 130, ...sortable('slaDue'),
      render: (_: unknown, r) => <SlaBadge sla={r.sla} />,
    },
    ...(full ? [
      { title: t('ticket.category'), key: 'category', width: 110, ellipsis: true, render: (_: unknown, r: TicketSummary) => categoryName(r.category) },
    ] : []),
    { title: t('ticket.customer'), key: 'customer', width: 100, ellipsis: true, render: (_: unknown, r) => r.customer.name },
    {
      title: t('ticket.owner'), key: 'owner', width: 110, ellipsis: true,
      render: (_: unknown, r) => r.owner?.displayName ?? (r.department ? <Typography.Text type="secondary">{r.department.name}</Typography.Text> : <Typography.Text type="secondary">{t('ticket.unassigned')}</Typography.Text>),
    },
    ...(full && wide ? [
      { title: t('ticket.channel'), key: 'channel', width: 80, render: (_: unknown, r: TicketSummary) => t(`channel.${r.channel}`) },
    ] : []),
    { title: t('ticket.createdAt'), key: 'createdAt', width: wide ? 150 : 110, ...sortable('createdAt'), render: (_: unknown, r) => <TimeText value={r.createdAt} relative={!wide} /> },
    ...(full && wide ? [
      { title: t('ticket.updatedAt'), key: 'updatedAt', width: 100, ...sortable('updatedAt'), render: (_: unknown, r: TicketSummary) => <TimeText value={r.updatedAt} relative /> },
    ] : []),
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
      tableLayout="fixed"
      scroll={{ x: 960 }}
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
              <span style={{ flexShrink: 0 }}><PriorityTag priority={r.priority} /><StatusTag status={r.status} /></span>
            </div>
            <div style={{ margin: '4px 0', wordBreak: 'break-word' }}>{r.title}</div>
            {r.sla.state ? <div style={{ marginBottom: 4 }}><SlaBadge sla={r.sla} /></div> : null}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.customer.name} · {r.owner?.displayName ?? r.department?.name ?? t('ticket.unassigned')} · <TimeText value={r.createdAt} relative />
            </Typography.Text>
          </Card>
        </Link>
      )}
    />
  );
}
