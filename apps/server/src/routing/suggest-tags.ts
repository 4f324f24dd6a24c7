/**
 * Auto-tagging (自动打标签): which tags of the library a ticket's texts suggest. Pure except for
 * the segmenter, which is process-wide: jieba's dictionary plus every tag's keywords and
 * synonyms as domain words (异响, 不制冷, 支架不牢固), so a word is matched as a word — 制冷
 * does not fire inside 不制冷, 漏水 not inside 不漏水. Measured against the plain substring match
 * and the search tokenizer's bigrams on the demo tickets (suggest-tags.test.ts, docs/routing.md).
 */
import { createRequire } from 'node:module';
import { tokenize } from '../search/tokenize.js';

export interface TagMatcher {
  id: string;
  path: string;
  /** Keywords and synonyms. */
  words: readonly string[];
}

export interface TagSuggestion {
  tagId: string;
  path: string;
  /** The words found. */
  words: string[];
}

export type TaggerMethod = 'jieba' | 'substring' | 'bigram';

interface JiebaLike { cut(text: string, hmm?: boolean): string[]; loadDict(dict: Uint8Array): void }

const require = createRequire(import.meta.url);
let jieba: JiebaLike | null = null;
const loadedWords = new Set<string>();

/** The segmenter, loaded on first use (about 150 ms) and shared by the process. */
function segmenter(): JiebaLike {
  if (!jieba) {
    const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(d: Uint8Array): JiebaLike } };
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
  }
  return jieba;
}

const norm = (s: string) => s.normalize('NFKC').toLowerCase();

/**
 * Adds the library's words to the segmenter's dictionary (only new ones; words are never
 * removed, a retired tag's word left in the dictionary only keeps that word in one piece).
 * The high frequency makes jieba prefer the domain word over its own split.
 */
export function loadDomainWords(words: Iterable<string>): void {
  const fresh = [...words].map(norm).filter((w) => w && !loadedWords.has(w) && !/\s/.test(w));
  if (!fresh.length) return;
  segmenter().loadDict(Buffer.from(fresh.map((w) => `${w} 200000`).join('\n')));
  for (const w of fresh) loadedWords.add(w);
}

/** Jieba words of a text, lower-cased (latin codes such as E21 included). */
export function segmentWords(text: string): Set<string> {
  return new Set(segmenter().cut(norm(text), false).map((w) => w.trim()).filter(Boolean));
}

export function suggestTags(opts: {
  tags: readonly TagMatcher[];
  texts: Array<string | null | undefined>;
  method?: TaggerMethod;
}): TagSuggestion[] {
  const method = opts.method ?? 'jieba';
  const text = norm(opts.texts.filter(Boolean).join('\n'));
  if (!text) return [];
  let has: (word: string) => boolean;
  if (method === 'jieba') {
    loadDomainWords(opts.tags.flatMap((t) => t.words));
    const words = segmentWords(text);
    has = (w) => words.has(norm(w));
  } else if (method === 'bigram') {
    // The search index's view: every character and adjacent pair of the word is in the text.
    const tokens = new Set(tokenize(text));
    has = (w) => tokenize(w).every((x) => tokens.has(x));
  } else {
    has = (w) => text.includes(norm(w));
  }
  const out: TagSuggestion[] = [];
  for (const t of opts.tags) {
    const found = t.words.filter(has);
    if (found.length) out.push({ tagId: t.id, path: t.path, words: found });
  }
  return out;
}
