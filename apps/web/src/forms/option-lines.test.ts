import { describe, expect, it } from 'vitest';
import { formatOptionLines, parseOptionLines } from './option-lines.js';

describe('option lines', () => {
  it('reads an indented tree and writes it back the same', () => {
    const text = 'ac, 空调, Air conditioner\n  kfr35, KFR-35GW\n    comp, 压缩机, Compressor\n  kfr50，KFR-50LW\nwh, 热水器';
    const r = parseOptionLines(text, true);
    expect(r.errors).toEqual([]);
    expect(r.options).toEqual([
      { code: 'ac', label: '空调', labelEn: 'Air conditioner', children: [
        { code: 'kfr35', label: 'KFR-35GW', children: [{ code: 'comp', label: '压缩机', labelEn: 'Compressor' }] },
        { code: 'kfr50', label: 'KFR-50LW' },
      ] },
      { code: 'wh', label: '热水器' },
    ]);
    expect(parseOptionLines(formatOptionLines(r.options), true).options).toEqual(r.options);
  });

  it('flattens when not a tree and reports an orphaned indented line', () => {
    expect(parseOptionLines('a, A\n  b, B', false).options).toEqual([{ code: 'a', label: 'A' }, { code: 'b', label: 'B' }]);
    expect(parseOptionLines('    x, X', true).errors).toEqual(['1']);
  });
});
