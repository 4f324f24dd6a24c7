/**
 * 规则: the ordered rules, an editor for conditions and actions, and 规则测试 — a sample ticket
 * run through the saved rules with the draft in its place, showing what would fire and change.
 */
import {
  Alert, App, Button, Col, Descriptions, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch, Table, Tag, Typography,
} from 'antd';
import { DeleteOutlined, ExperimentOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CHANNELS, CUSTOMER_TIERS, PRIORITIES, URGENCIES, type Rule, type RuleAction, type RuleLeaf, type RuleTestResult,
} from '@closeloop/contract';
import { errorMessage } from '../../app/errors.js';
import { categoryName, useCategories, useDepartments, useUsers } from '../../app/lookups.js';
import { routingApi, useRules, useSkillGroups, useTags } from '../../app/routing-api.js';
import { ErrorResult } from '../../components/error-result.js';
import { PriorityTag } from '../../components/tags.js';
import { definitionToValues, OPS, valuesToDefinition, type RuleFormValues } from './rule-form.js';
import { useSave } from './use-save.js';

const FIELDS = Object.keys(OPS) as RuleLeaf['field'][];
const ACTIONS: RuleAction['type'][] = ['assignGroup', 'setDepartment', 'setOwner', 'setPriority', 'setCategory', 'addTags', 'setSlaPolicy', 'notify', 'addWatchers', 'stop'];

interface Sample { title?: string; description?: string; category?: string; channel?: string; urgency?: string; customerTier?: string; productModel?: string }

function useOptions() {
  const { t } = useTranslation();
  const categories = useCategories();
  const departments = useDepartments();
  const users = useUsers();
  const groups = useSkillGroups();
  const tags = useTags();
  const staff = (users.data ?? []).filter((u) => u.role !== 'customer' && u.active);
  return {
    category: (categories.data ?? []).map((c) => ({ value: c.id, label: categoryName(c) })),
    department: (departments.data ?? []).map((d) => ({ value: d.id, label: d.name })),
    user: staff.map((u) => ({ value: u.id, label: u.displayName })),
    group: (groups.data ?? []).map((g) => ({ value: g.id, label: `${g.name}（${g.departmentName}）` })),
    tag: (tags.data ?? []).filter((g) => g.active).map((g) => ({ value: g.id, label: g.path })),
    channel: CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) })),
    priority: PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) })),
    urgency: URGENCIES.map((u) => ({ value: u, label: t(`urgency.${u}`) })),
    customerTier: CUSTOMER_TIERS.map((c) => ({ value: c, label: t(`tier.${c}`) })),
  };
}

