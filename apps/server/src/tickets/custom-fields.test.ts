import { describe, expect, it } from 'vitest';
import type { CustomFieldDef } from '@closeloop/contract';
import { checkCustomFieldValues } from './custom-fields.js';

const defs: CustomFieldDef[] = [
  { key: 'install', label: '安装方式', type: 'select', required: true, options: ['挂装', '座装'] },
  { key: 'errorCode', label: '故障代码', type: 'text', required: false },
  { key: 'hours', label: '使用时长', type: 'number', required: false },
  { key: 'installedOn', label: '安装日期', type: 'date', required: false },
  { key: 'underWarranty', label: '在保', type: 'boolean', required: false },
];

describe('checkCustomFieldValues', () => {
  it('accepts valid values and drops empty optional ones', () => {
    const r = checkCustomFieldValues(defs, {
      install: '挂装', errorCode: ' E4 ', hours: 120, installedOn: '2026-02-28', underWarranty: true,
    });
    expect(r.errors).toEqual([]);
    expect(r.values).toEqual({ install: '挂装', errorCode: 'E4', hours: 120, installedOn: '2026-02-28', underWarranty: true });
    expect(checkCustomFieldValues(defs, { install: '座装', errorCode: '', hours: null }).values).toEqual({ install: '座装' });
  });

  it('names the missing required field', () => {
    expect(checkCustomFieldValues(defs, {}).errors).toEqual([{ path: 'customFields.install', message: 'required' }]);
  });

  it('refuses unknown keys, wrong types, options not offered and impossible dates', () => {
    const r = checkCustomFieldValues(defs, {
      install: '吊装', colour: 'red', hours: '12', installedOn: '2026-02-30', underWarranty: 'yes',
    });
    expect(r.errors.map((e) => e.path).sort()).toEqual([
      'customFields.colour', 'customFields.hours', 'customFields.install',
      'customFields.installedOn', 'customFields.underWarranty',
    ]);
  });
});
