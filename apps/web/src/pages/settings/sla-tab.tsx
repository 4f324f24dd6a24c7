/**
 * SLA policies (服务等级): the ordered policies with their targets (entered in hours, stored in
 * business minutes of the chosen calendar), warning share, level-2 escalation share and P1-style
 * automatic progress messages; and the customer tiers' first-response caps (the stricter wins).
 */
import { Alert, Button, Card, Col, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CUSTOMER_TIERS, PRIORITIES, type SlaPolicy, type SlaTierTarget } from '@closeloop/contract';
import { api } from '../../app/api.js';
import { categoryName, useCategories } from '../../app/lookups.js';
import { ErrorResult } from '../../components/error-result.js';
import { PriorityTag } from '../../components/tags.js';
import { useCalendars } from './calendars-api.js';
import { useSave } from './use-save.js';

interface Values {
  name?: string; position?: number; priorities?: string[]; tiers?: string[]; categoryIds?: string[]; calendarId?: string;
  firstResponseH?: number | null; updateH?: number | null; resolutionH?: number | null;
  warnPercent?: number; level2AfterPercent?: number; customerUpdates?: boolean;
}

const toH = (m: number | null) => (m === null ? null : Math.round((m / 60) * 100) / 100);
const toM = (h: number | null | undefined) => (h === null || h === undefined ? null : Math.round(h * 60));