export function RulesTab() {
  const { t } = useTranslation();
  const rules = useRules();
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [form] = Form.useForm<RuleFormValues>();
  const toggle = useSave<{ id: string; active: boolean }>({ form, invalidate: ['rules'], onDone: () => undefined, save: ({ id, active }) => routingApi.updateRule(id, { active }) });
  const open = (r: Rule | 'new') => {
    form.resetFields();
    form.setFieldsValue(r === 'new'
      ? { active: true, position: ((rules.data ?? []).at(-1)?.position ?? 0) + 10, trigger: 'intake', match: 'all', leaves: [{ field: 'category', op: 'in' }], actions: [{ type: 'assignGroup' }] }
      : { name: r.name, description: r.description ?? undefined, position: r.position, active: r.active, ...definitionToValues(r.definition) });
    setEditing(r);
  };
  return (
    <>
      <Space style={{ marginBottom: 12, display: 'flex', justifyContent: 'space-between' }}>
        <span style={{ color: 'rgba(0,0,0,0.45)' }}>{t('rules.hint')}</span>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>{t('rules.new')}</Button>
      </Space>
      {rules.isError ? <ErrorResult error={rules.error} onRetry={() => void rules.refetch()} /> : (
        <Table<Rule>
          rowKey="id" size="small" loading={rules.isLoading} dataSource={rules.data ?? []} pagination={false} scroll={{ x: 900 }}
          locale={{ emptyText: t('rules.empty') }}
          columns={[
            { title: t('rules.position'), dataIndex: 'position', width: 70 },
            { title: t('rules.name'), key: 'n', render: (_: unknown, r) => <><Typography.Text strong>{r.name}</Typography.Text>{r.description ? <div style={{ color: 'rgba(0,0,0,0.45)', fontSize: 12 }}>{r.description}</div> : null}</> },
            { title: t('rules.trigger'), key: 'tr', width: 110, render: (_: unknown, r) => <Tag color={r.definition.trigger === 'intake' ? 'blue' : 'purple'}>{t(`rules.triggers.${r.definition.trigger}`)}</Tag> },
            { title: t('rules.actions'), key: 'a', width: 260, render: (_: unknown, r) => <Space size={[4, 4]} wrap>{r.definition.actions.map((a, i) => <Tag key={i}>{t(`rules.actionTypes.${a.type}`)}</Tag>)}</Space> },
            { title: t('rules.version'), key: 'v', width: 70, render: (_: unknown, r) => `v${r.version}` },
            { title: t('tags.active'), key: 'on', width: 80, render: (_: unknown, r) => <Switch size="small" checked={r.active} onChange={(v) => toggle.mutate({ id: r.id, active: v })} /> },
            { title: t('common.actions'), key: 'op', width: 80, render: (_: unknown, r) => <Button size="small" type="link" onClick={() => open(r)}>{t('common.edit')}</Button> },
          ]}
        />
      )}
      {editing ? <RuleDrawer editing={editing} form={form} onClose={() => setEditing(null)} /> : null}
    </>
  );
}

