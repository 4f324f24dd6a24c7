/**
 * Node settings (the designer's drawer): who approves / handles / is copied (指定成员, 角色,
 * 部门负责人, 发起人的上级, 表单中的人员字段), the mode, the rules for an empty approver and for the
 * initiator as approver, 驳回至, 自动去重 and the timeout. Edits apply to the tree at once.
 */
import { Button, Checkbox, Drawer, Form, Input, InputNumber, Radio, Select, Space, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type React from 'react';
import { useTranslation } from 'react-i18next';
import {
  APPROVAL_MODES, EMPTY_APPROVER_ACTIONS, ROLES, SELF_APPROVER_ACTIONS, TIMEOUT_ACTIONS,
  type AssigneeSource, type FlowField, type FlowNodeInput, type User,
} from '@closeloop/contract';
import { useDepartments, useUsers } from '../../app/lookups.js';
import { fieldLabel } from './labels.js';

type SourceIn = Partial<AssigneeSource> & { kind: AssigneeSource['kind'] };
const SOURCE_KINDS = ['users', 'role', 'department_head', 'initiator_manager', 'person_field'] as const;

function freshSource(kind: AssigneeSource['kind']): SourceIn {
  switch (kind) {
    case 'users': return { kind, userIds: [] };
    case 'role': return { kind, role: 'manager', departmentId: null };
    case 'department_head': return { kind, levelsUp: 0 };
    case 'initiator_manager': return { kind, levelsUp: 0 };
    case 'person_field': return { kind, field: '' };
  }
}

function renderUserOption(o: { label?: React.ReactNode; data: unknown }) {
  return (
    <Space size={6}>
      <span>{o.label}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{(o.data as { hint: string }).hint}</Typography.Text>
    </Space>
  );
}

/** A staff picker whose options show department and role, so two 张伟 can be told apart. */
export function UserPicker({ value, onChange, multiple = true, testid }: { value: string[]; onChange: (v: string[]) => void; multiple?: boolean; testid?: string }) {
  const { t } = useTranslation();
  const users = useUsers();
  const staff = (users.data ?? []).filter((u: User) => u.role !== 'customer' && u.active);
  const hint = (u: User) => [u.departments.map((d) => d.name).join('、'), t(`role.${u.role}`)].filter(Boolean).join(' · ');
  return (
    <Select
      mode={multiple ? 'multiple' : undefined}
      value={multiple ? value : value[0]}
      onChange={(v: string | string[]) => onChange(Array.isArray(v) ? v : v ? [v] : [])}
      loading={users.isLoading}
      showSearch={{ optionFilterProp: 'search' }}
      placeholder={t('approvals.drawer.pickUsers')}
      style={{ width: '100%' }}
      data-testid={testid}
      options={staff.map((u) => ({ value: u.id, label: u.displayName, search: `${u.displayName} ${u.username} ${hint(u)}`, hint: hint(u) }))}
      optionRender={renderUserOption}
    />
  );
}

function SourcesEditor({ value, onChange, fields }: { value: SourceIn[]; onChange: (v: SourceIn[]) => void; fields: FlowField[] }) {
  const { t, i18n } = useTranslation();
  const depts = useDepartments();
  const set = (i: number, s: SourceIn) => onChange(value.map((x, j) => (j === i ? s : x)));
  const personFields = fields.filter((f) => f.type === 'person');
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={8}>
      {value.map((s, i) => (
        <div key={i} data-testid="fd-source" style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: 8 }}>
          <Space.Compact style={{ width: '100%', marginBottom: s.kind === 'users' || s.kind === 'role' || s.kind === 'person_field' ? 8 : 0 }}>
            <Select
              style={{ flex: 1 }}
              value={s.kind}
              onChange={(k) => set(i, freshSource(k))}
              data-testid="fd-source-kind"
              options={SOURCE_KINDS.map((k) => ({ value: k, label: t(`approvals.sourceKind.${k}`) }))}
            />
            {s.kind === 'department_head' || s.kind === 'initiator_manager' ? (
              <InputNumber
                min={0} max={5} value={s.levelsUp ?? 0} style={{ width: 150 }}
                prefix={t('approvals.drawer.levelsUp')} suffix={t('approvals.drawer.levels')}
                onChange={(n) => set(i, { ...s, levelsUp: Number(n ?? 0) })}
              />
            ) : null}
            <Button icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => onChange(value.filter((_, j) => j !== i))} />
          </Space.Compact>
          {s.kind === 'users' ? <UserPicker value={s.userIds ?? []} onChange={(ids) => set(i, { ...s, userIds: ids })} testid="fd-source-users" /> : null}
          {s.kind === 'role' ? (
            <Space.Compact style={{ width: '100%' }}>
              <Select style={{ flex: 1 }} value={s.role} onChange={(r) => set(i, { ...s, role: r })} options={ROLES.filter((r) => r !== 'customer').map((r) => ({ value: r, label: t(`role.${r}`) }))} />
              <Select
                style={{ flex: 1 }} allowClear placeholder={t('approvals.drawer.anyDepartment')}
                value={s.departmentId ?? undefined} onChange={(d) => set(i, { ...s, departmentId: d ?? null })}
                options={(depts.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
              />
            </Space.Compact>
          ) : null}
          {s.kind === 'person_field' ? (
            <Select
              style={{ width: '100%' }} value={s.field || undefined} placeholder={t('approvals.drawer.pickField')}
              onChange={(f) => set(i, { ...s, field: f })}
              notFoundContent={t('approvals.drawer.noPersonField')}
              options={personFields.map((f) => ({ value: f.path, label: fieldLabel(f, f.path, i18n.language === 'en-US') }))}
            />
          ) : null}
        </div>
      ))}
      <Button icon={<PlusOutlined />} type="dashed" block onClick={() => onChange([...value, freshSource('users')])} data-testid="fd-add-source">
        {t('approvals.drawer.addSource')}
      </Button>
    </Space>
  );
}

