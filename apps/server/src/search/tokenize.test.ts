import { describe, expect, it } from 'vitest';
import { queryTokens, searchTextOf, tokenize, toTsQueryText } from './tokenize.js';

/**
 * What `search_vector @@ to_tsquery(…)` does with these tokens: AND of terms, over the search
 * text's tokens plus each of its single Han characters (as the stored vector adds them in SQL).
 */
function finds(doc: string, q: string): boolean {
  const text = searchTextOf([doc]);
  const index = new Set([...text.split(' '), ...(text.match(/\p{Script=Han}/gu) ?? [])]);
  const { terms } = queryTokens(q);
  if (!terms.length) return false;
  return terms.every((t) => (t.prefix ? [...index].some((w) => w.startsWith(t.text)) : index.has(t.text)));
}

describe('tokenize', () => {
  it('indexes every adjacent pair of CJK characters', () => {
    const tokens = tokenize('空调制冷');
    expect(tokens).toEqual(expect.arrayContaining(['空调', '调制', '制冷']));
  });

  it('keeps latin and digit words lower-cased, without punctuation', () => {
    const tokens = tokenize('型号 KFR-35GW，序列号ＳＮ１２３');
    expect(tokens).toEqual(expect.arrayContaining(['kfr', '35gw', 'sn123', '型号']));
    expect(tokens.some((t) => /[-，]/.test(t))).toBe(false);
  });

  it('deduplicates tokens', () => {
    const tokens = tokenize('空调 空调 空调');
    expect(tokens.filter((t) => t === '空调')).toHaveLength(1);
  });

  it('joins the non-empty parts of a ticket into one space-separated text', () => {
    const text = searchTextOf(['空调不制冷', null, undefined, '', 'SH-20261123-0001']);
    expect(text.split(' ')).toEqual(expect.arrayContaining(['不制', '制冷', 'sh', '20261123', '0001']));
  });
});

describe('search by query', () => {
  it('finds 空调制冷 by 调制, 空调 and 制冷', () => {
    expect(finds('空调制冷效果差', '调制')).toBe(true);
    expect(finds('空调制冷效果差', '空调')).toBe(true);
    expect(finds('空调制冷效果差', '制冷')).toBe(true);
    expect(finds('空调制冷效果差', '空调制冷')).toBe(true);
  });

  it('finds 电饭煲夹生 by 夹生, which the segmenter cuts into single characters', () => {
    expect(finds('电饭煲夹生，米饭煮不熟', '夹生')).toBe(true);
  });

  it('does not find text that lacks one of the pairs', () => {
    expect(finds('空调制冷效果差', '冰箱')).toBe(false);
    expect(finds('空调制冷效果差', '空调噪音')).toBe(false);
  });

  it('finds a latin model number by a prefix of it', () => {
    expect(finds('客户购买的 KFR-35GW 挂机', 'kfr')).toBe(true);
    expect(finds('客户购买的 KFR-35GW 挂机', 'KFR-35')).toBe(true);
    expect(finds('客户购买的 KFR-35GW 挂机', 'kfx')).toBe(false);
  });

  it('matches a single CJK character as an exact token', () => {
    expect(queryTokens('煲')).toEqual({ terms: [{ text: '煲', prefix: false }] });
    expect(finds('电饭煲夹生', '煲')).toBe(true);
    expect(finds('电饭煲夹生', '锅')).toBe(false);
    expect(toTsQueryText(queryTokens('煲 KFR').terms)).toBe("'煲' & 'kfr':*");
  });

  it('builds a tsquery of quoted terms: bigrams exact, words as prefixes', () => {
    expect(toTsQueryText(queryTokens('空调制冷 KFR').terms)).toBe("'空调' & '调制' & '制冷' & 'kfr':*");
  });

  it('drops tsquery operators and quotes from user input', () => {
    const text = toTsQueryText(queryTokens("kfr' | !'x & (空调) <-> ''\\").terms);
    expect(text).toBe("'空调' & 'kfr':* & 'x':*");
  });

  it('gives no tsquery for input without letters or digits', () => {
    expect(toTsQueryText(queryTokens("'&|!()<->:*").terms)).toBeNull();
  });
});
