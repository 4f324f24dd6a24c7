/**
 * Checks a ticket's form values against a form version: a zod schema built from the definition
 * (pure, no database). Errors name the field path the intake form shows them at:
 * `customFields.<key>` and, inside a table, `customFields.<key>.<row>.<column>`.
 */
import { z } from 'zod';
import type { CascaderOption, FieldError, FormColumn, FormField, FormScalar, FormValue, FormValues } from '@closeloop/contract';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isValidDate(v: string): boolean {
  if (!DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

/** Empty strings, null and empty lists count as "not given". */
export function isEmptyValue(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

function decimalsOf(n: number): number {
  const s = String(n);
  if (s.includes('e-')) return Number(s.split('e-')[1]);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

type NumberRules = { min?: number; max?: number; decimals?: number; unit?: string };

function numberSchema(f: NumberRules) {
  const unit = f.unit ? ` ${f.unit}` : '';
  let s = z.number({ error: 'expected a number' }).refine(Number.isFinite, 'expected a number');
  if (f.min !== undefined) s = s.refine((n) => n >= f.min!, `at least ${f.min}${unit}`);
  if (f.max !== undefined) s = s.refine((n) => n <= f.max!, `at most ${f.max}${unit}`);
  if (f.decimals !== undefined) {
    s = s.refine((n) => decimalsOf(n) <= f.decimals!, f.decimals === 0 ? 'expected a whole number' : `at most ${f.decimals} decimal places`);
  }
  return s;
}

const dateSchema = () => z.string({ error: 'expected a date YYYY-MM-DD' }).refine(isValidDate, 'expected a date YYYY-MM-DD');

function optionSchema(codes: string[]) {
  return z.string({ error: 'expected an option code' }).refine((v) => codes.includes(v), `expected one of: ${codes.join(', ')}`);
}

/** Every path of option codes from the root (leaves and, with `partial`, inner nodes). */
export function cascaderPaths(options: CascaderOption[], partial: boolean): string[][] {
  const out: string[][] = [];
  const walk = (nodes: CascaderOption[], prefix: string[]) => {
    for (const n of nodes) {
      const path = [...prefix, n.code];
      const leaf = !n.children?.length;
      if (leaf || partial) out.push(path);
      if (!leaf) walk(n.children!, path);
    }
  };
  walk(options, []);
  return out;
}

function textSchema(maxLength: number, pattern?: string, patternMessage?: string) {
  let s = z.string({ error: 'expected text' }).transform((v) => v.trim())
    .refine((v) => v.length <= maxLength, `at most ${maxLength} characters`);
  if (pattern) {
    const re = new RegExp(`^(?:${pattern})$`, 'u');
    s = s.refine((v) => re.test(v), patternMessage || `does not match ${pattern}`);
  }
  return s;
}

function columnSchema(c: FormColumn): z.ZodType<FormScalar> {
  switch (c.type) {
    case 'text': return textSchema(c.maxLength ?? 500);
    case 'number': return numberSchema(c);
    case 'date': return dateSchema();
    case 'select': return optionSchema(c.options.map((o) => o.code));
  }
}

/** A table row: an object of column key → scalar; issues carry the column key as their path. */
function rowSchema(columns: FormColumn[]) {
  const byKey = new Map(columns.map((c) => [c.key, { column: c, schema: columnSchema(c) }]));
  return z.record(z.string(), z.unknown(), { error: 'expected a row object' }).transform((row, ctx) => {
    const out: Record<string, FormScalar> = {};
    const unknown = Object.keys(row).filter((k) => !byKey.has(k));
    if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown column ${unknown.join(', ')}` });
    for (const [key, { column, schema }] of byKey) {
      const v = row[key];
      if (isEmptyValue(v)) {
        if (column.required) ctx.addIssue({ code: 'custom', message: 'required', path: [key] });
        continue;
      }
      const r = schema.safeParse(v);
      if (r.success) out[key] = r.data;
      else ctx.addIssue({ code: 'custom', message: r.error.issues[0]!.message, path: [key] });
    }
    return out;
  });
}

/** The schema of one field's (non-empty) value. */
export function fieldSchema(f: FormField): z.ZodType<FormValue> {
  switch (f.type) {
    case 'text': return textSchema(f.maxLength ?? 500, f.pattern, f.patternMessage);
    case 'longText': return textSchema(f.maxLength ?? 20000);
    case 'number': return numberSchema(f);
    case 'date': return dateSchema();
    case 'boolean': return z.boolean({ error: 'expected true or false' });
    case 'select': return optionSchema(f.options.map((o) => o.code));
    case 'multiSelect': {
      const codes = f.options.map((o) => o.code);
      let s = z.array(optionSchema(codes), { error: 'expected a list of option codes' })
        .refine((a) => new Set(a).size === a.length, 'an option is chosen twice');
      if (f.minItems !== undefined) s = s.refine((a) => a.length >= f.minItems!, `choose at least ${f.minItems}`);
      if (f.maxItems !== undefined) s = s.refine((a) => a.length <= f.maxItems!, `choose at most ${f.maxItems}`);
      return s;
    }
    case 'cascader': {
      const paths = new Set(cascaderPaths(f.options, f.allowPartial).map((p) => p.join('/')));
      return z.array(z.string(), { error: 'expected a path of option codes' })
        .refine((p) => paths.has(p.join('/')), f.allowPartial ? 'not a path of this option tree' : 'choose down to the last level');
    }
    case 'person': return z.string({ error: 'expected a user id' }).refine((v) => UUID.test(v), 'expected a user id');
    case 'attachment': {
      let s = z.array(z.string().refine((v) => UUID.test(v), 'expected an attachment id'), { error: 'expected attachment ids' });
      if (f.maxItems !== undefined) s = s.refine((a) => a.length <= f.maxItems!, `at most ${f.maxItems} files`);
      return s;
    }
    case 'table': {
      let s = z.array(rowSchema(f.columns), { error: 'expected a list of rows' });
      if (f.minRows !== undefined) s = s.refine((a) => a.length >= f.minRows!, `at least ${f.minRows} rows`);
      if (f.maxRows !== undefined) s = s.refine((a) => a.length <= f.maxRows!, `at most ${f.maxRows} rows`);
      return s as unknown as z.ZodType<FormValue>;
    }
  }
}

/**
 * The values to store (empty ones dropped, text trimmed) and the field errors. Unknown keys are
 * refused so a typo does not silently lose data.
 */
export function validateFormValues(
  fields: readonly FormField[],
  values: Record<string, unknown> | undefined,
): { values: FormValues; errors: FieldError[] } {
  const input = values ?? {};
  const errors: FieldError[] = [];
  const out: FormValues = {};
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) errors.push({ path: `customFields.${key}`, message: 'unknown field for this form' });
  }
  for (const f of fields) {
    const v = input[f.key];
    if (isEmptyValue(v)) {
      if (f.required) errors.push({ path: `customFields.${f.key}`, message: 'required', code: 'required' });
      continue;
    }
    const r = fieldSchema(f).safeParse(v);
    if (r.success) {
      out[f.key] = r.data;
      continue;
    }
    // One message per path: the first problem is the one to fix.
    const seen = new Set<string>();
    for (const issue of r.error.issues) {
      const path = ['customFields', f.key, ...issue.path.map(String)].join('.');
      if (seen.has(path)) continue;
      seen.add(path);
      errors.push({ path, message: issue.message });
    }
  }
  return { values: out, errors };
}