export function SlaTab() {
  const { t } = useTranslation();
  const policies = useQuery({ queryKey: ['sla', 'policies'], queryFn: async () => (await api.slaPolicies()).items });
  const tiers = useQuery({ queryKey: ['sla', 'tiers'], queryFn: async () => (await api.slaTierTargets()).items });
  const calendarList = useCalendars();
  const calendars = { data: calendarList.data?.items };
  const categories = useCategories();
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const [tierForm] = Form.useForm<Record<string, number | null>>();
  const isNew = editing === 'new';
  const calendarName = new Map((calendars.data ?? []).map((c) => [c.id, c.name]));
  const defaultCalendar = (calendars.data ?? []).find((c) => c.isDefault)?.name ?? t('sla.defaultCalendar');

  const save = useSave<Values>({
    form,
    invalidate: ['sla'],
    onDone: () => setEditing(null),
    save: (v) => {
      const body = {
        name: v.name?.trim(), position: v.position, priorities: v.priorities ?? [], tiers: v.tiers ?? [], categoryIds: v.categoryIds ?? [],
        calendarId: v.calendarId ?? null,
        targets: { firstResponse: toM(v.firstResponseH), update: toM(v.updateH), resolution: toM(v.resolutionH) },
        warnPercent: v.warnPercent, level2AfterPercent: v.level2AfterPercent, customerUpdates: !!v.customerUpdates,
      };
      return isNew ? api.createSlaPolicy(body) : api.updateSlaPolicy((editing as SlaPolicy).id, body);
    },
  });
  const toggle = useSave<{ id: string; active: boolean }>({ form, invalidate: ['sla'], onDone: () => undefined, save: ({ id, active }) => api.updateSlaPolicy(id, { active }) });
  const saveTiers = useSave<Record<string, number | null>>({
    form: tierForm,
    invalidate: ['sla'],
    onDone: () => undefined,
    save: (v) => api.setSlaTierTargets(CUSTOMER_TIERS.flatMap((tier): SlaTierTarget[] => {
      const m = toM(v[tier]);
      return m ? [{ tier, firstResponseMinutes: m, calendarId: null }] : [];
    })),
  });
  useEffect(() => {
    if (tiers.data) tierForm.setFieldsValue(Object.fromEntries(CUSTOMER_TIERS.map((tier) => [tier, toH(tiers.data.find((x) => x.tier === tier)?.firstResponseMinutes ?? null)])));
  }, [tiers.data, tierForm]);

  const open = (p: SlaPolicy | 'new') => {
    form.resetFields();
    form.setFieldsValue(p === 'new'
      ? { position: 100, priorities: [], tiers: [], categoryIds: [], warnPercent: 80, level2AfterPercent: 50, customerUpdates: false }
      : {
        name: p.name, position: p.position, priorities: p.priorities, tiers: p.tiers, categoryIds: p.categoryIds,
        calendarId: p.calendarId ?? undefined, firstResponseH: toH(p.targets.firstResponse), updateH: toH(p.targets.update),
        resolutionH: toH(p.targets.resolution), warnPercent: p.warnPercent, level2AfterPercent: p.level2AfterPercent,
        customerUpdates: p.customerUpdates,
      });
    setEditing(p);
  };
  const hours = (m: number | null) => (m === null ? '—' : t('sla.hours', { h: toH(m) }));
  const any = <Typography.Text type="secondary">{t('sla.any')}</Typography.Text>;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Alert type="info" showIcon message={t('sla.settingsHint')} />
      <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="new-sla-policy">{t('sla.newPolicy')}</Button>
      </Space>
      {policies.isError ? <ErrorResult error={policies.error} onRetry={() => void policies.refetch()} /> : (
        <Table<SlaPolicy>
          rowKey="id"
          size="small"
          loading={policies.isLoading}
          dataSource={policies.data ?? []}
          pagination={false}
          scroll={{ x: 1000 }}
          data-testid="sla-policies"
          locale={{ emptyText: t('sla.noPolicies') }}
          columns={[
            { title: t('sla.position'), dataIndex: 'position', width: 70 },
            { title: t('field.name'), dataIndex: 'name', width: 130 },
            {
              title: t('sla.matches'), key: 'match',
              render: (_: unknown, p) => (
                <Space size={4} wrap>
                  {p.priorities.length ? p.priorities.map((x) => <PriorityTag key={x} priority={x} />) : null}
                  {p.tiers.map((x) => <Tag key={x}>{t(`tier.${x}`)}</Tag>)}
                  {p.categoryIds.map((id) => <Tag key={id}>{categoryName((categories.data ?? []).find((c) => c.id === id) ?? { name: id, nameEn: null })}</Tag>)}
                  {!p.priorities.length && !p.tiers.length && !p.categoryIds.length ? any : null}
                </Space>
              ),
            },
            { title: t('sla.first_response'), key: 'fr', width: 100, render: (_: unknown, p) => hours(p.targets.firstResponse) },
            { title: t('sla.update'), key: 'up', width: 100, render: (_: unknown, p) => hours(p.targets.update) },
            { title: t('sla.resolution'), key: 'res', width: 100, render: (_: unknown, p) => hours(p.targets.resolution) },
            { title: t('sla.calendar'), key: 'cal', width: 140, render: (_: unknown, p) => (p.calendarId ? calendarName.get(p.calendarId) ?? '—' : defaultCalendar) },
            { title: t('sla.warnShort'), key: 'warn', width: 70, render: (_: unknown, p) => `${p.warnPercent}%` },
            { title: t('field.active'), key: 'active', width: 70, render: (_: unknown, p) => <Switch size="small" checked={p.active} onChange={(active) => toggle.mutate({ id: p.id, active })} /> },
            { title: t('common.actions'), key: 'op', width: 70, render: (_: unknown, p) => <Button type="link" size="small" onClick={() => open(p)}>{t('common.edit')}</Button> },
          ]}
        />
      )}
      <Card size="small" title={t('sla.tierTitle')} extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('sla.tierHint')}</Typography.Text>}>
        <Form form={tierForm} layout="inline" onFinish={(v) => saveTiers.mutate(v)}>
          {CUSTOMER_TIERS.map((tier) => (
            <Form.Item key={tier} name={tier} label={t(`tier.${tier}`)}>
              <InputNumber min={0.25} max={8760} step={0.5} addonAfter={t('sla.hourUnit')} style={{ width: 150 }} />
            </Form.Item>
          ))}
          <Form.Item><Button htmlType="submit" loading={saveTiers.isPending}>{t('common.save')}</Button></Form.Item>
        </Form>
      </Card>
      <Drawer
        open={!!editing}
        title={isNew ? t('sla.newPolicy') : t('sla.editPolicy')}
        size={640}
        onClose={() => setEditing(null)}
        forceRender
        footer={<Space style={{ float: 'right' }}><Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button><Button type="primary" loading={save.isPending} onClick={() => form.submit()}>{t('common.save')}</Button></Space>}
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Row gutter={12}>
            <Col xs={24} md={16}><Form.Item name="name" label={t('field.name')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('field.name') }) }]}><Input maxLength={64} /></Form.Item></Col>
            <Col xs={24} md={8}><Form.Item name="position" label={t('sla.position')} extra={t('sla.positionHint')}><InputNumber min={0} max={100000} style={{ width: '100%' }} /></Form.Item></Col>
            <Col xs={24} md={8}><Form.Item name="priorities" label={t('ticket.priority')}><Select mode="multiple" allowClear placeholder={t('sla.any')} options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} /></Form.Item></Col>
            <Col xs={24} md={8}><Form.Item name="tiers" label={t('sla.tier')}><Select mode="multiple" allowClear placeholder={t('sla.any')} options={CUSTOMER_TIERS.map((x) => ({ value: x, label: t(`tier.${x}`) }))} /></Form.Item></Col>
            <Col xs={24} md={8}><Form.Item name="categoryIds" label={t('ticket.category')}><Select mode="multiple" allowClear placeholder={t('sla.any')} optionFilterProp="label" options={(categories.data ?? []).map((c) => ({ value: c.id, label: categoryName(c) }))} /></Form.Item></Col>
            <Col xs={24}><Form.Item name="calendarId" label={t('sla.calendar')}><Select allowClear placeholder={defaultCalendar} options={(calendars.data ?? []).map((c) => ({ value: c.id, label: c.name }))} /></Form.Item></Col>
            <Col xs={8}><Form.Item name="firstResponseH" label={t('sla.first_response')}><InputNumber min={0.25} step={0.5} addonAfter={t('sla.hourUnit')} style={{ width: '100%' }} /></Form.Item></Col>
            <Col xs={8}><Form.Item name="updateH" label={t('sla.update')}><InputNumber min={0.25} step={0.5} addonAfter={t('sla.hourUnit')} style={{ width: '100%' }} /></Form.Item></Col>
            <Col xs={8}><Form.Item name="resolutionH" label={t('sla.resolution')}><InputNumber min={0.25} step={1} addonAfter={t('sla.hourUnit')} style={{ width: '100%' }} /></Form.Item></Col>
            <Col xs={24}><Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>{t('sla.targetsHint')}</Typography.Paragraph></Col>
            <Col xs={12}><Form.Item name="warnPercent" label={t('sla.warnPercent')}><InputNumber min={1} max={99} addonAfter="%" style={{ width: '100%' }} /></Form.Item></Col>
            <Col xs={12}><Form.Item name="level2AfterPercent" label={t('sla.level2AfterPercent')}><InputNumber min={1} max={1000} addonAfter="%" style={{ width: '100%' }} /></Form.Item></Col>
            <Col xs={24}><Form.Item name="customerUpdates" label={t('sla.customerUpdates')} valuePropName="checked" extra={t('sla.customerUpdatesHint')}><Switch /></Form.Item></Col>
          </Row>
        </Form>
      </Drawer>
    </Space>
  );
}
