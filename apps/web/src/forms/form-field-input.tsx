/**
 * The form renderer: one admin-defined field as an antd Form.Item, by its type. Used by the
 * intake form and meant for the customer portal too (no page state: pass the fields, it renders
 * them under `customFields.<key>`, the paths the server's errors name).
 */
import { Alert, Button, Card, Cascader, Col, DatePicker, Form, Input, InputNumber, Row, Select, Switch } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Rule } from 'antd/es/form/index.js';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { FormColumn, FormField, Role } from '@closeloop/contract';
import { useUsers } from '../app/lookups.js';
import { localLabel, toCascaderOptions } from './forms-api.js';

type Name = Array<string | number>;

const dateProps = {
  getValueProps: (v: string | undefined) => ({ value: v ? dayjs(v) : undefined }),
  normalize: (v: dayjs.Dayjs | null) => (v ? v.format('YYYY-MM-DD') : undefined),
};

function useRules(field: FormField | FormColumn, label: string): Rule[] {
  const { t } = useTranslation();
  const rules: Rule[] = [];
  if (field.required && field.type !== 'boolean') {
    rules.push({ required: true, message: t('validation.requiredNamed', { field: label }) });
  }
  if (field.type === 'text' && 'pattern' in field && field.pattern) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(`^(?:${field.pattern})$`, 'u');
    } catch {
      re = null;
    }
    if (re) rules.push({ pattern: re, message: field.patternMessage || t('forms.patternMismatch', { field: label }) });
  }
  return rules;
}

function NumberInput({ f, ...rest }: { f: { unit?: string; min?: number; max?: number; decimals?: number } } & Record<string, unknown>) {
  return (
    <InputNumber
      style={{ width: '100%' }}
      min={f.min}
      max={f.max}
      precision={f.decimals}
      suffix={f.unit}
      {...rest}
    />
  );
}

function PersonSelect({ field, ...rest }: { field: Extract<FormField, { type: 'person' }> } & Record<string, unknown>) {
  const users = useUsers({ ...(field.role ? { role: field.role as Role } : {}), ...(field.departmentId ? { departmentId: field.departmentId } : {}) });
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      loading={users.isLoading}
      options={(users.data ?? []).filter((u) => u.role !== 'customer').map((u) => ({ value: u.id, label: u.displayName }))}
      {...rest}
    />
  );
}

function ColumnItem({ column, name }: { column: FormColumn; name: Name }) {
  const label = localLabel(column);
  const rules = useRules(column, label);
  const common = { name, label, rules, style: { marginBottom: 8 } };
  switch (column.type) {
    case 'number': return <Form.Item {...common}><NumberInput f={column} /></Form.Item>;
    case 'date': return <Form.Item {...common} {...dateProps}><DatePicker style={{ width: '100%' }} /></Form.Item>;
    case 'select':
      return <Form.Item {...common}><Select allowClear options={column.options.map((o) => ({ value: o.code, label: localLabel(o) }))} /></Form.Item>;
    default: return <Form.Item {...common}><Input maxLength={column.maxLength ?? 500} /></Form.Item>;
  }
}

function TableItem({ field, name }: { field: Extract<FormField, { type: 'table' }>; name: Name }) {
  const { t } = useTranslation();
  const label = localLabel(field);
  const span = Math.max(4, Math.floor(22 / field.columns.length));
  return (
    <Form.List
      name={name}
      rules={[{
        validator: async (_, rows: unknown[] | undefined) => {
          const n = rows?.length ?? 0;
          if (field.required && n === 0) throw new Error(t('validation.requiredNamed', { field: label }));
          if (field.minRows !== undefined && n < field.minRows) throw new Error(t('forms.minRows', { n: field.minRows }));
          if (field.maxRows !== undefined && n > field.maxRows) throw new Error(t('forms.maxRows', { n: field.maxRows }));
        },
      }]}
    >
      {(rows, { add, remove }, { errors }) => (
        <Form.Item label={label} required={field.required} extra={field.help} style={{ marginBottom: 16 }}>
          <Card size="small" data-testid={`form-table-${field.key}`}>
            {rows.map((row, i) => (
              <Row key={row.key} gutter={8} align="bottom">
                {field.columns.map((c) => (
                  <Col key={c.key} xs={24} md={span}><ColumnItem column={c} name={[row.name, c.key]} /></Col>
                ))}
                <Col xs={24} md={2} style={{ paddingBottom: 8 }}>
                  <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(row.name)} aria-label={t('forms.removeRow', { n: i + 1 })} />
                </Col>
              </Row>
            ))}
            <Button
              type="dashed"
              block
              icon={<PlusOutlined />}
              disabled={field.maxRows !== undefined && rows.length >= field.maxRows}
              onClick={() => add({})}
            >
              {t('forms.addRow')}
            </Button>
            <Form.ErrorList errors={errors} />
          </Card>
        </Form.Item>
      )}
    </Form.List>
  );
}

