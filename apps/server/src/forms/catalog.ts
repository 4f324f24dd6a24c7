/**
 * Typed access to form values for the other engines (routing rules, approval-flow conditions,
 * reports): which fields a category's tickets can carry, with their types and option codes, and
 * a ticket's raw stored value read as its type. Compare numbers as numbers and options by code,
 * never by label or by string form.
 */
import { asc, eq } from 'drizzle-orm';
import type { CascaderOption, FormCatalog, FormCatalogEntry, FormField } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { formVersions } from '../db/schema.js';
import { cachePerDatabase, REFERENCE_TTL_MS } from '../cache/ttl-cache.js';

function optionsOf(f: FormField): FormCatalogEntry['options'] {
  if (f.type === 'select' || f.type === 'multiSelect') {
    return f.options.map((o) => ({ code: o.code, label: o.label, labelEn: o.labelEn ?? null, path: [o.code] }));
  }
  if (f.type !== 'cascader') return [];
  const out: FormCatalogEntry['options'] = [];
  const walk = (nodes: CascaderOption[], prefix: string[]) => {
    for (const n of nodes) {
      const path = [...prefix, n.code];
      out.push({ code: n.code, label: n.label, labelEn: n.labelEn ?? null, path });
      if (n.children?.length) walk(n.children, path);
    }
  };
  walk(f.options, []);
  return out;
}

function entryOf(f: FormField, current: boolean): FormCatalogEntry {
  return {
    key: f.key, type: f.type, label: f.label, labelEn: f.labelEn ?? null, options: optionsOf(f),
    unit: f.type === 'number' ? f.unit ?? null : null, current,
  };
}

/**
 * Pure: the catalog of a category from its versions, oldest first. Current fields come first in
 * form order, then fields only older versions had (marked `current: false`, their latest shape).
 */
export function catalogOfVersions(categoryId: string, versions: Array<{ version: number; fields: FormField[] }>): FormCatalog {
  const latest = versions.at(-1);
  const fields: FormCatalogEntry[] = (latest?.fields ?? []).map((f) => entryOf(f, true));
  const seen = new Set(fields.map((f) => f.key));
  for (let i = versions.length - 2; i >= 0; i--) {
    for (const f of versions[i]!.fields) {
      if (seen.has(f.key)) continue;
      seen.add(f.key);
      fields.push(entryOf(f, false));
    }
  }
  return { categoryId, version: latest?.version ?? 0, fields };
}

const catalogCache = cachePerDatabase<FormCatalog>(REFERENCE_TTL_MS, 1_000);

/** Every field a ticket of the category can carry: `[{ key, type, label, options, … }]`. */
export async function formFieldCatalog(db: DbOrTx, categoryId: string): Promise<FormCatalog> {
  return catalogCache(db).get(categoryId, async () => {
    const rows = await db.select({ version: formVersions.version, fields: formVersions.fields }).from(formVersions)
      .where(eq(formVersions.categoryId, categoryId)).orderBy(asc(formVersions.version));
    return catalogOfVersions(categoryId, rows);
  });
}

export function forgetCatalogs(): void {
  catalogCache.clearAll();
}

export { fieldConditionHolds, shapeType, typedValue, type FieldConditionOp, type TypedValue } from './typed-values.js';