function RuleDrawer({ editing, form, onClose }: { editing: Rule | 'new'; form: ReturnType<typeof Form.useForm<RuleFormValues>>[0]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const opts = useOptions();
  const isNew = editing === 'new';
  const [sampleForm] = Form.useForm<Sample>();
  const [result, setResult] = useState<RuleTestResult | null>(null);
  // preserve: the JSON field is only mounted once its value is set.
  const json = Form.useWatch('json', { form, preserve: true }) as string | undefined;
  const definition = (): ReturnType<typeof valuesToDefinition> | null => {
    try { return valuesToDefinition(form.getFieldsValue(true)); } catch {
      form.setFields([{ name: 'json', errors: [t('rules.badJson')] }]);
      return null;
    }
  };
  const save = useSave<RuleFormValues>({
    form, invalidate: ['rules'], onDone: onClose,
    save: (v) => {
      const d = valuesToDefinition(v);
      const body = { name: v.name?.trim() ?? '', description: v.description?.trim() || undefined, position: v.position ?? 1000, active: v.active ?? true, definition: d };
      return isNew ? routingApi.createRule(body) : routingApi.updateRule(editing.id, body);
    },
  });
  const test = useMutation({
    mutationFn: async () => {
      const d = definition();
      const s = await sampleForm.validateFields();
      if (!d) throw new Error(t('rules.badJson'));
      const v = form.getFieldsValue(true) as RuleFormValues;
      return routingApi.testRules({
        sample: { title: s.title ?? '', description: s.description ?? '', category: s.category!, channel: (s.channel ?? 'phone') as 'phone', urgency: (s.urgency ?? 'medium') as 'medium', customerTier: (s.customerTier ?? 'regular') as 'regular', productModel: s.productModel ?? '', customFields: {} },
        draft: { ...(isNew ? {} : { id: editing.id }), name: v.name?.trim() || t('rules.draftName'), position: v.position ?? 1000, definition: d },
      });
    },
    onSuccess: setResult,
    onError: (err) => message.error(errorMessage(t, err)),
  });
  const nameOf = (list: Array<{ value: string; label: string }>, id: string | null | undefined) => (id ? list.find((o) => o.value === id)?.label ?? id.slice(-6) : '—');

  return (
    <Drawer
      open width={960} onClose={onClose} destroyOnHidden title={isNew ? t('rules.new') : t('rules.edit', { name: editing.name })}
      extra={<Button type="primary" data-testid="rule-save" loading={save.isPending} onClick={() => void form.validateFields().then(() => save.mutate(form.getFieldsValue(true)))}>{t('common.save')}</Button>}
    >
      <Row gutter={24}>
        <Col xs={24} lg={14}>
          <Form form={form} name="rule" layout="vertical" requiredMark>
            <Row gutter={12}>
              <Col span={14}><Form.Item name="name" label={t('rules.name')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('rules.name') }) }]}><Input maxLength={80} placeholder={t('rules.namePlaceholder')} /></Form.Item></Col>
              <Col span={5}><Form.Item name="position" label={t('rules.position')}><InputNumber min={0} max={100000} style={{ width: '100%' }} /></Form.Item></Col>
              <Col span={5}><Form.Item name="trigger" label={t('rules.trigger')}><Select options={(['intake', 'update'] as const).map((x) => ({ value: x, label: t(`rules.triggers.${x}`) }))} /></Form.Item></Col>
            </Row>
            <Form.Item name="description" label={t('rules.description')}><Input maxLength={500} /></Form.Item>
            <Divider titlePlacement="start" plain style={{ margin: '4px 0 12px' }}>{t('rules.when')}</Divider>
            {json !== undefined ? (
              <Form.Item name="json" extra={t('rules.jsonHint')}><Input.TextArea autoSize={{ minRows: 8, maxRows: 20 }} style={{ fontFamily: 'monospace', fontSize: 12 }} /></Form.Item>
            ) : (
              <>
                <Form.Item name="match" label={t('rules.match')}>
                  <Select style={{ width: 220 }} options={[{ value: 'all', label: t('rules.matchAll') }, { value: 'any', label: t('rules.matchAny') }]} />
                </Form.Item>
                <Form.List name="leaves">
                  {(fields, { add, remove }) => (
                    <>
                      {fields.map((f) => <ConditionRow key={f.key} name={f.name} form={form} opts={opts} onRemove={() => remove(f.name)} />)}
                      <Button size="small" icon={<PlusOutlined />} onClick={() => add({ field: 'keywords', op: 'any' })}>{t('rules.addCondition')}</Button>
                    </>
                  )}
                </Form.List>
              </>
            )}
            <Divider titlePlacement="start" plain style={{ margin: '16px 0 12px' }}>{t('rules.then')}</Divider>
            <Form.List name="actions">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => <ActionRow key={f.key} name={f.name} form={form} opts={opts} onRemove={() => remove(f.name)} />)}
                  <Button size="small" icon={<PlusOutlined />} onClick={() => add({ type: 'setPriority' })}>{t('rules.addAction')}</Button>
                </>
              )}
            </Form.List>
            <Form.Item name="active" label={t('tags.active')} valuePropName="checked" style={{ marginTop: 16 }}><Switch /></Form.Item>
          </Form>
        </Col>
        <Col xs={24} lg={10}>
          <div style={{ background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 6, padding: 12 }} data-testid="rule-test-panel">
            <Typography.Title level={5} style={{ marginTop: 0 }}><ExperimentOutlined /> {t('rules.testTitle')}</Typography.Title>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('rules.testHint')}</Typography.Paragraph>
            <Form form={sampleForm} name="ruleSample" layout="vertical" size="small" initialValues={{ channel: 'phone', urgency: 'medium', customerTier: 'regular' }}>
              <Form.Item name="title" label={t('field.title')}><Input /></Form.Item>
              <Form.Item name="description" label={t('field.description')}><Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} /></Form.Item>
              <Row gutter={8}>
                <Col span={12}><Form.Item name="category" label={t('field.category')} rules={[{ required: true, message: t('validation.requiredNamed', { field: t('field.category') }) }]}><Select options={opts.category} /></Form.Item></Col>
                <Col span={12}><Form.Item name="productModel" label={t('rules.fields.productModel')}><Input /></Form.Item></Col>
                <Col span={8}><Form.Item name="channel" label={t('field.channel')}><Select options={opts.channel} /></Form.Item></Col>
                <Col span={8}><Form.Item name="urgency" label={t('field.urgency')}><Select options={opts.urgency} /></Form.Item></Col>
                <Col span={8}><Form.Item name="customerTier" label={t('rules.fields.customerTier')}><Select options={opts.customerTier} /></Form.Item></Col>
              </Row>
              <Button block icon={<ExperimentOutlined />} loading={test.isPending} onClick={() => test.mutate()} data-testid="rule-test">{t('rules.runTest')}</Button>
            </Form>
            {result ? (
              <div style={{ marginTop: 12 }} data-testid="rule-test-result">
                <Table
                  size="small" rowKey={(r) => `${r.ruleId ?? 'draft'}-${r.name}`} pagination={false} dataSource={result.rules}
                  columns={[
                    { title: t('rules.name'), dataIndex: 'name' },
                    { title: t('rules.result'), key: 'm', width: 90, render: (_: unknown, r) => (r.matched ? <Tag color="green">{t('rules.matched')}</Tag> : r.skipped ? <Tag>{t('rules.skipped')}</Tag> : <Tag>{t('rules.notMatched')}</Tag>) },
                  ]}
                />
                <Descriptions
                  size="small" column={1} style={{ marginTop: 8 }} bordered styles={{ label: { width: 84, whiteSpace: 'nowrap' } }}
                  items={[
                    { key: 'p', label: t('field.priority'), children: <PriorityTag priority={result.outcome.priority} /> },
                    { key: 'c', label: t('field.category'), children: nameOf(opts.category, result.outcome.categoryId) },
                    { key: 'd', label: t('field.department'), children: nameOf(opts.department, result.outcome.departmentId) },
                    { key: 'g', label: t('rules.group'), children: nameOf(opts.group, result.outcome.skillGroupId) },
                    { key: 'o', label: t('field.owner'), children: result.outcome.skillGroupId && !result.outcome.ownerId ? t('rules.ownerByGroup') : nameOf(opts.user, result.outcome.ownerId) },
                    { key: 't', label: t('tags.title'), children: result.outcome.tagIds.length ? <Space size={[4, 4]} wrap>{result.outcome.tagIds.map((id) => <Tag key={id} color="cyan">{nameOf(opts.tag, id)}</Tag>)}</Space> : '—' },
                    ...(result.outcome.slaPolicyId ? [{ key: 's', label: t('rules.actionTypes.setSlaPolicy'), children: result.outcome.slaPolicyId }] : []),
                  ]}
                />
              </div>
            ) : null}
          </div>
          {json !== undefined ? null : <Alert style={{ marginTop: 12 }} type="info" showIcon message={t('rules.orderNote')} />}
        </Col>
      </Row>
    </Drawer>
  );
}

