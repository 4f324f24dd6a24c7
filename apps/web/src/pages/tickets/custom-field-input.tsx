/** One category-defined field on a form, by its type (text, number, date, select, boolean). */
import { DatePicker, Form, Input, InputNumber, Select, Switch } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CustomFieldDef } from '@closeloop/contract';
import { currentLang } from '../../app/i18n.js';

export function customFieldLabel(def: Pick<CustomFieldDef, 'label' | 'labelEn'>): string {
  return currentLang() === 'en-US' && def.labelEn ? def.labelEn : def.label;
}

export function CustomFieldItem({ def }: { def: CustomFieldDef }) {
  const { t } = useTranslation();
  const label = customFieldLabel(def);
  const rules = def.required && def.type !== 'boolean' ? [{ required: true, message: t('validation.requiredNamed', { field: label }) }] : [];
  const name = ['customFields', def.key];
  switch (def.type) {
    case 'number':
      return <Form.Item name={name} label={label} rules={rules}><InputNumber style={{ width: '100%' }} /></Form.Item>;
    case 'date':
      return (
        <Form.Item
          name={name}
          label={label}
          rules={rules}
          getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : undefined })}
          normalize={(v: dayjs.Dayjs | null) => (v ? v.format('YYYY-MM-DD') : undefined)}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      );
    case 'select':
      return (
        <Form.Item name={name} label={label} rules={rules}>
          <Select allowClear options={(def.options ?? []).map((o) => ({ value: o, label: o }))} />
        </Form.Item>
      );
    case 'boolean':
      return <Form.Item name={name} label={label} valuePropName="checked" initialValue={false}><Switch /></Form.Item>;
    default:
      return <Form.Item name={name} label={label} rules={rules}><Input maxLength={2000} /></Form.Item>;
  }
}
