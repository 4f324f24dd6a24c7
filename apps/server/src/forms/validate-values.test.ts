import { describe, expect, it } from 'vitest';
import { zFormField, type FormField } from '@closeloop/contract';
import { validateFormValues } from './validate-values.js';
import { checkFormDefinition } from './check-definition.js';

const parts: FormField = zFormField.parse({
  key: 'faultPart', label: '故障部件', labelEn: 'Faulty part', type: 'cascader', required: true,
  options: [
    { code: 'ac', label: '空调', children: [
      { code: 'kfr35', label: 'KFR-35GW', children: [{ code: 'comp', label: '压缩机' }, { code: 'fan', label: '风机' }] },
    ] },
    { code: 'wh', label: '热水器', children: [{ code: 'heat', label: '加热管' }] },
  ],
});
const fields: FormField[] = [
  parts,
  zFormField.parse({ key: 'serialNo', label: '机身编号', type: 'text', pattern: '[A-Z]{2}\\d{6}', patternMessage: '两位大写字母加六位数字' }),
  zFormField.parse({ key: 'amount', label: '赔偿金额', type: 'number', unit: '元', min: 0, max: 5000, decimals: 2 }),
  zFormField.parse({ key: 'visitDate', label: '上门日期', type: 'date' }),
  zFormField.parse({ key: 'channel', label: '购买渠道', type: 'select', options: [{ code: 'jd', label: '京东' }, { code: 'tm', label: '天猫' }] }),
  zFormField.parse({ key: 'symptoms', label: '现象', type: 'multiSelect', maxItems: 2, options: [{ code: 'noise', label: '异响' }, { code: 'leak', label: '漏水' }, { code: 'hot', label: '过热' }] }),
  zFormField.parse({ key: 'engineer', label: '上门工程师', type: 'person' }),
  zFormField.parse({
    key: 'replaced', label: '更换部件清单', type: 'table', maxRows: 3,
    columns: [
      { key: 'part', label: '部件', type: 'text', required: true },
      { key: 'qty', label: '数量', type: 'number', required: true, min: 1, decimals: 0 },
      { key: 'price', label: '单价', type: 'number', min: 0, unit: '元' },
    ],
  }),
];

const paths = (values: Record<string, unknown>) => validateFormValues(fields, values).errors.map((e) => e.path);
const ok = { faultPart: ['ac', 'kfr35', 'comp'] };

describe('validateFormValues', () => {
  it('accepts valid values of every type and keeps their types', () => {
    const r = validateFormValues(fields, {
      ...ok, serialNo: ' AB123456 ', amount: 1200.5, visitDate: '2026-12-01', channel: 'jd', symptoms: ['noise', 'leak'],
      engineer: '00000000-0000-7000-8000-0000000000b1', replaced: [{ part: '压缩机', qty: 1, price: 680 }, { part: '电容', qty: 2 }],
    });
    expect(r.errors).toEqual([]);
    expect(r.values).toMatchObject({ serialNo: 'AB123456', amount: 1200.5, faultPart: ['ac', 'kfr35', 'comp'], symptoms: ['noise', 'leak'] });
    expect((r.values.replaced as unknown[]).length).toBe(2);
  });

  it('names the required field and drops empty optional ones', () => {
    expect(validateFormValues(fields, {}).errors).toEqual([{ path: 'customFields.faultPart', message: 'required', code: 'required' }]);
    expect(validateFormValues(fields, { ...ok, serialNo: '', symptoms: [] }).values).toEqual({ faultPart: ['ac', 'kfr35', 'comp'] });
  });

  it('checks a cascader value is a full path of the tree', () => {
    expect(paths({ faultPart: ['ac', 'kfr35'] })).toEqual(['customFields.faultPart']);
    expect(paths({ faultPart: ['wh', 'comp'] })).toEqual(['customFields.faultPart']);
    expect(paths({ faultPart: 'comp' })).toEqual(['customFields.faultPart']);
    const partial = zFormField.parse({ ...parts, allowPartial: true });
    expect(validateFormValues([partial], { faultPart: ['ac', 'kfr35'] }).errors).toEqual([]);
  });

  it('applies the text pattern, number range and decimals, date and option rules', () => {
    const r = validateFormValues(fields, {
      ...ok, serialNo: 'ab12', amount: 4999.123, visitDate: '2026-02-30', channel: '京东', symptoms: ['noise', 'leak', 'hot'],
      engineer: 'someone',
    });
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.message]));
    expect(byPath).toEqual({
      'customFields.serialNo': '两位大写字母加六位数字',
      'customFields.amount': 'at most 2 decimal places',
      'customFields.visitDate': 'expected a date YYYY-MM-DD',
      'customFields.channel': 'expected one of: jd, tm',
      'customFields.symptoms': 'choose at most 2',
      'customFields.engineer': 'expected a user id',
    });
    expect(validateFormValues(fields, { ...ok, amount: -1 }).errors[0]!.message).toBe('at least 0 元');
    expect(paths({ ...ok, amount: '12' })).toEqual(['customFields.amount']);
  });

  it('names the row and column of a table cell', () => {
    expect(paths({ ...ok, replaced: [{ part: '压缩机', qty: 1 }, { part: '', qty: 0.5 }] }))
      .toEqual(['customFields.replaced.1.part', 'customFields.replaced.1.qty']);
    expect(paths({ ...ok, replaced: [{ part: 'a', qty: 1, colour: 'red' }] })).toEqual(['customFields.replaced.0']);
    expect(paths({ ...ok, replaced: [{ part: 'a', qty: 1 }, { part: 'a', qty: 1 }, { part: 'a', qty: 1 }, { part: 'a', qty: 1 }] }))
      .toEqual(['customFields.replaced']);
  });

  it('refuses keys the form does not have', () => {
    expect(paths({ ...ok, colour: 'red' })).toEqual(['customFields.colour']);
  });
});

describe('checkFormDefinition', () => {
  it('accepts the example form', () => {
    expect(checkFormDefinition(fields)).toEqual([]);
  });

  it('finds duplicate keys, duplicate codes anywhere in a cascader tree, bad ranges and patterns', () => {
    const bad = [
      zFormField.parse({ key: 'a', label: 'A', type: 'text', pattern: '([' }),
      zFormField.parse({ key: 'A', label: 'A2', type: 'number', min: 5, max: 1 }),
      zFormField.parse({ key: 'tree', label: 'T', type: 'cascader', options: [{ code: 'x', label: 'X', children: [{ code: 'x', label: 'X again' }] }] }),
      zFormField.parse({ key: 'rows', label: 'R', type: 'table', minRows: 3, maxRows: 1, columns: [{ key: 'c', label: 'C', type: 'text' }, { key: 'C', label: 'C', type: 'text' }] }),
    ];
    expect(checkFormDefinition(bad).map((p) => p.path)).toEqual([
      'fields.0.pattern', 'fields.1.key', 'fields.1.max', 'fields.2.options.0.children.0.code', 'fields.3.columns.1.key', 'fields.3.maxRows',
    ]);
  });
});
