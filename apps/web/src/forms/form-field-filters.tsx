/**
 * The ticket list's filters on the form fields of one category: options by code, a cascader by
 * path prefix, numbers and dates by range, text by contains, a person by id. Rendered as columns
 * of the list's filter row.
 */
import { Cascader, Col, DatePicker, Input, InputNumber, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { FormField } from '@closeloop/contract';
import { useUsers } from '../app/lookups.js';
import { localLabel, toCascaderOptions, useCategoryForm } from './forms-api.js';
import { cfOf, rangeValue, splitRange, withCf } from './form-filter-values.js';

const FILTERABLE = new Set(['text', 'longText', 'number', 'date', 'boolean', 'select', 'multiSelect', 'cascader', 'person']);

function PersonFilter({ value, onChange, placeholder }: { value?: string; onChange: (v: string | null) => void; placeholder: string }) {
  const users = useUsers();
  return (
    <Select
      allowClear style={{ width: '100%' }} placeholder={placeholder} value={value} showSearch={{ optionFilterProp: 'label' }}
      onChange={(v?: string) => onChange(v ?? null)}
      options={(users.data ?? []).filter((u) => u.role !== 'customer').map((u) => ({ value: u.id, label: u.displayName }))}
    />
  );
}

function FieldFilter({ field, value, onChange }: { field: FormField; value: string[]; onChange: (cf: string[]) => void }) {
  const { t } = useTranslation();
  const label = localLabel(field);
  const current = cfOf(value, field.key);
  const set = (op: 'eq' | 'prefix' | 'range' | 'contains', v: string | null) => onChange(withCf(value, field.key, op, v));
  switch (field.type) {
    case 'select': case 'multiSelect':
      return (
        <Select
          allowClear style={{ width: '100%' }} placeholder={label} value={current?.value}
          onChange={(v?: string) => set('eq', v ?? null)}
          options={field.options.map((o) => ({ value: o.code, label: localLabel(o) }))}
        />
      );
    case 'boolean':
      return (
        <Select
          allowClear style={{ width: '100%' }} placeholder={label} value={current?.value}
          onChange={(v?: string) => set('eq', v ?? null)}
          options={[{ value: 'true', label: `${label}${t('common.colon')}${t('common.yes')}` }, { value: 'false', label: `${label}${t('common.colon')}${t('common.no')}` }]}
        />
      );
    case 'cascader':
      return (
        <Cascader
          style={{ width: '100%' }} placeholder={label} changeOnSelect showSearch
          options={toCascaderOptions(field.options)}
          value={current?.value ? current.value.split('/') : undefined}
          onChange={(path) => set('prefix', path?.length ? (path as string[]).join('/') : null)}
          data-testid={`cf-filter-${field.key}`}
        />
      );
    case 'person': return <PersonFilter value={current?.value} onChange={(v) => set('eq', v)} placeholder={label} />;
    case 'number': {
      const [from, to] = splitRange(current?.value);
      const num = (s: string) => (s === '' ? null : Number(s));
      return (
        <Space.Compact style={{ width: '100%' }}>
          <InputNumber style={{ width: '50%' }} placeholder={`${label} ≥`} value={num(from)} onChange={(v) => set('range', rangeValue(v, to))} />
          <InputNumber style={{ width: '50%' }} placeholder={`≤${field.unit ? ` (${field.unit})` : ''}`} value={num(to)} onChange={(v) => set('range', rangeValue(from, v))} />
        </Space.Compact>
      );
    }
    case 'date': {
      const [from, to] = splitRange(current?.value);
      return (
        <DatePicker.RangePicker
          style={{ width: '100%' }} allowEmpty={[true, true]} placeholder={[label, t('list.createdTo')]}
          value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
          onChange={(r) => set('range', rangeValue(r?.[0]?.format('YYYY-MM-DD'), r?.[1]?.format('YYYY-MM-DD')))}
        />
      );
    }
    default:
      return (
        <Input.Search
          allowClear placeholder={t('forms.containsPlaceholder', { field: label })} defaultValue={current?.value}
          onSearch={(v) => set('contains', v.trim() || null)}
        />
      );
  }
}

/** Filter inputs for the category's current form (one column each). */
export function FormFieldFilters({ categoryId, value, onChange }: { categoryId: string; value: string[]; onChange: (cf: string[]) => void }) {
  const form = useCategoryForm(categoryId);
  const fields = (form.data?.fields ?? []).filter((f) => FILTERABLE.has(f.type));
  return (
    <>
      {fields.map((f) => (
        <Col key={f.key} xs={24} sm={12} lg={8} xl={6}>
          <FieldFilter field={f} value={value} onChange={onChange} />
        </Col>
      ))}
    </>
  );
}
