/** Settings · 验收模板: per category, the checklist items every acceptance round of that category starts with (检查项, 标准, 方法). */
import { App, Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AcceptanceTemplateItem } from '@closeloop/contract';
import { ApiError } from '../../app/api.js';
import { errorMessage, fieldMessage, fieldPath } from '../../app/errors.js';
import { categoryName, useCategories } from '../../app/lookups.js';
import { ErrorResult } from '../../components/error-result.js';
import { rectApi } from './rect-api.js';

interface Values { item?: string; criterion?: string; method?: string; sort?: number }

export function AcceptanceTemplatesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const categories = useCategories();
  const [categoryId, setCategoryId] = useState<string | undefined>();
  const current = categoryId ?? categories.data?.find((c) => c.processTemplate === 'full')?.id ?? categories.data?.[0]?.id;
  const key = ['acceptance-templates', current];
  const items = useQuery({ queryKey: key, queryFn: async () => (await rectApi.templates(current!)).items, enabled: !!current });
  const [editing, setEditing] = useState<AcceptanceTemplateItem | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const done = () => { void qc.invalidateQueries({ queryKey: ['acceptance-templates'] }); message.success(t('common.saved')); };
  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.fields.length) form.setFields(err.fields.map((f) => ({ name: fieldPath(f.path) as never, errors: [fieldMessage(t, f)] })));
    message.error(errorMessage(t, err));
  };
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = { item: v.item!.trim(), criterion: v.criterion!.trim(), sort: v.sort ?? 100 };
      const method = v.method?.trim();
      return editing === 'new' || !editing
        ? rectApi.createTemplate(current!, { ...body, ...(method ? { method } : {}) })
        : rectApi.patchTemplate(editing.id, { ...body, method: method || null });
    },
    onSuccess: () => { done(); setEditing(null); },
    onError: fail,
  });
  const patch = useMutation({ mutationFn: (a: { id: string; active: boolean }) => rectApi.patchTemplate(a.id, { active: a.active }), onSuccess: done, onError: fail });
  const remove = useMutation({ mutationFn: (id: string) => rectApi.deleteTemplate(id), onSuccess: done, onError: fail });
  const open = (x: AcceptanceTemplateItem | 'new') => {
    form.resetFields();
    form.setFieldsValue(x === 'new' ? { sort: ((items.data?.length ?? 0) + 1) * 10 } : { item: x.item, criterion: x.criterion, method: x.method ?? undefined, sort: x.sort });
    setEditing(x);
  };
  const required = (field: string) => [{ required: true, whitespace: true, message: t('validation.requiredNamed', { field }) }];

  return (
    <>
      <Space style={{ marginBottom: 12, display: 'flex', justifyContent: 'space-between' }} wrap>
        <Space wrap>
          <Typography.Text>{t('rectification.templates.category')}</Typography.Text>
          <Select style={{ width: 220 }} value={current} onChange={setCategoryId} loading={categories.isLoading}
            options={(categories.data ?? []).map((c) => ({ value: c.id, label: categoryName(c) }))} data-testid="tpl-category" />
        </Space>
        <Button type="primary" icon={<PlusOutlined />} disabled={!current} onClick={() => open('new')} data-testid="tpl-add">{t('rectification.templates.add')}</Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('rectification.templates.hint')}</Typography.Paragraph>
      {items.isError ? <ErrorResult error={items.error} onRetry={() => void items.refetch()} /> : (
        <Table<AcceptanceTemplateItem>
          rowKey="id"
          size="small"
          loading={items.isLoading}
          dataSource={items.data ?? []}
          pagination={false}
          scroll={{ x: 800 }}
          data-testid="tpl-table"
          columns={[
            { title: t('rectification.templates.sort'), dataIndex: 'sort', width: 70 },
            { title: t('rectification.acceptance.item'), dataIndex: 'item', width: 180 },
            { title: t('rectification.acceptance.criterion'), dataIndex: 'criterion' },
            { title: t('rectification.acceptance.method'), dataIndex: 'method', render: (v: string | null) => v ?? '—' },
            { title: t('rectification.templates.active'), width: 80, render: (_v, x) => <Switch size="small" checked={x.active} onChange={(active) => patch.mutate({ id: x.id, active })} /> },
            {
              title: t('common.actions'), width: 110,
              render: (_v, x) => (
                <Space size={4}>
                  <Button size="small" type="link" icon={<EditOutlined />} onClick={() => open(x)}>{t('common.edit')}</Button>
                  <Popconfirm title={t('rectification.templates.deleteConfirm')} onConfirm={() => remove.mutate(x.id)} okText={t('common.delete')} cancelText={t('common.cancel')}>
                    <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
      <Modal open={!!editing} title={editing === 'new' ? t('rectification.templates.add') : t('rectification.templates.edit')} onCancel={() => setEditing(null)}
        okText={t('common.save')} confirmLoading={save.isPending} onOk={async () => save.mutate(await form.validateFields())}>
        <Form form={form} layout="vertical">
          <Form.Item name="item" label={t('rectification.acceptance.item')} rules={required(t('rectification.acceptance.item'))}><Input maxLength={200} placeholder={t('rectification.templates.itemPlaceholder')} /></Form.Item>
          <Form.Item name="criterion" label={t('rectification.acceptance.criterion')} rules={required(t('rectification.acceptance.criterion'))}><Input.TextArea rows={2} maxLength={1000} placeholder={t('rectification.templates.criterionPlaceholder')} /></Form.Item>
          <Form.Item name="method" label={t('rectification.acceptance.method')}><Input.TextArea rows={2} maxLength={1000} placeholder={t('rectification.templates.methodPlaceholder')} /></Form.Item>
          <Form.Item name="sort" label={t('rectification.templates.sort')}><InputNumber min={0} max={10000} style={{ width: 120 }} /></Form.Item>
        </Form>
      </Modal>
    </>
  );
}
