/**
 * Rules over a category's custom-field definitions as a whole, which the per-field schema
 * (zCustomFieldDef) cannot see: keys are unique, a select has choices to pick from.
 */
import type { CustomFieldDef, FieldError } from '@closeloop/contract';

/** Problems with paths like `customFields.2.key`; empty = fine. */
export function checkCustomFields(defs: CustomFieldDef[]): FieldError[] {
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  defs.forEach((def, i) => {
    // Ticket values are stored by key, so `Model` and `model` would be confusing twins.
    const key = def.key.toLowerCase();
    if (seen.has(key)) problems.push({ path: `customFields.${i}.key`, message: `duplicate key ${def.key}`, code: 'duplicate' });
    seen.add(key);
    if (def.type === 'select') {
      const options = def.options ?? [];
      if (options.length === 0) {
        problems.push({ path: `customFields.${i}.options`, message: 'a select field needs at least one option', code: 'required' });
      } else if (new Set(options.map((o) => o.trim())).size !== options.length) {
        problems.push({ path: `customFields.${i}.options`, message: 'options must be different from each other', code: 'duplicate' });
      }
    }
  });
  return problems;
}

/** The stored form: options are kept for select fields only. */
export function normalizeCustomFields(defs: CustomFieldDef[]): CustomFieldDef[] {
  return defs.map((def) => {
    const { options, ...rest } = def;
    return def.type === 'select' ? { ...rest, options: (options ?? []).map((o) => o.trim()) } : rest;
  });
}