export function NodeDrawer({ node, earlier, fields, onChange, onClose }: {
  node: FlowNodeInput | null;
  /** Approver nodes before this one (targets of 驳回至 指定节点). */
  earlier: FlowNodeInput[];
  fields: FlowField[];
  onChange: (n: FlowNodeInput) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const n = node && node.kind !== 'condition' ? node : null;
  return (
    <Drawer
      open={!!n}
      onClose={onClose}
      title={n ? t(`approvals.drawer.title.${n.kind}`) : ''}
      size={480}
      styles={{ body: { paddingTop: 12 } }}
      extra={<Button type="primary" onClick={onClose} data-testid="fd-drawer-done">{t('approvals.drawer.done')}</Button>}
      destroyOnHidden
      rootClassName="fd-drawer"
      data-testid="fd-node-drawer"
    >
      {n ? (
        <Form layout="vertical">
          <Form.Item label={t('approvals.drawer.name')}>
            <Input value={n.name} maxLength={64} onChange={(e) => onChange({ ...n, name: e.target.value })} data-testid="fd-node-name" />
          </Form.Item>
          {n.kind === 'approver' ? (
            <ApproverSettings n={n} earlier={earlier} fields={fields} onChange={onChange} />
          ) : n.kind === 'handler' ? (
            <>
              <Form.Item label={t('approvals.drawer.handlers')}>
                <SourcesEditor value={(n.handlers ?? []) as SourceIn[]} fields={fields} onChange={(v) => onChange({ ...n, handlers: v as AssigneeSource[] })} />
              </Form.Item>
              <ModeField value={n.mode ?? 'any'} onChange={(mode) => onChange({ ...n, mode })} />
              <Form.Item label={t('approvals.drawer.onEmpty')}>
                <Radio.Group value={n.onEmpty ?? 'to_admin'} onChange={(e) => onChange({ ...n, onEmpty: e.target.value })} options={EMPTY_APPROVER_ACTIONS.map((a) => ({ value: a, label: t(`approvals.onEmpty.${a}`) }))} />
              </Form.Item>
              <TimeoutField value={n.timeout ?? null} onChange={(timeout) => onChange({ ...n, timeout })} />
            </>
          ) : (
            <Form.Item label={t('approvals.drawer.recipients')} extra={t('approvals.drawer.ccHint')}>
              <SourcesEditor value={(n.recipients ?? []) as SourceIn[]} fields={fields} onChange={(v) => onChange({ ...n, recipients: v as AssigneeSource[] })} />
            </Form.Item>
          )}
        </Form>
      ) : null}
    </Drawer>
  );
}

function ModeField({ value, onChange }: { value: (typeof APPROVAL_MODES)[number]; onChange: (m: (typeof APPROVAL_MODES)[number]) => void }) {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('approvals.drawer.mode')}>
      <Radio.Group value={value} onChange={(e) => onChange(e.target.value)} data-testid="fd-mode">
        <Space orientation="vertical" size={4}>
          {APPROVAL_MODES.map((m) => <Radio key={m} value={m}>{t(`approvals.mode.${m}`)}<Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>{t(`approvals.modeHint.${m}`)}</Typography.Text></Radio>)}
        </Space>
      </Radio.Group>
    </Form.Item>
  );
}

