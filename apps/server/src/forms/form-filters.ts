/**
 * The ticket list's filters on form fields (`cf=key:op:value`), as SQL on tickets.custom_fields.
 * Fields belong to a category, so a form filter needs exactly one `category` filter: every
 * condition below is ANDed with `category_id = …`.
 *
 * Index paths (docs/forms.md): equality and containment (select, multi-select, person, boolean,
 * cascader path prefix) are `custom_fields @> '{"key": …}'`, served by tickets_custom_fields_gin
 * (jsonb_path_ops). Ranges (number, date) and text contains are not indexable by that GIN index:
 * they are checked on the rows of the one category (tickets_category_idx, or the GIN conditions
 * when combined), see docs/forms.md for the cost at 1,000,000 tickets.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { FieldError, FormCatalog, FormCatalogEntry, FormFilter } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { tickets } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { formFieldCatalog } from './catalog.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const contains = (doc: unknown) => sql`${tickets.customFields} @> ${JSON.stringify(doc)}::jsonb`;

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function rangeOf(value: string): [string, string] | null {
  const i = value.indexOf('..');
  if (i < 0) return null;
  return [value.slice(0, i).trim(), value.slice(i + 2).trim()];
}

/** One filter on one catalog entry, or the reason it does not apply. */
export function formFilterCondition(entry: FormCatalogEntry, f: FormFilter): SQL | string {
  const k = entry.key;
  const field = sql`${tickets.customFields} -> ${k}`;
  switch (entry.type) {
    case 'select': case 'person':
      if (f.op !== 'eq') return 'use eq';
      return contains({ [k]: f.value });
    case 'boolean':
      if (f.op !== 'eq' || (f.value !== 'true' && f.value !== 'false')) return 'use eq:true or eq:false';
      return contains({ [k]: f.value === 'true' });
    case 'multiSelect':
      if (f.op !== 'eq') return 'use eq (has the option)';
      return contains({ [k]: [f.value] });
    case 'cascader': {
      if (f.op !== 'eq' && f.op !== 'prefix') return 'use prefix or eq with a path a/b/c';
      const path = f.value.split('/').filter(Boolean);
      if (!path.length) return 'expected a path a/b/c';
      // Containment finds the candidates by index (codes are unique in the tree, so the set of
      // codes is the path); the positional checks make it exact.
      const parts: SQL[] = [contains({ [k]: path })];
      path.forEach((code, i) => parts.push(sql`${field} ->> ${sql.raw(String(i))} = ${code}`));
      if (f.op === 'eq') parts.push(sql`jsonb_array_length(${field}) = ${path.length}`);
      return sql`(${sql.join(parts, sql` and `)})`;
    }
    case 'number': {
      const r = f.op === 'range' ? rangeOf(f.value) : null;
      if (f.op === 'eq') {
        const n = Number(f.value);
        return Number.isFinite(n) ? contains({ [k]: n }) : 'expected a number';
      }
      if (!r) return 'use range from..to';
      const [from, to] = r.map((x) => (x === '' ? null : Number(x)));
      if ((from !== null && !Number.isFinite(from)) || (to !== null && !Number.isFinite(to)) || (from === null && to === null)) {
        return 'expected numbers from..to';
      }
      // Never a cast error on a value of another shape (a key can change type between versions).
      const n = sql`(case when jsonb_typeof(${field}) = 'number' then (${tickets.customFields} ->> ${k})::numeric end)`;
      const parts: SQL[] = [];
      if (from !== null) parts.push(sql`${n} >= ${from}`);
      if (to !== null) parts.push(sql`${n} <= ${to}`);
      return sql`(${sql.join(parts, sql` and `)})`;
    }
    case 'date': {
      const r = f.op === 'range' ? rangeOf(f.value) : null;
      if (f.op === 'eq') return DATE.test(f.value) ? contains({ [k]: f.value }) : 'expected a date YYYY-MM-DD';
      if (!r || (!r[0] && !r[1]) || r.some((x) => x && !DATE.test(x))) return 'use range YYYY-MM-DD..YYYY-MM-DD';
      const d = sql`(case when jsonb_typeof(${field}) = 'string' then ${tickets.customFields} ->> ${k} end)`;
      const parts: SQL[] = [];
      if (r[0]) parts.push(sql`${d} >= ${r[0]}`);
      if (r[1]) parts.push(sql`${d} <= ${r[1]}`);
      return sql`(${sql.join(parts, sql` and `)})`;
    }
    case 'text': case 'longText':
      if (f.op === 'eq') return contains({ [k]: f.value });
      if (f.op !== 'contains') return 'use contains or eq';
      return sql`(${tickets.customFields} ->> ${k}) ilike ${`%${likeEscape(f.value)}%`}`;
    default:
      return `a ${entry.type} field cannot be filtered`;
  }
}

/** Pure: the conditions for `filters` over a category's catalog; errors name `cf.<i>`. */
export function formFilterConditions(catalog: FormCatalog, filters: FormFilter[]): { where: SQL[]; errors: FieldError[] } {
  const byKey = new Map(catalog.fields.map((e) => [e.key, e]));
  const where: SQL[] = [];
  const errors: FieldError[] = [];
  filters.forEach((f, i) => {
    const entry = byKey.get(f.key);
    if (!entry) {
      errors.push({ path: `cf.${i}`, message: `${f.key} is not a field of this category` });
      return;
    }
    const c = formFilterCondition(entry, f);
    if (typeof c === 'string') errors.push({ path: `cf.${i}`, message: `${f.key}: ${c}` });
    else where.push(c);
  });
  return { where, errors };
}

/** The list's / counts' form-field conditions (empty without `cf`). */
export async function formFilterWhere(db: DbOrTx, query: { cf?: FormFilter[]; category?: string[] }): Promise<SQL[]> {
  if (!query.cf?.length) return [];
  if (query.category?.length !== 1) {
    throw new AppError('VALIDATION_FAILED', 'cf: a form-field filter needs exactly one category',
      [{ path: 'category', message: 'choose one category to filter on its form fields' }]);
  }
  const { where, errors } = formFilterConditions(await formFieldCatalog(db, query.category[0]!), query.cf);
  if (errors.length) throw new AppError('VALIDATION_FAILED', `${errors[0]!.path}: ${errors[0]!.message}`, errors);
  return where;
}
