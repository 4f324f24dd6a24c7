/**
 * A condition branch's settings: its name and its conditions (all must hold), typed by the field
 * catalog — numbers compare (大于 / 小于 / 介于 …), selects and people test membership (属于).
 */
import { Button, Drawer, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CONDITION_OPERATORS, type ConditionBranchInput, type FlowCondition, type FlowField } from '@closeloop/contract';
import { fieldLabel } from './labels.js';
import { UserPicker } from './node-drawer.js';

/** A fresh condition on a field, with the first operator of its type. */
export function conditionFor(f: FlowField): FlowCondition {
  switch (f.type) {
    case 'number': return { type: 'number', field: f.path, op: 'gt', value: 0 };
    case 'select': return { type: 'select', field: f.path, op: 'in', value: [] as unknown as [string] };
    case 'person': return { type: 'person', field: f.path, op: 'in', value: [] as unknown as [string] };
    case 'text': return { type: 'text', field: f.path, op: 'eq', value: '' };
  }
}

function ValueInput({ c, field, onChange }: { c: FlowCondition; field: FlowField | undefined; onChange: (c: FlowCondition) => void }) {
  const { t } = useTranslation();
  switch (c.type) {
    case 'number':
      if (c.op === 'between') {
        const [lo, hi] = Array.isArray(c.value) ? c.value : [c.value, c.value];
        return (
          <Space.Compact style={{ width: '100%' }}>
            <InputNumber style={{ width: '50%' }} value={lo} onChange={(v) => onChange({ ...c, value: [Number(v ?? 0), hi] })} />
            <InputNumber style={{ width: '50%' }} value={hi} onChange={(v) => onChange({ ...c, value: [lo, Number(v ?? 0)] })} />
          </Space.Compact>
        );
      }
      return <InputNumber style={{ width: '100%' }} value={Array.isArray(c.value) ? c.value[0] : c.value} onChange={(v) => onChange({ ...c, value: Number(v ?? 0) })} data-testid="fd-cond-number" />;
    case 'select':
      return (
        <Select
          mode="multiple" style={{ width: '100%' }} value={c.value} placeholder={t('approvals.branch.pickValues')}
          onChange={(v: string[]) => onChange({ ...c, value: v as typeof c.value })}
          options={(field?.options ?? []).map((o) => ({ value: o.value, label: o.label }))}
          data-testid="fd-cond-select"
        />
      );
    case 'person':
      return <UserPicker value={c.value} onChange={(v) => onChange({ ...c, value: v as typeof c.value })} />;
    case 'text':
      return <Input value={c.value} onChange={(e) => onChange({ ...c, value: e.target.value })} maxLength={500} />;
  }
}

export function BranchDrawer({ branch, fields, onChange, onClose }: {
  branch: ConditionBranchInput | null;
  fields: FlowField[];
  onChange: (b: ConditionBranchInput) => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const conditions = (branch?.conditions ?? []) as FlowCondition[];
  const set = (i: number, c: FlowCondition) => branch && onChange({ ...branch, conditions: conditions.map((x, j) => (j === i ? c : x)) });
  return (
    <Drawer
      open={!!branch}
      onClose={onClose}
      title={t('approvals.branch.title')}
      size={520}
      extra={<Button type="primary" onClick={onClose} data-testid="fd-drawer-done">{t('approvals.drawer.done')}</Button>}
      destroyOnHidden
      rootClassName="fd-drawer"
      data-testid="fd-branch-drawer"
    >
      {branch ? (
        <Form layout="vertical">
          <Form.Item label={t('approvals.branch.name')}>
            <Input value={branch.name} maxLength={64} onChange={(e) => onChange({ ...branch, name: e.target.value })} data-testid="fd-branch-name" />
          </Form.Item>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('approvals.branch.hint')}</Typography.Paragraph>
          <Space orientation="vertical" size={8} style={{ width: '100%' }}>
            {conditions.map((c, i) => {
              const f = fields.find((x) => x.path === c.field);
              return (
                <div key={i} data-testid="fd-condition-row" style={{ border: `1px solid ${f ? '#f0f0f0' : '#ff4d4f'}`, borderRadius: 6, padding: 8 }}>
                  {i > 0 ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('approvals.branch.andLabel')}</Typography.Text> : null}
                  <Space.Compact style={{ width: '100%', marginBottom: 8 }}>
                    <Select
                      style={{ flex: 2 }} value={c.field}
                      onChange={(path) => { const nf = fields.find((x) => x.path === path); if (nf) set(i, conditionFor(nf)); }}
                      options={[
                        ...fields.map((x) => ({ value: x.path, label: fieldLabel(x, x.path, en) })),
                        ...(f ? [] : [{ value: c.field, label: t('approvals.branch.missingField', { field: c.field }) }]),
                      ]}
                      data-testid="fd-cond-field"
                    />
                    <Select
                      style={{ flex: 1 }} value={c.op}
                      onChange={(op) => set(i, (op === 'between' && c.type === 'number' ? { ...c, op, value: [0, 0] } : c.type === 'number' && Array.isArray(c.value) ? { ...c, op, value: c.value[0] } : { ...c, op }) as FlowCondition)}
                      options={(CONDITION_OPERATORS[c.type] as readonly string[]).map((op) => ({ value: op, label: t(`approvals.op.${op}`) }))}
                      data-testid="fd-cond-op"
                    />
                    <Button icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => onChange({ ...branch, conditions: conditions.filter((_, j) => j !== i) })} />
                  </Space.Compact>
                  <ValueInput c={c} field={f} onChange={(nc) => set(i, nc)} />
                </div>
              );
            })}
            <Select
              value={null as unknown as string}
              placeholder={<span><PlusOutlined /> {t('approvals.branch.addCondition')}</span>}
              style={{ width: '100%' }}
              onChange={(path) => { const f = fields.find((x) => x.path === path); if (f) onChange({ ...branch, conditions: [...conditions, conditionFor(f)] }); }}
              options={fields.map((x) => ({ value: x.path, label: fieldLabel(x, x.path, en) }))}
              data-testid="fd-add-condition"
            />
          </Space>
        </Form>
      ) : null}
    </Drawer>
  );
}
