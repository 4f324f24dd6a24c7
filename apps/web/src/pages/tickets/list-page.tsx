/**
 * 工单列表: filters, sortable columns, cursor pages (previous pages kept as a stack of cursors,
 * so paging never counts or offsets), saved filters, bulk reassign. The URL is the view.
 */
import { App, Button, Card, Dropdown, Empty, Form, Grid, Input, Modal, Select, Space, Typography, type MenuProps } from 'antd';
import { DeleteOutlined, FilterOutlined, LeftOutlined, PlusOutlined, ReloadOutlined, RightOutlined, SaveOutlined, SwapOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../app/api.js';
import { hasRole, isStaff, useMe } from '../../app/session.js';
import { ErrorResult } from '../../components/error-result.js';
import { ListFilters } from './list-filters.js';
import { parseView, viewToQuery, viewToSearch, type ListView } from './list-query.js';
import { addSavedFilter, loadSavedFilters, removeSavedFilter, type SavedFilter } from './saved-filters.js';
import { TicketCards, TicketTable } from './ticket-table.js';
import { BulkReassignModal } from './bulk-reassign-modal.js';
import { ExportButton } from '../spreadsheets/export-button.js';

const PAGE_SIZES = [20, 50, 100];

export default function TicketListPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { message, modal } = App.useApp();
  const screens = Grid.useBreakpoint();
  const isMobile = screens.md === false;
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const view = useMemo(() => parseView(new URLSearchParams(search)), [search]);
  const query = useMemo(() => viewToQuery(view), [view]);
  const [limit, setLimit] = useState(20);
  // cursors[i] is the cursor that loads page i; page 0 has none. A new view or page size
  // starts again at page 0: the stack belongs to the view it was built for.
  const viewKey = `${search}|${limit}`;
  const [pager, setPager] = useState<{ key: string; cursors: (string | undefined)[] }>({ key: viewKey, cursors: [undefined] });
  const cursors = pager.key === viewKey ? pager.cursors : [undefined];
  const setCursors = (next: (c: (string | undefined)[]) => (string | undefined)[]) => setPager({ key: viewKey, cursors: next(cursors) });
  const page = cursors.length - 1;
  // The selection belongs to the page it was made on.
  const pageKey = `${viewKey}|${page}`;
  const [selection, setSelection] = useState<{ key: string; ids: string[] }>({ key: pageKey, ids: [] });
  const selected = selection.key === pageKey ? selection.ids : [];
  const setSelected = (ids: string[]) => setSelection({ key: pageKey, ids });
  const [bulkOpen, setBulkOpen] = useState(false);
  const [saved, setSaved] = useState<SavedFilter[]>(() => loadSavedFilters(me.id));
  const [saveForm] = Form.useForm<{ name: string }>();
  const [saveOpen, setSaveOpen] = useState(false);

  useEffect(() => {
    document.title = `${t('crumb.ticketList')} - ${t('app.shortName')}`;
  }, [t]);

  const cursor = cursors[page];
  const list = useQuery({
    queryKey: ['tickets', 'list', query, limit, cursor ?? null],
    queryFn: ({ signal }) => api.tickets({ ...query, limit, cursor }, signal),
    placeholderData: keepPreviousData,
  });
  const items = list.data?.items ?? [];
  // 共 N 条: the counts endpoint answers the list's own total for the same filters (index-backed).
  const { cursor: _c, limit: _l, sort: _s, order: _o, ...filterQuery } = { ...query, cursor: undefined, limit: undefined };
  const total = useQuery({
    queryKey: ['tickets', 'total', filterQuery],
    queryFn: ({ signal }) => api.ticketCounts(filterQuery, signal),
    placeholderData: keepPreviousData,
  });
  const selectedTickets = items.filter((i) => selected.includes(i.id));
  const canBulk = hasRole(me, 'admin', 'manager', 'agent');

  const setView = (v: ListView) => setParams(new URLSearchParams(viewToSearch(v)));

  const saveCurrent = async () => {
    const { name } = await saveForm.validateFields();
    setSaved(addSavedFilter(me.id, name, viewToSearch(view)));
    setSaveOpen(false);
    saveForm.resetFields();
    message.success(t('saved.savedOk'));
  };

  const savedMenu: MenuProps['items'] = [
    ...saved.map((f) => ({
      key: f.id,
      label: (
        <div style={{ display: 'flex', justifyContent: 'space-between', gap: 16, alignItems: 'center' }}>
          <span>{f.name}</span>
          <DeleteOutlined
            aria-label={t('saved.delete')}
            onClick={(e) => {
              e.stopPropagation();
              modal.confirm({
                title: t('saved.deleteConfirm', { name: f.name }),
                okButtonProps: { danger: true },
                okText: t('common.delete'),
                onOk: () => setSaved(removeSavedFilter(me.id, f.id)),
              });
            }}
          />
        </div>
      ),
      onClick: () => setParams(new URLSearchParams(f.search)),
    })),
    ...(saved.length ? [{ type: 'divider' as const }] : []),
    { key: '__save', icon: <SaveOutlined />, label: t('saved.saveCurrent'), onClick: () => setSaveOpen(true) },
  ];

  const empty = (
    <Empty description={search ? t('list.emptyFiltered') : isStaff(me) ? t('list.emptyStaff') : t('list.emptyCustomer')}>
      {search ? <Button onClick={() => setParams(new URLSearchParams())}>{t('list.reset')}</Button> : (
        <Link to="/tickets/new"><Button type="primary" icon={<PlusOutlined />}>{isStaff(me) ? t('menu.newTicket') : t('menu.submitProblem')}</Button></Link>
      )}
    </Empty>
  );

  return (
    <Card
      size="small"
      title={<span>{isStaff(me) ? t('crumb.ticketList') : t('menu.myTickets')}</span>}
      styles={{ body: { padding: isMobile ? 8 : 12 } }}
      extra={
        <Space size={4}>
          <ExportButton list="tickets" query={query as Record<string, unknown>} size="middle" />
          {isStaff(me) ? <ExportButton list="customers" size="middle" label={t('spreadsheets.exportCustomers')} /> : null}
          <Dropdown menu={{ items: savedMenu }} trigger={['click']}>
            <Button icon={<FilterOutlined />} data-testid="saved-filters">{isMobile ? null : t('saved.title')}</Button>
          </Dropdown>
          <Link to="/tickets/new">
            <Button type="primary" icon={<PlusOutlined />} data-testid="new-ticket">{isMobile ? null : isStaff(me) ? t('menu.newTicket') : t('menu.submitProblem')}</Button>
          </Link>
        </Space>
      }
    >
      <ListFilters view={view} onChange={setView} />
      {canBulk && selected.length && !isMobile ? (
        <Space style={{ marginBottom: 8 }}>
          <Typography.Text>{t('list.selected', { count: selected.length })}</Typography.Text>
          <Button size="small" icon={<SwapOutlined />} onClick={() => setBulkOpen(true)} data-testid="bulk-reassign">{t('bulk.button')}</Button>
          <Button size="small" type="link" onClick={() => setSelected([])}>{t('list.clearSelection')}</Button>
        </Space>
      ) : null}
      {list.isError && !list.data ? (
        <ErrorResult error={list.error} onRetry={() => void list.refetch()} />
      ) : isMobile ? (
        <TicketCards items={items} loading={list.isFetching} empty={empty} />
      ) : (
        <TicketTable
          items={items}
          loading={list.isFetching}
          sort={{ key: view.sort, order: view.order }}
          onSort={(sort, order) => setView({ ...view, sort, order })}
          selectedIds={canBulk ? selected : undefined}
          onSelect={canBulk ? setSelected : undefined}
          empty={empty}
        />
      )}
      {list.isError && list.data ? <ErrorResult compact error={list.error} onRetry={() => void list.refetch()} /> : null}
      <div style={{ display: 'flex', justifyContent: 'flex-end', alignItems: 'center', gap: 8, marginTop: 12, flexWrap: 'wrap' }}>
        {total.data ? <Typography.Text data-testid="list-total">{t('list.total', { count: total.data.total, formatted: total.data.total.toLocaleString() })}</Typography.Text> : null}
        <Typography.Text type="secondary">{t('list.pageInfo', { page: page + 1, count: items.length })}</Typography.Text>
        <Button size="small" icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
        <Button size="small" icon={<LeftOutlined />} disabled={page === 0} onClick={() => setCursors((c) => c.slice(0, -1))} data-testid="prev-page">
          {t('list.prev')}
        </Button>
        <Button
          size="small"
          disabled={!list.data?.nextCursor || list.isPlaceholderData}
          onClick={() => setCursors((c) => [...c, list.data?.nextCursor ?? undefined])}
          data-testid="next-page"
        >
          {t('list.next')} <RightOutlined />
        </Button>
        <Select size="small" value={limit} onChange={setLimit} style={{ width: 110 }}
          options={PAGE_SIZES.map((n) => ({ value: n, label: t('list.perPage', { count: n }) }))} />
      </div>
      <BulkReassignModal open={bulkOpen} tickets={selectedTickets} onClose={(done) => { setBulkOpen(false); if (done) setSelected([]); }} />
      <Modal open={saveOpen} title={t('saved.saveCurrent')} onOk={saveCurrent} onCancel={() => setSaveOpen(false)} destroyOnHidden>
        <Form form={saveForm} layout="vertical">
          <Form.Item name="name" label={t('saved.name')} rules={[{ required: true, whitespace: true, message: t('saved.nameRequired') }]}>
            <Input maxLength={40} placeholder={t('saved.namePlaceholder')} />
          </Form.Item>
          <Typography.Text type="secondary">{t('saved.localNote')}</Typography.Text>
        </Form>
      </Modal>
    </Card>
  );
}
