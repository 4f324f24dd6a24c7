/** Categories: process template, routing defaults, default priority; their form fields in the form editor (forms/). */
import { Button, Col, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIORITIES, PROCESS_TEMPLATES, type Category } from '@closeloop/contract';
import { FormEditorDrawer } from '../../forms/form-editor.js';
import { api } from '../../app/api.js';
import { departmentName, useCategories, useDepartments, useUsers } from '../../app/lookups.js';
import { ErrorResult } from '../../components/error-result.js';
import { PriorityTag } from '../../components/tags.js';
import { useSave } from './use-save.js';
import { CategoryFollowupButton } from '../followup/category-followup-settings.js';

interface Values {
  code?: string; name?: string; nameEn?: string; processTemplate?: Category['processTemplate'];
  defaultDepartmentId?: string; defaultOwnerId?: string; defaultPriority?: Category['defaultPriority'];
  sort?: number;
}

export function CategoriesTab() {
  const { t } = useTranslation();
  const categories = useCategories();
  const departments = useDepartments();
  const users = useUsers();
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  const [formOf, setFormOf] = useState<Category | null>(null);
  const [form] = Form.useForm<Values>();
  const isNew = editing === 'new';
  const save = useSave<Values>({
    form,
    invalidate: ['categories'],
    onDone: () => setEditing(null),
    save: (v) => {
      const common = {
        name: v.name?.trim(), nameEn: v.nameEn?.trim() || undefined, processTemplate: v.processTemplate,
        defaultPriority: v.defaultPriority, sort: v.sort,
      };
      return isNew
        ? api.createCategory({ ...common, code: v.code?.trim(), ...(v.defaultDepartmentId ? { defaultDepartmentId: v.defaultDepartmentId } : {}), ...(v.defaultOwnerId ? { defaultOwnerId: v.defaultOwnerId } : {}) })
        : api.updateCategory((editing as Category).id, { ...common, defaultDepartmentId: v.defaultDepartmentId ?? null, defaultOwnerId: v.defaultOwnerId ?? null });
    },
  });
  const toggle = useSave<{ id: string; active: boolean }>({ form, invalidate: ['categories'], onDone: () => undefined, save: ({ id, active }) => api.updateCategory(id, { active }) });
  const deptName = new Map((departments.data ?? []).map((d) => [d.id, departmentName(d)]));
  const userName = new Map((users.data ?? []).map((u) => [u.id, u.displayName]));

  const open = (c: Category | 'new') => {
    form.resetFields();
    form.setFieldsValue(c === 'new'
      ? { processTemplate: 'full', defaultPriority: 'P3', sort: 100 }
      : {
        code: c.code, name: c.name, nameEn: c.nameEn ?? undefined, processTemplate: c.processTemplate,
        defaultDepartmentId: c.defaultDepartmentId ?? undefined, defaultOwnerId: c.defaultOwnerId ?? undefined,
        defaultPriority: c.defaultPriority, sort: c.sort,
      });
    setEditing(c);
  };
  const required = (field: string) => [{ required: true, whitespace: true, message: t('validation.requiredNamed', { field }) }];

  return (
    <>
      <Space style={{ marginBottom: 12, display: 'flex', justifyContent: 'flex-end' }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>{t('settings.newCategory')}</Button>
      </Space>
      {categories.isError ? <ErrorResult error={categories.error} onRetry={() => void categories.refetch()} /> : (
        <Table<Category>
          rowKey="id"
          size="small"
          loading={categories.isLoading}
          dataSource={categories.data ?? []}
          pagination={false}
          scroll={{ x: 900 }}
          columns={[
            { title: t('field.name'), key: 'name', render: (_: unknown, c) => <>{c.name}{c.nameEn ? <span style={{ color: '#999' }}> / {c.nameEn}</span> : null}</> },
            { title: t('field.code'), dataIndex: 'code', width: 120 },
            { title: t('settings.template'), key: 'tpl', width: 120, render: (_: unknown, c) => <Tag>{t(`processTemplate.${c.processTemplate}`)}</Tag> },
            { title: t('settings.defaultPriority'), key: 'p', width: 100, render: (_: unknown, c) => <PriorityTag priority={c.defaultPriority} /> },
            { title: t('settings.defaultRoute'), key: 'route', render: (_: unknown, c) => [c.defaultDepartmentId && deptName.get(c.defaultDepartmentId), c.defaultOwnerId && userName.get(c.defaultOwnerId)].filter(Boolean).join(' / ') || '—' },
            { title: t('forms.columnTitle'), key: 'cf', width: 110, render: (_: unknown, c) => <Button type="link" size="small" onClick={() => setFormOf(c)} data-testid={`form-fields-${c.code}`}>{t('forms.editFields')}</Button> },
            { title: t('field.active'), key: 'active', width: 80, render: (_: unknown, c) => <Switch size="small" checked={c.active} onChange={(active) => toggle.mutate({ id: c.id, active })} /> },
            { title: t('common.actions'), key: 'op', width: 160, render: (_: unknown, c) => <><Button type="link" size="small" onClick={() => open(c)}>{t('common.edit')}</Button><CategoryFollowupButton categoryId={c.id} /></> },
          ]}
        />
      )}
      <Drawer
        open={!!editing}
        title={isNew ? t('settings.newCategory') : t('settings.editCategory')}
        size={640}
        onClose={() => setEditing(null)}
        forceRender
        footer={<Space style={{ float: 'right' }}><Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button><Button type="primary" loading={save.isPending} onClick={() => form.submit()}>{t('common.save')}</Button></Space>}
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Row gutter={12}>
            <Col xs={24} md={12}><Form.Item name="name" label={t('field.name')} rules={required(t('field.name'))}><Input maxLength={64} /></Form.Item></Col>
            <Col xs={24} md={12}><Form.Item name="nameEn" label={t('settings.nameEn')}><Input maxLength={64} /></Form.Item></Col>
            <Col xs={24} md={12}>
              <Form.Item name="code" label={t('field.code')} rules={[...required(t('field.code')), { pattern: /^[a-z0-9_-]{2,32}$/, message: t('settings.codeRule') }]}>
                <Input disabled={!isNew} maxLength={32} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="processTemplate" label={t('settings.template')} rules={[{ required: true }]}>
                <Select options={PROCESS_TEMPLATES.map((p) => ({ value: p, label: t(`processTemplate.${p}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="defaultDepartmentId" label={t('settings.defaultDepartment')}>
                <Select allowClear options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="defaultOwnerId" label={t('settings.defaultOwner')}>
                <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={(users.data ?? []).filter((u) => u.role !== 'customer').map((u) => ({ value: u.id, label: u.displayName }))} />
              </Form.Item>
            </Col>
            <Col xs={12}>
              <Form.Item name="defaultPriority" label={t('settings.defaultPriority')}>
                <Select options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={12}><Form.Item name="sort" label={t('settings.sort')}><InputNumber min={0} max={10000} style={{ width: '100%' }} /></Form.Item></Col>
          </Row>
        </Form>
      </Drawer>
      <FormEditorDrawer category={formOf} onClose={() => setFormOf(null)} />
    </>
  );
}
