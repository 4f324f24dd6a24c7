/**
 * Chinese-aware full-text search without a Chinese dictionary in the database. PostgreSQL's
 * 'simple' configuration only splits on spaces and punctuation, so the app does the segmenting:
 * the index text (tickets.search_text) holds every CJK character, every pair of adjacent CJK
 * characters (bigrams) and latin/digit words, space separated; tickets.search_vector is its
 * stored, GIN-indexed tsvector. A query matches when all its bigrams (a one-character query: the
 * character) and word prefixes are present, which finds 调制 inside 空调制冷 even though no word
 * segmenter would cut the text there. Segmenter words are not indexed: queries never look them
 * up (a word is found by its bigrams), and segmenting was the largest CPU cost of intake.
 */

const HAN_RUN = /\p{Script=Han}+/gu;
const WORD = /[\p{L}\p{N}]+/gu;

function normalize(text: string): string {
  // NFKC turns full-width letters and digits (ＫＦＲ３５) into their ASCII forms.
  return text.normalize('NFKC').toLowerCase();
}

function bigrams(run: string): string[] {
  const chars = Array.from(run);
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** Splits a piece of text into Han runs and other words, dropping punctuation and symbols. */
function splitByScript(text: string): { han: string[]; other: string[] } {
  return {
    han: text.match(HAN_RUN) ?? [],
    // Letters and digits of any other script: model numbers, SKUs, English words.
    other: text.replace(HAN_RUN, ' ').match(WORD) ?? [],
  };
}

/** Index tokens of a text: CJK characters and bigrams, latin/digit words; deduplicated. */
export function tokenize(text: string): string[] {
  const { han, other } = splitByScript(normalize(text));
  const out = new Set<string>();
  for (const run of han) {
    // Every character alone (one-character queries) and every adjacent pair.
    for (const c of run) out.add(c);
    for (const b of bigrams(run)) out.add(b);
  }
  for (const w of other) out.add(w);
  return [...out];
}

/** The value of tickets.search_text for the given parts (null and empty parts are skipped). */
export function searchTextOf(parts: Array<string | null | undefined>): string {
  return tokenize(parts.filter((p): p is string => !!p).join('\n')).join(' ');
}

export interface QueryTokens {
  /**
   * Must all be present: CJK bigrams and single CJK characters (exact; the stored vector holds
   * every single Han character) and other words (as prefixes).
   */
  terms: Array<{ text: string; prefix: boolean }>;
}

export function queryTokens(q: string): QueryTokens {
  const { han, other } = splitByScript(normalize(q));
  const seen = new Set<string>();
  const terms: QueryTokens['terms'] = [];
  const add = (text: string, prefix: boolean) => {
    if (seen.has(text)) return;
    seen.add(text);
    terms.push({ text, prefix });
  };
  for (const run of han) {
    if (Array.from(run).length === 1) add(run, false);
    else for (const b of bigrams(run)) add(b, false);
  }
  for (const w of other) add(w, true);
  return { terms };
}

/**
 * The tsquery text for the terms, passed to to_tsquery('simple', $1) as a parameter. Terms hold
 * only letters and digits already; quoting each one (with quotes and backslashes doubled) keeps
 * the tsquery syntax safe even if that ever changes. Null when there is nothing to match.
 */
export function toTsQueryText(terms: QueryTokens['terms']): string | null {
  if (!terms.length) return null;
  return terms
    .map((t) => `'${t.text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${t.prefix ? ':*' : ''}`)
    .join(' & ');
}
