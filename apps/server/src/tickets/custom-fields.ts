/**
 * Checks a ticket's custom field values against its category's definitions (admin-configured
 * fields such as 安装方式 or 故障代码). Used on create and whenever category or values change.
 */
import type { CustomFieldDef, FieldError } from '@closeloop/contract';

export type CustomFieldValues = Record<string, string | number | boolean | null>;

function isValidDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

function typeError(def: CustomFieldDef, v: string | number | boolean): string | null {
  switch (def.type) {
    case 'text': return typeof v === 'string' ? null : 'expected text';
    case 'number': return typeof v === 'number' && Number.isFinite(v) ? null : 'expected a number';
    case 'boolean': return typeof v === 'boolean' ? null : 'expected true or false';
    case 'date': return typeof v === 'string' && isValidDate(v) ? null : 'expected a date YYYY-MM-DD';
    case 'select':
      return typeof v === 'string' && (def.options ?? []).includes(v)
        ? null
        : `expected one of: ${(def.options ?? []).join(', ')}`;
  }
}

/**
 * The values to store (empty ones dropped) and the field errors, each naming
 * `customFields.<key>`. Unknown keys are refused so a typo does not silently lose data.
 */
export function checkCustomFieldValues(
  defs: CustomFieldDef[],
  values: CustomFieldValues | undefined,
): { values: CustomFieldValues; errors: FieldError[] } {
  const input = values ?? {};
  const errors: FieldError[] = [];
  const out: CustomFieldValues = {};
  const byKey = new Map(defs.map((d) => [d.key, d]));
  for (const key of Object.keys(input)) {
    if (!byKey.has(key)) errors.push({ path: `customFields.${key}`, message: 'unknown field for this category' });
  }
  for (const def of defs) {
    const v = input[def.key];
    const empty = v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
    if (empty) {
      if (def.required) errors.push({ path: `customFields.${def.key}`, message: 'required' });
      continue;
    }
    const problem = typeError(def, v);
    if (problem) errors.push({ path: `customFields.${def.key}`, message: problem });
    else out[def.key] = typeof v === 'string' ? v.trim() : v;
  }
  return { values: out, errors };
}
