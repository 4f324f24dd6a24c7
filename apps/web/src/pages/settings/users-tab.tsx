/** Users: list, create, edit (role, departments, contact, password reset), enable / disable. */
import { Button, Drawer, Form, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type User } from '@closeloop/contract';
import { api } from '../../app/api.js';
import { useCalendars } from './calendars-api.js';
import { useDepartments } from '../../app/lookups.js';
import { ErrorResult } from '../../components/error-result.js';
import { TimeText } from '../../components/time-text.js';
import { useSave } from './use-save.js';

interface Values {
  username?: string; displayName?: string; password?: string; role?: User['role']; email?: string; phone?: string;
  departmentIds?: string[]; customerId?: string; locale?: User['locale']; calendarId?: string | null;
}

const ROLE_COLORS: Record<string, string> = { admin: 'red', manager: 'purple', agent: 'blue', handler: 'cyan', verifier: 'green', customer: 'default' };

export function UsersTab() {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [customerSearch, setCustomerSearch] = useState('');
  const [form] = Form.useForm<Values>();
  const role = Form.useWatch('role', form);
  const users = useQuery({ queryKey: ['users', { q }], queryFn: async () => (await api.users(q ? { q } : {})).items });
  const departments = useDepartments();
  const calendars = useCalendars();
  const customers = useQuery({
    queryKey: ['customers', customerSearch],
    queryFn: async () => (await api.customers({ q: customerSearch })).items,
    enabled: role === 'customer' && customerSearch.length > 0,
  });
  const save = useSave<Values>({
    form,
    invalidate: ['users', 'departments'],
    onDone: () => setEditing(null),
    save: (v) => {
      const clean = (s?: string) => (s && s.trim() ? s.trim() : undefined);
      if (editing === 'new') {
        return api.createUser({
          username: v.username?.trim(), displayName: v.displayName?.trim(), password: v.password, role: v.role,
          email: clean(v.email), phone: clean(v.phone), departmentIds: v.departmentIds ?? [], locale: v.locale ?? 'zh-CN',
          calendarId: v.calendarId ?? null,
          ...(v.role === 'customer' && v.customerId ? { customerId: v.customerId } : {}),
        });
      }
      const u = editing as User;
      return api.updateUser(u.id, {
        displayName: v.displayName?.trim(), role: v.role, email: clean(v.email) ?? null, phone: clean(v.phone) ?? null,
        departmentIds: v.departmentIds ?? [], locale: v.locale, calendarId: v.calendarId ?? null,
        ...(v.password ? { password: v.password } : {}),
      });
    },
  });
  const toggle = useSave<{ id: string; active: boolean }>({
    form, invalidate: ['users'], onDone: () => undefined, save: ({ id, active }) => api.updateUser(id, { active }),
  });

  const open = (u: User | 'new') => {
    form.resetFields();
    if (u !== 'new') {
      form.setFieldsValue({
        username: u.username, displayName: u.displayName, role: u.role, email: u.email ?? undefined, phone: u.phone ?? undefined,
        departmentIds: u.departments.map((d) => d.id), locale: u.locale, calendarId: u.calendarId,
      });
    } else {
      form.setFieldsValue({ role: 'handler', locale: 'zh-CN', departmentIds: [] });
    }
    setEditing(u);
  };

  const isNew = editing === 'new';
  return (
    <>
      <Space style={{ marginBottom: 12, display: 'flex', justifyContent: 'space-between' }} wrap>
        <Input.Search allowClear placeholder={t('settings.searchUsers')} onSearch={setQ} style={{ width: 260, maxWidth: '100%' }} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="new-user">{t('settings.newUser')}</Button>
      </Space>
      {users.isError ? <ErrorResult error={users.error} onRetry={() => void users.refetch()} /> : (
        <Table<User>
          rowKey="id"
          size="small"
          loading={users.isLoading}
          dataSource={users.data ?? []}
          scroll={{ x: 900 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('field.username'), dataIndex: 'username', width: 140 },
            { title: t('field.displayName'), dataIndex: 'displayName', width: 140 },
            { title: t('field.role'), key: 'role', width: 90, render: (_: unknown, u) => <Tag color={ROLE_COLORS[u.role]}>{t(`role.${u.role}`)}</Tag> },
            { title: t('ticket.department'), key: 'dept', render: (_: unknown, u) => u.departments.map((d) => d.name + (d.isHead ? t('settings.headMark') : '')).join('、') || '—' },
            {
              title: t('field.contact'), key: 'contact', width: 240, ellipsis: true,
              render: (_: unknown, u) => (u.phone || u.email ? <>{u.phone ? <div>{u.phone}</div> : null}{u.email ? <div style={{ color: '#888' }}>{u.email}</div> : null}</> : '—'),
            },
            { title: t('field.createdAt'), key: 'createdAt', width: 150, render: (_: unknown, u) => <TimeText value={u.createdAt} /> },
            {
              title: t('field.active'), key: 'active', width: 80,
              render: (_: unknown, u) => <Switch size="small" checked={u.active} loading={toggle.isPending} onChange={(active) => toggle.mutate({ id: u.id, active })} />,
            },
            { title: t('common.actions'), key: 'op', width: 80, fixed: 'right', render: (_: unknown, u) => <Button type="link" size="small" onClick={() => open(u)}>{t('common.edit')}</Button> },
          ]}
        />
      )}
      <Drawer
        open={!!editing}
        title={isNew ? t('settings.newUser') : t('settings.editUser')}
        size={440}
        onClose={() => setEditing(null)}
        forceRender
        footer={<Space style={{ float: 'right' }}><Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button><Button type="primary" loading={save.isPending} onClick={() => form.submit()}>{t('common.save')}</Button></Space>}
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="username" label={t('field.username')} rules={[{ required: true, message: t('validation.requiredNamed', { field: t('field.username') }) }, { pattern: /^[a-zA-Z0-9_.-]{2,64}$/, message: t('settings.usernameRule') }]}>
            <Input disabled={!isNew} autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label={t('field.displayName')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('field.displayName') }) }]}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="password" label={isNew ? t('field.password') : t('settings.resetPassword')} rules={[...(isNew ? [{ required: true, message: t('validation.requiredNamed', { field: t('field.password') }) }] : []), { min: 8, message: t('settings.passwordRule') }]}>
            <Input.Password autoComplete="new-password" placeholder={isNew ? undefined : t('settings.passwordKeep')} />
          </Form.Item>
          <Form.Item name="role" label={t('field.role')} rules={[{ required: true }]}>
            <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
          </Form.Item>
          {role === 'customer' && isNew ? (
            <Form.Item name="customerId" label={t('settings.customerRecord')} rules={[{ required: true, message: t('settings.customerRequired') }]}>
              <Select showSearch={{ filterOption: false, onSearch: setCustomerSearch }} loading={customers.isFetching}
                notFoundContent={t('list.typeToSearchCustomer')}
                options={(customers.data ?? []).map((c) => ({ value: c.id, label: `${c.name} ${c.phone ?? c.email ?? ''}` }))} />
            </Form.Item>
          ) : null}
          <Form.Item name="departmentIds" label={t('ticket.department')}>
            <Select mode="multiple" allowClear showSearch={{ optionFilterProp: 'label' }} options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
          <Form.Item name="phone" label={t('field.phone')}><Input maxLength={32} /></Form.Item>
          <Form.Item name="email" label={t('field.email')}><Input maxLength={254} /></Form.Item>
          <Form.Item name="locale" label={t('header.language')}>
            <Select options={[{ value: 'zh-CN', label: '简体中文' }, { value: 'en-US', label: 'English' }]} />
          </Form.Item>
          {role !== 'customer' ? (
            <Form.Item name="calendarId" label={t('notificationPrefs.userCalendar')} extra={t('notificationPrefs.userCalendarHint')}>
              <Select
                allowClear
                placeholder={t('notificationPrefs.userCalendarDefault')}
                loading={calendars.isLoading}
                options={(calendars.data?.items ?? []).map((c) => ({ value: c.id, label: i18n.language === 'en-US' ? c.nameEn ?? c.name : c.name }))}
              />
            </Form.Item>
          ) : null}
          {!isNew ? <Typography.Text type="secondary">{t('settings.usernameFixed')}</Typography.Text> : null}
        </Form>
      </Drawer>
    </>
  );
}
