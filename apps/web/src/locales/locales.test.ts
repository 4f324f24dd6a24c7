/** Every string goes through the locale files: both languages have every key the code uses. */
import { describe, expect, it } from 'vitest';
import {
  CHANNELS, PRIORITIES, ROLES, ROOT_CAUSE_CLASSES, TICKET_COMMANDS, TICKET_STATUSES, URGENCIES, CUSTOMER_TIERS,
  ERROR_CODES,
} from '@closeloop/contract';
import zhCN from './zh-CN.json';
import enUS from './en-US.json';

type Tree = { [k: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
}
function has(tree: Tree, key: string): boolean {
  let cur: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (!cur || typeof cur === 'string') return false;
    cur = cur[part];
  }
  return typeof cur === 'string' && cur.length > 0;
}

const sources = import.meta.glob(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

describe('locale files', () => {
  it('zh-CN and en-US have the same keys', () => {
    expect(keys(enUS as Tree).sort()).toEqual(keys(zhCN as Tree).sort());
  });

  it('every literal key used in the code exists', () => {
    const used = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.]*[\w])'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((k) => !has(zhCN as Tree, k));
    expect(missing).toEqual([]);
  });

  it('labels every value of the shared vocabularies', () => {
    const need = [
      ...TICKET_STATUSES.map((s) => `status.${s}`), ...PRIORITIES.map((p) => `priority.${p}`),
      ...CHANNELS.map((c) => `channel.${c}`), ...URGENCIES.map((u) => `urgency.${u}`),
      ...TICKET_COMMANDS.map((c) => `command.${c}`), ...ROLES.map((r) => `role.${r}`),
      ...ROOT_CAUSE_CLASSES.map((r) => `rootCauseClass.${r}`), ...CUSTOMER_TIERS.map((c) => `tier.${c}`),
      ...ERROR_CODES.map((c) => `errors.${c}`),
      ...TICKET_COMMANDS.map((c) => `event.ticket.${c}`),
    ];
    expect(need.filter((k) => !has(zhCN as Tree, k))).toEqual([]);
    expect(need.filter((k) => !has(enUS as Tree, k))).toEqual([]);
  });

  it('Chinese text uses full-width punctuation', () => {
    // Walked with the values: a key may itself hold dots (webhooks.eventNames.ticket.created), which i18next resolves.
    const leaves = (tree: Tree, prefix = ''): [string, string][] =>
      Object.entries(tree).flatMap(([k, v]): [string, string][] => (typeof v === 'string' ? [[`${prefix}${k}`, v]] : leaves(v, `${prefix}${k}.`)));
    const zh = leaves(zhCN as Tree);
    const halfWidth = zh.filter(([, v]) => /[\u4e00-\u9fff][,;:?!]|[,;:?!][\u4e00-\u9fff]/.test(v!));
    expect(halfWidth).toEqual([]);
  });
});