function TimeoutField({ value, onChange }: { value: { businessHours: number; action: (typeof TIMEOUT_ACTIONS)[number] } | null; onChange: (v: { businessHours: number; action: (typeof TIMEOUT_ACTIONS)[number] } | null) => void }) {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('approvals.drawer.timeout')}>
      <Space wrap>
        <Switch checked={!!value} onChange={(on) => onChange(on ? { businessHours: 8, action: 'remind' } : null)} />
        {value ? (
          <>
            <InputNumber min={0.5} max={2000} step={0.5} value={value.businessHours} suffix={t('approvals.drawer.businessHours')} style={{ width: 150 }} onChange={(h) => onChange({ ...value, businessHours: Number(h ?? 8) })} />
            <Select value={value.action} style={{ width: 120 }} onChange={(a) => onChange({ ...value, action: a })} options={TIMEOUT_ACTIONS.map((a) => ({ value: a, label: t(`approvals.timeout.${a}`) }))} />
          </>
        ) : <Typography.Text type="secondary">{t('approvals.drawer.noTimeout')}</Typography.Text>}
      </Space>
    </Form.Item>
  );
}

function ApproverSettings({ n, earlier, fields, onChange }: { n: Extract<FlowNodeInput, { kind: 'approver' }>; earlier: FlowNodeInput[]; fields: FlowField[]; onChange: (n: FlowNodeInput) => void }) {
  const { t } = useTranslation();
  const rejectTo = n.rejectTo ?? { kind: 'initiator' as const };
  return (
    <>
      <Form.Item label={t('approvals.drawer.approvers')}>
        <SourcesEditor value={(n.approvers ?? []) as SourceIn[]} fields={fields} onChange={(v) => onChange({ ...n, approvers: v as AssigneeSource[] })} />
      </Form.Item>
      <ModeField value={n.mode ?? 'any'} onChange={(mode) => onChange({ ...n, mode })} />
      <Form.Item label={t('approvals.drawer.onEmpty')}>
        <Radio.Group value={n.onEmpty ?? 'to_admin'} onChange={(e) => onChange({ ...n, onEmpty: e.target.value })} options={EMPTY_APPROVER_ACTIONS.map((a) => ({ value: a, label: t(`approvals.onEmpty.${a}`) }))} />
      </Form.Item>
      <Form.Item label={t('approvals.drawer.onSelf')}>
        <Radio.Group value={n.onSelf ?? 'self_approve'} onChange={(e) => onChange({ ...n, onSelf: e.target.value })} options={SELF_APPROVER_ACTIONS.map((a) => ({ value: a, label: t(`approvals.onSelf.${a}`) }))} />
      </Form.Item>
      <Form.Item label={t('approvals.drawer.rejectTo')}>
        <Radio.Group
          value={rejectTo.kind}
          onChange={(e) => onChange({ ...n, rejectTo: e.target.value === 'nodes' ? { kind: 'nodes', nodeIds: earlier.slice(-1).map((x) => x.id) } : { kind: e.target.value } })}
          options={(['initiator', 'previous', 'nodes'] as const).map((k) => ({ value: k, label: t(`approvals.rejectTo.${k}`), disabled: k === 'nodes' && !earlier.length }))}
        />
        {rejectTo.kind === 'nodes' ? (
          <Select
            mode="multiple" style={{ width: '100%', marginTop: 8 }} value={rejectTo.nodeIds}
            placeholder={t('approvals.drawer.pickNodes')}
            onChange={(ids: string[]) => onChange({ ...n, rejectTo: { kind: 'nodes', nodeIds: ids } })}
            options={earlier.map((x) => ({ value: x.id, label: x.name }))}
          />
        ) : null}
      </Form.Item>
      <Form.Item>
        <Checkbox checked={n.dedupe ?? false} onChange={(e) => onChange({ ...n, dedupe: e.target.checked })}>
          {t('approvals.drawer.dedupe')}
        </Checkbox>
        <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('approvals.drawer.dedupeHint')}</Typography.Text></div>
      </Form.Item>
      <TimeoutField value={n.timeout ?? null} onChange={(timeout) => onChange({ ...n, timeout })} />
    </>
  );
}