type Opts = ReturnType<typeof useOptions>;

function ConditionRow({ name, form, opts, onRemove }: { name: number; form: ReturnType<typeof Form.useForm<RuleFormValues>>[0]; opts: Opts; onRemove: () => void }) {
  const { t } = useTranslation();
  const field = Form.useWatch(['leaves', name, 'field'], form) as RuleLeaf['field'] | undefined;
  const op = Form.useWatch(['leaves', name, 'op'], form) as string | undefined;
  const pick = field && field in opts ? (opts as unknown as Record<string, Array<{ value: string; label: string }>>)[field === 'tags' ? 'tag' : field] : undefined;
  let value: React.ReactNode = null;
  if (field === 'hourOfDay') {
    value = <Space.Compact><Form.Item name={[name, 'from']} noStyle><InputNumber min={0} max={23} addonAfter={t('rules.hour')} style={{ width: 110 }} /></Form.Item><Form.Item name={[name, 'to']} noStyle><InputNumber min={0} max={24} addonAfter={t('rules.hour')} style={{ width: 110 }} /></Form.Item></Space.Compact>;
  } else if (field === 'businessHours') {
    value = null;
  } else if ((field === 'productModel' && op === 'matches') || (field === 'customField' && op !== 'in' && op !== 'isSet')) {
    value = <Form.Item name={[name, 'text']} noStyle><Input style={{ width: 220 }} placeholder={field === 'productModel' ? 'A\\d+$' : ''} /></Form.Item>;
  } else if (pick || field === 'category') {
    value = <Form.Item name={[name, 'values']} noStyle><Select mode="multiple" style={{ minWidth: 220 }} options={field === 'category' ? opts.category : pick} optionFilterProp="label" /></Form.Item>;
  } else if (field !== 'customField' || op === 'in') {
    value = <Form.Item name={[name, 'values']} noStyle><Select mode="tags" open={false} tokenSeparators={[',', '，', '、', ' ']} style={{ minWidth: 220 }} placeholder={t('rules.wordsPlaceholder')} /></Form.Item>;
  }
  return (
    <Space align="start" wrap style={{ marginBottom: 8, display: 'flex' }} data-testid="rule-condition">
      <Form.Item name={[name, 'field']} noStyle>
        <Select style={{ width: 130 }} options={FIELDS.map((f) => ({ value: f, label: t(`rules.fields.${f}`) }))} onChange={(f: RuleLeaf['field']) => form.setFieldValue(['leaves', name], { field: f, op: OPS[f][0] })} />
      </Form.Item>
      {field === 'customField' ? <Form.Item name={[name, 'key']} noStyle><Input style={{ width: 110 }} placeholder={t('rules.fieldKey')} /></Form.Item> : null}
      <Form.Item name={[name, 'op']} noStyle>
        <Select style={{ width: 110 }} options={(field ? OPS[field] : []).map((o) => ({ value: o, label: t(`rules.ops.${o}`) }))} />
      </Form.Item>
      {value}
      <Button type="text" icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('common.delete')} />
    </Space>
  );
}

