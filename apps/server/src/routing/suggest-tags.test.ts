/**
 * The tagger on the demo tickets: precision (suggestions that are the case's right tag) and
 * recall (tickets whose right tag was suggested) of the three matchers over the same library.
 * The figures are printed for docs/routing.md; the assertions keep the chosen one the best.
 */
import { describe, expect, it } from 'vitest';
import { planDemoTickets } from '../demo/plan-demo-tickets.js';
import { DEMO_TAGS, type DemoTag } from '../demo/tags.js';
import { SHORT_WORD_TAGS } from './short-word-tags.fixture.js';
import { suggestTags, type TagMatcher, type TaggerMethod } from './suggest-tags.js';

function flatten(tags: readonly DemoTag[], parent = ''): Array<TagMatcher & { cases: string[] }> {
  return tags.flatMap((t) => {
    const path = parent ? `${parent} › ${t.name}` : t.name;
    const self = { id: path, path, words: [...(t.keywords ?? []), ...(t.synonyms ?? [])], cases: t.cases ?? [] };
    return [...(self.words.length ? [self] : []), ...flatten(t.children ?? [], path)];
  });
}

const LIBRARIES = { demo: flatten(DEMO_TAGS), shortWords: flatten(SHORT_WORD_TAGS) };
const plans = planDemoTickets({ now: new Date('2026-11-30T08:00:00Z'), count: 400, seed: 7 });

function score(library: ReturnType<typeof flatten>, method: TaggerMethod) {
  let suggested = 0; let right = 0; let withGold = 0; let found = 0;
  for (const p of plans) {
    const gold = library.filter((t) => t.cases.includes(p.caseKey)).map((t) => t.id);
    const got = suggestTags({ tags: library, texts: [p.input.title, p.input.description, p.input.scene, p.input.phenomenon], method })
      .map((s) => s.tagId);
    suggested += got.length;
    right += got.filter((g) => gold.includes(g)).length;
    if (gold.length) {
      withGold += 1;
      if (gold.some((g) => got.includes(g))) found += 1;
    }
  }
  return { precision: right / suggested, recall: found / withGold, suggested, tickets: plans.length };
}

describe('tag suggestions on the demo tickets', () => {
  const methods = ['jieba', 'substring', 'bigram'] as const;
  const all = Object.fromEntries(Object.entries(LIBRARIES).map(([name, lib]) =>
    [name, Object.fromEntries(methods.map((m) => [m, score(lib, m)]))]));
  const figures = all.demo!;
  const short = all.shortWords!;

  it('reports precision and recall per matcher', () => {
    console.info(JSON.stringify(all));
    expect(figures.jieba!.tickets).toBe(400);
  });

  it('jieba with the domain words is at least as precise as substring and bigram matching', () => {
    expect(figures.jieba!.precision).toBeGreaterThanOrEqual(figures.substring!.precision);
    expect(figures.jieba!.precision).toBeGreaterThanOrEqual(figures.bigram!.precision);
    expect(figures.jieba!.precision).toBeGreaterThan(0.8);
    expect(figures.jieba!.recall).toBeGreaterThan(0.7);
    expect(short.jieba!.precision).toBeGreaterThanOrEqual(short.substring!.precision);
  });

  it('matches words, not characters inside other words', () => {
    const tags = [{ id: 'cool', path: '制冷', words: ['制冷'] }, { id: 'leak', path: '漏水', words: ['漏水'] }];
    const texts = ['冰箱不制冷，接口处没有不漏水的问题'];
    // 不制冷 is a domain word of the other test's library only if loaded; load it here too.
    const withDomain = [...tags, { id: 'no-cool', path: '不制冷', words: ['不制冷'] }];
    expect(suggestTags({ tags: withDomain, texts }).map((s) => s.tagId)).toContain('no-cool');
    expect(suggestTags({ tags: withDomain, texts }).map((s) => s.tagId)).not.toContain('cool');
    expect(suggestTags({ tags, texts, method: 'substring' }).map((s) => s.tagId)).toContain('cool');
  });
});
