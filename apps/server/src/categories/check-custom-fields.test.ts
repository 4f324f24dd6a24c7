import { describe, expect, it } from 'vitest';
import type { CustomFieldDef } from '@closeloop/contract';
import { checkCustomFields, normalizeCustomFields } from './check-custom-fields.js';

const text = (key: string): CustomFieldDef => ({ key, label: key, type: 'text', required: false });

describe('checkCustomFields', () => {
  it('accepts distinct keys and a select with options', () => {
    expect(checkCustomFields([text('model'), { key: 'part', label: '部件', type: 'select', required: true, options: ['电机', '面板'] }])).toEqual([]);
  });

  it('names the second of two equal keys, ignoring case', () => {
    const problems = checkCustomFields([text('model'), text('serial'), text('Model')]);
    expect(problems.map((p) => p.path)).toEqual(['customFields.2.key']);
  });

  it('requires options for a select and refuses repeated options', () => {
    expect(checkCustomFields([{ key: 'a', label: 'a', type: 'select', required: false }]).map((p) => p.path))
      .toEqual(['customFields.0.options']);
    expect(checkCustomFields([text('x'), { key: 'b', label: 'b', type: 'select', required: false, options: ['红', '红 '] }]).map((p) => p.path))
      .toEqual(['customFields.1.options']);
  });
});

describe('normalizeCustomFields', () => {
  it('keeps options on select fields only', () => {
    const [a, b] = normalizeCustomFields([
      { ...text('a'), options: ['x'] },
      { key: 'b', label: 'b', type: 'select', required: false, options: [' x '] },
    ]);
    expect(a).not.toHaveProperty('options');
    expect(b!.options).toEqual(['x']);
  });
});
