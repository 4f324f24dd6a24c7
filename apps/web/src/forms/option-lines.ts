/**
 * The option editor's text form: one option a line, `code, 名称, English name` (the English name
 * optional; `，` works as well as `,`); in a cascader two leading spaces (or a tab) per level
 * put an option under the line above it.
 */
import type { CascaderOption } from '@closeloop/contract';

export interface LinesResult { options: CascaderOption[]; errors: string[] }

function parseLine(text: string): { code: string; label: string; labelEn?: string } | null {
  const parts = text.split(/[,，]/).map((p) => p.trim());
  const [code, label, labelEn] = parts;
  if (!code) return null;
  return { code, label: label || code, ...(labelEn ? { labelEn } : {}) };
}

/** Text → options; `tree` allows indentation. Errors are 1-based line numbers with a reason. */
export function parseOptionLines(text: string, tree: boolean): LinesResult {
  const root: CascaderOption[] = [];
  const errors: string[] = [];
  // stack[d] = the last option at depth d
  const stack: CascaderOption[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    const indent = raw.replace(/\t/g, '  ').match(/^ */)![0].length;
    const depth = tree ? Math.floor(indent / 2) : 0;
    const parsed = parseLine(raw.trim());
    if (!parsed) {
      errors.push(`${i + 1}`);
      return;
    }
    const node: CascaderOption = { ...parsed };
    if (depth === 0) {
      root.push(node);
    } else {
      const parent = stack[depth - 1];
      if (!parent) {
        errors.push(`${i + 1}`);
        return;
      }
      (parent.children ??= []).push(node);
    }
    stack[depth] = node;
    stack.length = depth + 1;
  });
  return { options: root, errors };
}

export function formatOptionLines(options: CascaderOption[], depth = 0): string {
  return options.map((o) => {
    const line = `${'  '.repeat(depth)}${o.code}, ${o.label}${o.labelEn ? `, ${o.labelEn}` : ''}`;
    return o.children?.length ? `${line}\n${formatOptionLines(o.children, depth + 1)}` : line;
  }).join('\n');
}
