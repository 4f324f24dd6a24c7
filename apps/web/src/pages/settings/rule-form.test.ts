import { describe, expect, it } from 'vitest';
import type { RuleDefinition } from '@closeloop/contract';
import { definitionToValues, valuesToDefinition } from './rule-form.js';

const ID = '00000000-0000-4000-8000-000000000001';

describe('rule form values', () => {
  it('round-trips a flat definition', () => {
    const d: RuleDefinition = {
      trigger: 'intake',
      conditions: { all: [{ field: 'category', op: 'in', value: [ID] }, { field: 'productModel', op: 'matches', value: 'A\\d+$' }, { field: 'hourOfDay', op: 'between', value: [22, 6] }] },
      actions: [{ type: 'assignGroup', skillGroupId: ID }, { type: 'setPriority', priority: 'P1' }, { type: 'stop' }],
    };
    expect(valuesToDefinition(definitionToValues(d))).toEqual(d);
  });
  it('edits a nested definition as JSON', () => {
    const d: RuleDefinition = { trigger: 'intake', conditions: { any: [{ all: [{ field: 'customerTier', op: 'in', value: ['vip'] }] }] }, actions: [{ type: 'stop' }] };
    const v = definitionToValues(d);
    expect(v.json).toBeDefined();
    expect(valuesToDefinition(v)).toEqual(d);
  });
});
