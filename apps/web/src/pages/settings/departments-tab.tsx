/** Departments: name, code, parent, head. */
import { Button, Form, Input, Modal, Select, Space, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Department } from '@closeloop/contract';
import { api } from '../../app/api.js';
import { useDepartments, useUsers } from '../../app/lookups.js';
import { ErrorResult } from '../../components/error-result.js';
import { useSave } from './use-save.js';

interface Values { name?: string; nameEn?: string; code?: string; parentId?: string; headUserId?: string }

export function DepartmentsTab() {
  const { t } = useTranslation();
  const departments = useDepartments();
  const users = useUsers();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const isNew = editing === 'new';
  const save = useSave<Values>({
    form,
    invalidate: ['departments', 'users'],
    onDone: () => setEditing(null),
    save: (v) => isNew
      ? api.createDepartment({ name: v.name?.trim(), nameEn: v.nameEn?.trim() || undefined, code: v.code?.trim(), ...(v.parentId ? { parentId: v.parentId } : {}), ...(v.headUserId ? { headUserId: v.headUserId } : {}) })
      : api.updateDepartment((editing as Department).id, { name: v.name?.trim(), nameEn: v.nameEn?.trim() ?? '', parentId: v.parentId ?? null, headUserId: v.headUserId ?? null }),
  });
  const byId = new Map((departments.data ?? []).map((d) => [d.id, d.name]));
  const userName = new Map((users.data ?? []).map((u) => [u.id, u.displayName]));
  const open = (d: Department | 'new') => {
    form.resetFields();
    if (d !== 'new') form.setFieldsValue({ name: d.name, nameEn: d.nameEn ?? undefined, code: d.code, parentId: d.parentId ?? undefined, headUserId: d.headUserId ?? undefined });
    setEditing(d);
  };
  return (
    <>
      <Space style={{ marginBottom: 12, display: 'flex', justifyContent: 'flex-end' }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>{t('settings.newDepartment')}</Button>
      </Space>
      {departments.isError ? <ErrorResult error={departments.error} onRetry={() => void departments.refetch()} /> : (
        <Table<Department>
          rowKey="id"
          size="small"
          loading={departments.isLoading}
          dataSource={departments.data ?? []}
          pagination={false}
          scroll={{ x: 640 }}
          columns={[
            { title: t('field.name'), key: 'name', render: (_: unknown, d: Department) => <>{d.name}{d.nameEn ? <span style={{ color: '#999' }}> / {d.nameEn}</span> : null}</> },
            { title: t('field.code'), dataIndex: 'code', width: 140 },
            { title: t('settings.parent'), key: 'parent', render: (_: unknown, d) => (d.parentId ? byId.get(d.parentId) ?? '—' : '—') },
            { title: t('settings.head'), key: 'head', render: (_: unknown, d) => (d.headUserId ? userName.get(d.headUserId) ?? '—' : '—') },
            { title: t('settings.members'), dataIndex: 'memberCount', width: 90 },
            { title: t('common.actions'), key: 'op', width: 80, render: (_: unknown, d) => <Button type="link" size="small" onClick={() => open(d)}>{t('common.edit')}</Button> },
          ]}
        />
      )}
      <Modal open={!!editing} title={isNew ? t('settings.newDepartment') : t('settings.editDepartment')} onOk={() => form.submit()} confirmLoading={save.isPending} onCancel={() => setEditing(null)} forceRender>
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t('field.name')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('field.name') }) }]}><Input maxLength={64} /></Form.Item>
          <Form.Item name="nameEn" label={t('settings.nameEn')}><Input maxLength={64} /></Form.Item>
          <Form.Item name="code" label={t('field.code')} rules={[{ required: true, message: t('validation.requiredNamed', { field: t('field.code') }) }, { pattern: /^[a-z0-9_-]{2,32}$/, message: t('settings.codeRule') }]}>
            <Input disabled={!isNew} maxLength={32} />
          </Form.Item>
          <Form.Item name="parentId" label={t('settings.parent')}>
            <Select allowClear options={(departments.data ?? []).filter((d) => editing === 'new' || d.id !== editing?.id).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
          <Form.Item name="headUserId" label={t('settings.head')}>
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={(users.data ?? []).filter((u) => u.role !== 'customer').map((u) => ({ value: u.id, label: u.displayName }))} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