/** One field, named `[...prefix, field.key]`. */
export function FormFieldItem({ field, prefix = ['customFields'] }: { field: FormField; prefix?: Name }) {
  const { t } = useTranslation();
  const label = localLabel(field);
  const rules = useRules(field, label);
  const name = [...prefix, field.key];
  const common = { name, label, rules, extra: field.help };
  switch (field.type) {
    case 'longText': return <Form.Item {...common}><Input.TextArea rows={3} maxLength={field.maxLength ?? 20000} showCount /></Form.Item>;
    case 'number': return <Form.Item {...common}><NumberInput f={field} /></Form.Item>;
    case 'date': return <Form.Item {...common} {...dateProps}><DatePicker style={{ width: '100%' }} /></Form.Item>;
    case 'boolean': return <Form.Item {...common} valuePropName="checked"><Switch /></Form.Item>;
    case 'select':
      return <Form.Item {...common}><Select allowClear options={field.options.map((o) => ({ value: o.code, label: localLabel(o) }))} /></Form.Item>;
    case 'multiSelect':
      return (
        <Form.Item {...common}>
          <Select mode="multiple" allowClear maxCount={field.maxItems} options={field.options.map((o) => ({ value: o.code, label: localLabel(o) }))} />
        </Form.Item>
      );
    case 'cascader':
      return (
        <Form.Item {...common}>
          <Cascader
            options={toCascaderOptions(field.options)}
            changeOnSelect={field.allowPartial}
            showSearch
            placeholder={t('forms.cascaderPlaceholder')}
            style={{ width: '100%' }}
          />
        </Form.Item>
      );
    case 'person': return <Form.Item {...common}><PersonSelect field={field} /></Form.Item>;
    case 'attachment':
      // Files belong to a ticket: they are uploaded in the attachments section once it exists.
      return (
        <Form.Item label={label} extra={field.help}>
          <Alert type="info" showIcon title={t('forms.attachmentHint')} />
        </Form.Item>
      );
    case 'table': return <TableItem field={field} name={name} />;
    default: return <Form.Item {...common}><Input maxLength={field.type === 'text' ? field.maxLength ?? 500 : 500} /></Form.Item>;
  }
}

/** Every field of a form version, laid out like the intake form's other sections. */
export function FormFieldsGrid({ fields, prefix }: { fields: FormField[]; prefix?: Name }) {
  const wide = (f: FormField) => f.type === 'table' || f.type === 'longText';
  return (
    <Row gutter={16}>
      {fields.map((f) => (
        <Col key={f.key} xs={24} md={wide(f) ? 24 : 12} xl={wide(f) ? 24 : 8}>
          <FormFieldItem field={f} prefix={prefix} />
        </Col>
      ))}
    </Row>
  );
}

/** The intake form's values → the API's (`customFields`): dates already strings; empty ones dropped. */
export function formValuesForApi(values: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!values) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = Array.isArray(v) ? v.map((row) => (row && typeof row === 'object' ? Object.fromEntries(
      Object.entries(row as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== null && x !== ''),
    ) : row)) : v;
  }
  return Object.keys(out).length ? out : undefined;
}
