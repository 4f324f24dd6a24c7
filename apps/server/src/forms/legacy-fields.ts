/**
 * The category's former custom-field list (categories.custom_fields, zCustomFieldDef) as form
 * fields: what migration 0008 does in SQL, for the category API that still accepts the old list.
 */
import type { CustomFieldDef, FormField } from '@closeloop/contract';

export function fromLegacyFields(defs: CustomFieldDef[]): FormField[] {
  return defs.map((d): FormField => {
    const base = { key: d.key, label: d.label, ...(d.labelEn ? { labelEn: d.labelEn } : {}), required: d.required };
    if (d.type === 'select') return { ...base, type: 'select', options: (d.options ?? []).map((o) => ({ code: o.trim(), label: o.trim() })) };
    return { ...base, type: d.type };
  });
}

/** The scalar part of a form as the old list (categories.custom_fields stays a readable summary). */
export function toLegacyFields(fields: FormField[]): CustomFieldDef[] {
  const out: CustomFieldDef[] = [];
  for (const f of fields) {
    const base = { key: f.key, label: f.label, ...(f.labelEn ? { labelEn: f.labelEn } : {}), required: f.required };
    if (f.type === 'select') out.push({ ...base, type: 'select', options: f.options.map((o) => o.code) });
    else if (f.type === 'text' || f.type === 'longText') out.push({ ...base, type: 'text' });
    else if (f.type === 'number' || f.type === 'date' || f.type === 'boolean') out.push({ ...base, type: f.type });
  }
  return out;
}
