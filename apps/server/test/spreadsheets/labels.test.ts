/** The export's label table says the same words as the web app's locale files. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODE_LABELS } from '../../src/spreadsheets/labels.js';

const locale = (name: string) => JSON.parse(readFileSync(new URL(`../../../web/src/locales/${name}.json`, import.meta.url), 'utf8'));

describe('export labels', () => {
  it.each(['zh-CN', 'en-US'] as const)('match the web app for %s', (name) => {
    const web = locale(name);
    for (const kind of ['status', 'priority', 'channel', 'urgency', 'tier'] as const) {
      for (const [code, words] of Object.entries(CODE_LABELS[kind]!)) {
        expect(words[name], `${kind}.${code}`).toBe(web[kind][code]);
      }
    }
    for (const [code, words] of Object.entries(CODE_LABELS.measureStatus!)) expect(words[name]).toBe(web.rectification.measureStatus[code]);
    for (const [code, words] of Object.entries(CODE_LABELS.articleStatus!)) expect(words[name]).toBe(web.knowledge.status[code]);
  });
});
