import { describe, expect, it } from 'vitest';
import { catalogOfVersions } from './catalog.js';
import { fieldConditionHolds, typedValue } from './typed-values.js';

describe('typedValue', () => {
  it('reads stored values as their field type', () => {
    expect(typedValue('number', 1200)).toEqual({ type: 'number', value: 1200 });
    expect(typedValue('number', '1200')).toEqual({ type: 'number', value: 1200 });
    expect(typedValue('number', 'abc')).toEqual({ type: 'number', value: null });
    expect(typedValue('cascader', ['ac', 'kfr35'])).toEqual({ type: 'cascader', value: ['ac', 'kfr35'] });
    expect(typedValue('select', 7)).toEqual({ type: 'select', value: null });
    expect(typedValue('multiSelect', undefined)).toEqual({ type: 'multiSelect', value: [] });
  });
});

describe('fieldConditionHolds', () => {
  it('compares numbers as numbers, not as text', () => {
    expect(fieldConditionHolds('number', 1200, 'gt', 1000)).toBe(true);
    expect(fieldConditionHolds('number', 900, 'gt', '1000')).toBe(false);
    // As strings "900" > "1000"; as numbers it is not.
    expect(fieldConditionHolds('number', '900', 'gt', '1000')).toBe(false);
    expect(fieldConditionHolds('number', null, 'lt', 5)).toBe(false);
  });

  it('matches options and cascader paths by code', () => {
    expect(fieldConditionHolds('select', 'jd', 'in', ['jd', 'tm'])).toBe(true);
    expect(fieldConditionHolds('select', '京东', 'in', ['jd'])).toBe(false);
    expect(fieldConditionHolds('multiSelect', ['noise', 'leak'], 'in', ['leak'])).toBe(true);
    expect(fieldConditionHolds('cascader', ['ac', 'kfr35', 'comp'], 'prefix', 'ac/kfr35')).toBe(true);
    expect(fieldConditionHolds('cascader', ['ac', 'kfr35', 'comp'], 'prefix', 'kfr35')).toBe(false);
    expect(fieldConditionHolds('cascader', ['ac', 'kfr35', 'comp'], 'in', ['comp'])).toBe(true);
    expect(fieldConditionHolds('date', '2026-12-01', 'gt', '2026-11-30')).toBe(true);
    expect(fieldConditionHolds('text', '', 'isSet', undefined)).toBe(false);
  });
});

describe('catalogOfVersions', () => {
  it('lists current fields first and fields only older versions had as not current', () => {
    const c = catalogOfVersions('cat', [
      { version: 1, fields: [{ key: 'old', label: '旧', type: 'text', required: false }, { key: 'amount', label: '金额', type: 'number', required: false }] },
      { version: 2, fields: [{ key: 'amount', label: '金额', type: 'number', unit: '元', required: true }, { key: 'ch', label: '渠道', type: 'select', required: false, options: [{ code: 'jd', label: '京东' }] }] },
    ]);
    expect(c.version).toBe(2);
    expect(c.fields.map((f) => [f.key, f.type, f.current, f.unit])).toEqual([
      ['amount', 'number', true, '元'], ['ch', 'select', true, null], ['old', 'text', false, null],
    ]);
    expect(c.fields[1]!.options).toEqual([{ code: 'jd', label: '京东', labelEn: null, path: ['jd'] }]);
  });
});
