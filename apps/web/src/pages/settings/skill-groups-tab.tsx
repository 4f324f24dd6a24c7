/** 技能组: groups of a department, their assignment strategy and members (在岗, capacity). */
import { App, Button, Drawer, Form, Input, InputNumber, Popconfirm, Select, Space, Switch, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ASSIGNMENT_STRATEGIES, type SkillGroup } from '@closeloop/contract';
import { errorMessage } from '../../app/errors.js';
import { useDepartments, useUsers } from '../../app/lookups.js';
import { routingApi, useSkillGroups } from '../../app/routing-api.js';
import { ErrorResult } from '../../components/error-result.js';
import { formatTime } from '../../app/format.js';
import { useSave } from './use-save.js';

interface Values { name?: string; departmentId?: string; strategy?: SkillGroup['strategy']; active?: boolean }

export function SkillGroupsTab() {
  const { t } = useTranslation();
  const groups = useSkillGroups();
  const departments = useDepartments();
  const [editing, setEditing] = useState<SkillGroup | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const isNew = editing === 'new';
  const save = useSave<Values>({
    form, invalidate: ['skill-groups'], onDone: () => setEditing(null),
    save: (v) => (isNew ? routingApi.createSkillGroup(v) : routingApi.updateSkillGroup((editing as SkillGroup).id, v)),
  });
  const open = (g: SkillGroup | 'new') => {
    form.resetFields();
    form.setFieldsValue(g === 'new' ? { strategy: 'round_robin', active: true } : g);
    setEditing(g);
  };

  return (
    <>
      <Space style={{ marginBottom: 12, display: 'flex', justifyContent: 'space-between' }}>
        <span style={{ color: 'rgba(0,0,0,0.45)' }}>{t('skillGroups.hint')}</span>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>{t('skillGroups.new')}</Button>
      </Space>
      {groups.isError ? <ErrorResult error={groups.error} onRetry={() => void groups.refetch()} /> : (
        <Table<SkillGroup>
          rowKey="id" size="small" loading={groups.isLoading} dataSource={groups.data ?? []} pagination={false} scroll={{ x: 900 }}
          locale={{ emptyText: t('skillGroups.empty') }}
          expandable={{ expandedRowRender: membersRow }}
          columns={[
            { title: t('skillGroups.name'), dataIndex: 'name' },
            { title: t('skillGroups.department'), dataIndex: 'departmentName', width: 180 },
            { title: t('skillGroups.strategy'), key: 's', width: 140, render: (_: unknown, g) => <Tag color="blue">{t(`skillGroups.strategies.${g.strategy}`)}</Tag> },
            { title: t('skillGroups.members'), key: 'm', width: 160, render: (_: unknown, g) => t('skillGroups.onDutyCount', { on: g.members.filter((m) => m.onDuty).length, all: g.members.length }) },
            { title: t('tags.active'), key: 'a', width: 80, render: (_: unknown, g) => (g.active ? <Tag color="green">{t('tags.on')}</Tag> : <Tag>{t('tags.off')}</Tag>) },
            { title: t('common.actions'), key: 'op', width: 90, render: (_: unknown, g) => <Button size="small" type="link" onClick={() => open(g)}>{t('common.edit')}</Button> },
          ]}
        />
      )}
      <Drawer
        open={!!editing} width={480} onClose={() => setEditing(null)} title={isNew ? t('skillGroups.new') : t('skillGroups.edit')} destroyOnHidden
        extra={<Button type="primary" loading={save.isPending} onClick={() => void form.validateFields().then((v) => save.mutate(v))}>{t('common.save')}</Button>}
      >
        <Form form={form} name="skillGroup" layout="vertical" requiredMark>
          <Form.Item name="name" label={t('skillGroups.name')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('skillGroups.name') }) }]}><Input maxLength={60} /></Form.Item>
          <Form.Item name="departmentId" label={t('skillGroups.department')} rules={[{ required: true, message: t('validation.requiredNamed', { field: t('skillGroups.department') }) }]}>
            <Select showSearch optionFilterProp="label" options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
          <Form.Item name="strategy" label={t('skillGroups.strategy')} extra={t('skillGroups.strategyHint')}>
            <Select options={ASSIGNMENT_STRATEGIES.map((s) => ({ value: s, label: t(`skillGroups.strategies.${s}`) }))} />
          </Form.Item>
          <Form.Item name="active" label={t('tags.active')} valuePropName="checked"><Switch /></Form.Item>
        </Form>
      </Drawer>
    </>
  );
}

const membersRow = (g: SkillGroup) => <Members group={g} />;

function Members({ group }: { group: SkillGroup }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const member = useMutation({
    mutationFn: (a: { userId: string; remove?: boolean; onDuty?: boolean; capacity?: number | null }) => (a.remove
      ? routingApi.removeGroupMember(group.id, a.userId)
      : routingApi.setGroupMember(group.id, { userId: a.userId, onDuty: a.onDuty ?? true, capacity: a.capacity ?? null })),
    onSuccess: () => { message.success(t('common.saved')); void qc.invalidateQueries({ queryKey: ['skill-groups'] }); },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  const onChange = (a: { userId: string; remove?: boolean; onDuty?: boolean; capacity?: number | null }) => member.mutate(a);
  const staff = useUsers({ departmentId: group.departmentId });
  const [adding, setAdding] = useState<string | undefined>();
  const candidates = (staff.data ?? []).filter((u) => u.role !== 'customer' && !group.members.some((m) => m.userId === u.id));
  return (
    <div style={{ padding: '4px 0' }}>
      <Table
        rowKey="userId" size="small" pagination={false} dataSource={group.members}
        locale={{ emptyText: t('skillGroups.noMembers') }}
        columns={[
          { title: t('skillGroups.member'), dataIndex: 'displayName' },
          { title: t('skillGroups.onDuty'), key: 'd', width: 90, render: (_: unknown, m) => <Switch size="small" checked={m.onDuty} onChange={(v) => onChange({ userId: m.userId, onDuty: v, capacity: m.capacity })} /> },
          {
            title: t('skillGroups.capacity'), key: 'c', width: 130, render: (_: unknown, m) => (
              <InputNumber size="small" min={1} max={10000} placeholder={t('skillGroups.noLimit')} defaultValue={m.capacity ?? undefined}
                onBlur={(e) => { const v = e.target.value ? Number(e.target.value) : null; if (v !== m.capacity) onChange({ userId: m.userId, onDuty: m.onDuty, capacity: v }); }} />
            ),
          },
          { title: t('skillGroups.openTickets'), dataIndex: 'openTickets', width: 100, align: 'right' },
          { title: t('skillGroups.lastAssigned'), key: 'l', width: 160, render: (_: unknown, m) => (m.lastAssignedAt ? formatTime(m.lastAssignedAt) : '—') },
          {
            title: '', key: 'r', width: 70, render: (_: unknown, m) => (
              <Popconfirm title={t('skillGroups.removeConfirm', { name: m.displayName })} onConfirm={() => onChange({ userId: m.userId, remove: true })}>
                <Button size="small" type="link" danger>{t('skillGroups.remove')}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 8 }}>
        <Select style={{ width: 220 }} size="small" placeholder={t('skillGroups.addMember')} value={adding} onChange={setAdding}
          showSearch optionFilterProp="label" options={candidates.map((u) => ({ value: u.id, label: u.displayName }))} />
        <Button size="small" disabled={!adding} onClick={() => { if (adding) { onChange({ userId: adding }); setAdding(undefined); } }}>{t('skillGroups.add')}</Button>
      </Space>
    </div>
  );
}