function ActionRow({ name, form, opts, onRemove }: { name: number; form: ReturnType<typeof Form.useForm<RuleFormValues>>[0]; opts: Opts; onRemove: () => void }) {
  const { t } = useTranslation();
  const type = Form.useWatch(['actions', name, 'type'], form) as RuleAction['type'] | undefined;
  const single: Partial<Record<RuleAction['type'], Array<{ value: string; label: string }>>> = {
    assignGroup: opts.group, setDepartment: opts.department, setOwner: opts.user, setPriority: opts.priority, setCategory: opts.category,
  };
  const multi: Partial<Record<RuleAction['type'], Array<{ value: string; label: string }>>> = { addTags: opts.tag, notify: opts.user, addWatchers: opts.user };
  return (
    <Space align="start" wrap style={{ marginBottom: 8, display: 'flex' }} data-testid="rule-action">
      <Form.Item name={[name, 'type']} noStyle>
        <Select style={{ width: 150 }} options={ACTIONS.map((a) => ({ value: a, label: t(`rules.actionTypes.${a}`) }))} onChange={(a: RuleAction['type']) => form.setFieldValue(['actions', name], { type: a })} />
      </Form.Item>
      {type && single[type] ? <Form.Item name={[name, 'id']} noStyle><Select showSearch optionFilterProp="label" style={{ width: 260 }} options={single[type]} /></Form.Item> : null}
      {type && multi[type] ? <Form.Item name={[name, 'ids']} noStyle><Select mode="multiple" optionFilterProp="label" style={{ minWidth: 260 }} options={multi[type]} /></Form.Item> : null}
      {type === 'setSlaPolicy' ? <Form.Item name={[name, 'id']} noStyle><Input style={{ width: 300 }} placeholder={t('rules.slaPolicyId')} /></Form.Item> : null}
      {type === 'notify' ? <Form.Item name={[name, 'text']} noStyle><Input style={{ width: 200 }} placeholder={t('rules.notifyMessage')} /></Form.Item> : null}
      <Button type="text" icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('common.delete')} />
    </Space>
  );
}
