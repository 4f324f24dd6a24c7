/** The list's filter bar: keyword always visible, the rest behind "more filters". */
import { Badge, Button, Col, DatePicker, Input, Row, Segmented, Select, Space, Switch } from 'antd';
import { DownOutlined, UpOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { CHANNELS, PRIORITIES, TICKET_STATUSES } from '@closeloop/contract';
import { api } from '../../app/api.js';
import { categoryName, departmentName, useCategories, useDepartments, useUsers } from '../../app/lookups.js';
import { FormFieldFilters } from '../../forms/form-field-filters.js';
import { useTags } from '../../app/routing-api.js';
import { useMe, isStaff } from '../../app/session.js';
import { activeFilterCount, DEFAULT_VIEW, type ListView } from './list-query.js';

export function ListFilters({ view, onChange }: { view: ListView; onChange: (v: ListView) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const staff = isStaff(me);
  const [expanded, setExpanded] = useState(activeFilterCount(view) > 0);
  const [customerSearch, setCustomerSearch] = useState('');
  const categories = useCategories();
  const departments = useDepartments(staff);
  const users = useUsers({}, staff);
  const tagLibrary = useTags(staff);
  const customers = useQuery({
    queryKey: ['customers', customerSearch],
    queryFn: async () => (await api.customers({ q: customerSearch })).items,
    enabled: staff && customerSearch.trim().length >= 1,
  });
  const set = (patch: Partial<ListView>) => onChange({ ...view, ...patch });
  const count = activeFilterCount(view);
  const col = { xs: 24, sm: 12, lg: 8, xl: 6 };

  return (
    <div style={{ marginBottom: 12 }}>
      <Row gutter={[8, 8]} align="middle">
        <Col flex="auto" style={{ minWidth: 200, maxWidth: 520 }}>
          <Input.Search
            // Remounted when the URL's text changes (back button, saved filter, reset).
            key={view.q}
            defaultValue={view.q}
            onSearch={(value) => set({ q: value })}
            allowClear
            enterButton
            placeholder={t('list.searchPlaceholder')}
            data-testid="list-search"
          />
        </Col>
        <Col>
          <Space wrap size={8}>
            {staff ? (
              <Segmented<ListView['sla']>
                size="small"
                value={view.sla}
                onChange={(sla) => set({ sla, ...(sla ? { sort: 'slaDue' as const, order: 'asc' as const } : {}) })}
                options={[
                  { value: '', label: t('sla.viewAll') },
                  { value: 'overdue', label: t('sla.viewOverdue') },
                  { value: 'due_soon', label: t('sla.viewDueSoon') },
                ]}
                data-testid="sla-view"
              />
            ) : null}
            <Space size={4}>
              <Switch size="small" checked={view.open} onChange={(open) => set({ open })} aria-label={t('list.openOnly')} />
              <span>{t('list.openOnly')}</span>
            </Space>
            <Button type="link" onClick={() => setExpanded((e) => !e)} style={{ paddingInline: 4 }}>
              <Badge count={count} size="small" offset={[6, -2]}>
                <span style={{ color: '#1677ff' }}>{t('list.moreFilters')} {expanded ? <UpOutlined /> : <DownOutlined />}</span>
              </Badge>
            </Button>
            {count || view.q ? (
              <Button type="link" onClick={() => onChange({ ...DEFAULT_VIEW, sort: view.sort, order: view.order })} style={{ paddingInline: 4 }}>
                {t('list.reset')}
              </Button>
            ) : null}
          </Space>
        </Col>
      </Row>
      {expanded ? (
        <Row gutter={[8, 8]} style={{ marginTop: 8 }} data-testid="more-filters">
          <Col {...col}>
            <Select mode="multiple" allowClear maxTagCount="responsive" style={{ width: '100%' }} placeholder={t('ticket.status')}
              value={view.status} onChange={(status) => set({ status })}
              options={TICKET_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
          </Col>
          <Col {...col}>
            <Select mode="multiple" allowClear maxTagCount="responsive" style={{ width: '100%' }} placeholder={t('ticket.priority')}
              value={view.priority} onChange={(priority) => set({ priority })}
              options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
          </Col>
          <Col {...col}>
            <Select mode="multiple" allowClear maxTagCount="responsive" style={{ width: '100%' }} placeholder={t('ticket.category')}
              value={view.category} onChange={(category) => set({ category, cf: [] })} loading={categories.isLoading} showSearch={{ optionFilterProp: 'label' }}
              options={(categories.data ?? []).map((c) => ({ value: c.id, label: categoryName(c) }))} />
          </Col>
          <Col {...col}>
            <Select mode="multiple" allowClear maxTagCount="responsive" style={{ width: '100%' }} placeholder={t('ticket.channel')}
              value={view.channel} onChange={(channel) => set({ channel })}
              options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
          </Col>
          {staff ? (
            <>
              <Col {...col}>
                <Select allowClear showSearch={{ optionFilterProp: 'label' }} style={{ width: '100%' }} placeholder={t('ticket.owner')}
                  value={view.owner || undefined} onChange={(owner?: string) => set({ owner: owner ?? '' })}
                  options={[
                    { value: 'me', label: t('list.ownerMe') },
                    { value: 'none', label: t('list.ownerNone') },
                    { value: 'queue', label: t('routing.queue') },
                    ...(users.data ?? []).filter((u) => u.role !== 'customer' && u.id !== me.id).map((u) => ({ value: u.id, label: u.displayName })),
                  ]} />
              </Col>
              <Col {...col}>
                <Select mode="multiple" allowClear maxTagCount="responsive" style={{ width: '100%' }} placeholder={t('tags.filter')}
                  value={view.tag} onChange={(tag) => set({ tag })} showSearch={{ optionFilterProp: 'label' }} data-testid="tag-filter"
                  options={(tagLibrary.data ?? []).map((g) => ({ value: g.id, label: g.path }))} />
              </Col>
              <Col {...col}>
                <Select mode="multiple" allowClear maxTagCount="responsive" style={{ width: '100%' }} placeholder={t('ticket.department')}
                  value={view.department} onChange={(department) => set({ department })} showSearch={{ optionFilterProp: 'label' }}
                  options={(departments.data ?? []).map((d) => ({ value: d.id, label: departmentName(d) }))} />
              </Col>
              <Col {...col}>
                <Select
                  allowClear
                  showSearch={{ filterOption: false, onSearch: setCustomerSearch }}
                  style={{ width: '100%' }}
                  placeholder={t('ticket.customer')}
                  value={view.customer || undefined}
                  loading={customers.isFetching}
                  notFoundContent={customerSearch ? t('list.noCustomer') : t('list.typeToSearchCustomer')}
                  onChange={(id?: string, option?: unknown) => {
                    const label = (option as { label?: string } | undefined)?.label ?? '';
                    set({ customer: id ?? '', customerName: id ? label : '' });
                  }}
                  options={[
                    ...(view.customer && !(customers.data ?? []).some((c) => c.id === view.customer)
                      ? [{ value: view.customer, label: view.customerName || t('list.selectedCustomer') }] : []),
                    ...(customers.data ?? []).map((c) => ({ value: c.id, label: c.name, title: c.phone ?? c.email ?? '' })),
                  ]}
                />
              </Col>
            </>
          ) : null}
          <Col xs={24} sm={12} lg={8} xl={6}>
            <DatePicker.RangePicker
              style={{ width: '100%' }}
              placeholder={[t('list.createdFrom'), t('list.createdTo')]}
              value={[view.createdFrom ? dayjs(view.createdFrom) : null, view.createdTo ? dayjs(view.createdTo) : null]}
              allowEmpty={[true, true]}
              onChange={(range) => set({
                createdFrom: range?.[0] ? range[0].format('YYYY-MM-DD') : '',
                createdTo: range?.[1] ? range[1].format('YYYY-MM-DD') : '',
              })}
            />
          </Col>
          {view.category.length === 1 ? <FormFieldFilters categoryId={view.category[0]!} value={view.cf} onChange={(cf) => set({ cf })} /> : null}
        </Row>
      ) : null}
    </div>
  );
}
