/**
 * Rules over a form definition as a whole, which the per-field schema (zFormField) cannot see:
 * keys unique (case-insensitively), option codes unique (in a cascader across the whole tree,
 * so a code names one node and a path prefix is a set of codes), ranges the right way round, a
 * text pattern that compiles. Pure; paths like `fields.2.options.0.code`.
 */
import type { CascaderOption, FieldError, FormColumn, FormField, FormOption } from '@closeloop/contract';

const MAX_CASCADER_DEPTH = 4;

function checkOptions(options: FormOption[], path: string, problems: FieldError[]): void {
  const seen = new Set<string>();
  options.forEach((o, i) => {
    if (seen.has(o.code)) problems.push({ path: `${path}.${i}.code`, message: `duplicate option code ${o.code}`, code: 'duplicate' });
    seen.add(o.code);
  });
}

function checkTree(options: CascaderOption[], path: string, problems: FieldError[]): void {
  const seen = new Set<string>();
  const walk = (nodes: CascaderOption[], at: string, depth: number) => {
    if (depth > MAX_CASCADER_DEPTH) {
      problems.push({ path: at, message: `at most ${MAX_CASCADER_DEPTH} levels` });
      return;
    }
    nodes.forEach((n, i) => {
      if (seen.has(n.code)) problems.push({ path: `${at}.${i}.code`, message: `duplicate option code ${n.code}`, code: 'duplicate' });
      seen.add(n.code);
      if (n.children?.length) walk(n.children, `${at}.${i}.children`, depth + 1);
    });
  };
  walk(options, path, 1);
}

function checkRange(f: { min?: number; max?: number }, path: string, problems: FieldError[]): void {
  if (f.min !== undefined && f.max !== undefined && f.min > f.max) problems.push({ path: `${path}.max`, message: 'max is below min' });
}

function checkColumns(columns: FormColumn[], path: string, problems: FieldError[]): void {
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    const key = c.key.toLowerCase();
    if (seen.has(key)) problems.push({ path: `${path}.${i}.key`, message: `duplicate column key ${c.key}`, code: 'duplicate' });
    seen.add(key);
    if (c.type === 'number') checkRange(c, `${path}.${i}`, problems);
    if (c.type === 'select') checkOptions(c.options, `${path}.${i}.options`, problems);
  });
}

function compiles(pattern: string): boolean {
  try {
    return RegExp(pattern, 'u').source.length >= 0;
  } catch {
    return false;
  }
}

/** Problems with the definition; empty = publishable. */
export function checkFormDefinition(fields: FormField[]): FieldError[] {
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const at = `fields.${i}`;
    const key = f.key.toLowerCase();
    if (seen.has(key)) problems.push({ path: `${at}.key`, message: `duplicate key ${f.key}`, code: 'duplicate' });
    seen.add(key);
    switch (f.type) {
      case 'text':
        if (f.pattern && !compiles(f.pattern)) problems.push({ path: `${at}.pattern`, message: 'not a valid regular expression' });
        break;
      case 'number': checkRange(f, at, problems); break;
      case 'select': checkOptions(f.options, `${at}.options`, problems); break;
      case 'multiSelect':
        checkOptions(f.options, `${at}.options`, problems);
        if (f.minItems !== undefined && f.maxItems !== undefined && f.minItems > f.maxItems) {
          problems.push({ path: `${at}.maxItems`, message: 'maxItems is below minItems' });
        }
        break;
      case 'cascader': checkTree(f.options, `${at}.options`, problems); break;
      case 'table':
        checkColumns(f.columns, `${at}.columns`, problems);
        if (f.minRows !== undefined && f.maxRows !== undefined && f.minRows > f.maxRows) {
          problems.push({ path: `${at}.maxRows`, message: 'maxRows is below minRows' });
        }
        break;
      default: break;
    }
  });
  return problems;
}
