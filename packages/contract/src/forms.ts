/**
 * The form engine (表单引擎): per-category field definitions, versioned. A form version is an
 * ordered list of fields; publishing a changed list creates the next version; a ticket keeps the
 * version it was created with (see docs/forms.md).
 */
import { z } from 'zod';
import { zId, zInstant } from './common.js';

export const FORM_FIELD_TYPES = [
  'text', 'longText', 'number', 'date', 'boolean', 'select', 'multiSelect', 'cascader', 'person', 'attachment', 'table',
] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];
/** Types a table column may have. */
export const FORM_COLUMN_TYPES = ['text', 'number', 'date', 'select'] as const;

const zKey = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'a letter, then letters, digits or _ (at most 40)');
/** An option's stored value; `/` `,` `:` are kept for filters (path separator, list, key:op). */
const zCode = z.string().trim().min(1).max(64).regex(/^[^/,:]+$/, 'no / , or :');
const zLabel = z.string().trim().min(1).max(64);

export const zFormOption = z.object({ code: zCode, label: zLabel, labelEn: z.string().trim().max(64).optional() });
export type FormOption = z.infer<typeof zFormOption>;

/** A cascader option with its children (产品线 › 型号 › 部件); at most 4 levels. */
export interface CascaderOption extends FormOption { children?: CascaderOption[] }
export const zCascaderOption: z.ZodType<CascaderOption> = z.lazy(() =>
  zFormOption.extend({ children: z.array(zCascaderOption).max(100).optional() }));

const common = {
  key: zKey,
  label: zLabel,
  labelEn: z.string().trim().max(64).optional(),
  required: z.boolean().default(false),
  help: z.string().trim().max(500).optional(),
};

const numberRules = {
  unit: z.string().trim().max(16).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  /** Decimal places allowed; 0 = whole numbers. */
  decimals: z.number().int().min(0).max(6).optional(),
};

export const zFormColumn = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('text'), maxLength: z.number().int().min(1).max(2000).optional() }),
  z.object({ ...common, type: z.literal('number'), ...numberRules }),
  z.object({ ...common, type: z.literal('date') }),
  z.object({ ...common, type: z.literal('select'), options: z.array(zFormOption).min(1).max(100) }),
]);
export type FormColumn = z.infer<typeof zFormColumn>;

export const zFormField = z.discriminatedUnion('type', [
  z.object({
    ...common, type: z.literal('text'),
    /** A regular expression (JavaScript, u flag) the whole value must match. */
    pattern: z.string().max(200).optional(),
    patternMessage: z.string().max(100).optional(),
    maxLength: z.number().int().min(1).max(2000).optional(),
  }),
  z.object({ ...common, type: z.literal('longText'), maxLength: z.number().int().min(1).max(20000).optional() }),
  z.object({ ...common, type: z.literal('number'), ...numberRules }),
  z.object({ ...common, type: z.literal('date') }),
  z.object({ ...common, type: z.literal('boolean') }),
  z.object({ ...common, type: z.literal('select'), options: z.array(zFormOption).min(1).max(200) }),
  z.object({
    ...common, type: z.literal('multiSelect'), options: z.array(zFormOption).min(1).max(200),
    minItems: z.number().int().min(0).optional(), maxItems: z.number().int().min(1).optional(),
  }),
  /** Value: the path of option codes from the root, e.g. ["ac", "kfr-35", "compressor"]. Codes are unique in the tree. */
  z.object({
    ...common, type: z.literal('cascader'), options: z.array(zCascaderOption).min(1).max(100),
    /** Whether a path may stop above a leaf. */
    allowPartial: z.boolean().default(false),
  }),
  /** Value: a staff user id. */
  z.object({ ...common, type: z.literal('person'), departmentId: zId.optional(), role: z.string().max(32).optional() }),
  /** Value: attachment ids. */
  z.object({ ...common, type: z.literal('attachment'), maxItems: z.number().int().min(1).max(20).optional() }),
  /** Value: rows, each an object of column key → scalar. */
  z.object({
    ...common, type: z.literal('table'), columns: z.array(zFormColumn).min(1).max(12),
    minRows: z.number().int().min(0).max(200).optional(), maxRows: z.number().int().min(1).max(200).optional(),
  }),
]);
export type FormField = z.infer<typeof zFormField>;
export type FormFieldInput = z.input<typeof zFormField>;

export const zFormPublish = z.object({
  fields: z.array(zFormField).max(40),
  /** The version the editor started from: publishing over a newer one is a conflict. */
  baseVersion: z.number().int().min(0).optional(),
  note: z.string().trim().max(200).optional(),
});
export type FormPublish = z.infer<typeof zFormPublish>;

export const zFormVersion = z.object({
  id: zId,
  categoryId: zId,
  version: z.number().int(),
  fields: z.array(zFormField),
  note: z.string().nullable(),
  publishedAt: zInstant,
  publishedBy: z.string().nullable(),
});
export type FormVersion = z.infer<typeof zFormVersion>;

export const zFormVersionSummary = zFormVersion.omit({ fields: true }).extend({ fieldCount: z.number().int() });
export type FormVersionSummary = z.infer<typeof zFormVersionSummary>;
export const zFormVersionList = z.object({ items: z.array(zFormVersionSummary) });

/** A stored value of one field. */
export type FormScalar = string | number | boolean | null;
export type FormValue = FormScalar | string[] | Array<Record<string, FormScalar>>;
export type FormValues = Record<string, FormValue>;

const zScalar = z.union([z.string().max(20000), z.number(), z.boolean(), z.null()]);
/** What a client may send as a ticket's form values; checked against the definition on the server. */
export const zFormValues = z.record(
  z.string().max(40),
  z.union([zScalar, z.array(z.string().max(200)).max(200), z.array(z.record(z.string().max(40), zScalar)).max(200)]),
);

// ---- list filters ------------------------------------------------------------------------
export const FORM_FILTER_OPS = ['eq', 'prefix', 'range', 'contains'] as const;
/**
 * A filter on a form field, `key:op:value` in the query string (`cf`, repeatable, needs one
 * `category`): `eq` for select / multi-select (has the option) / person / boolean, `prefix` for a
 * cascader path (codes joined by `/`), `range` for number and date (`from..to`, either side
 * empty), `contains` for text.
 */
export const zFormFilter = z.string().max(300).transform((s, ctx) => {
  const m = /^([a-zA-Z][a-zA-Z0-9_]{0,39}):(eq|prefix|range|contains):(.*)$/s.exec(s);
  if (!m || !m[3]) {
    ctx.addIssue({ code: 'custom', message: 'expected key:op:value (op eq, prefix, range, contains)' });
    return z.NEVER;
  }
  return { key: m[1]!, op: m[2] as (typeof FORM_FILTER_OPS)[number], value: m[3] };
});
export type FormFilter = z.output<typeof zFormFilter>;
/** Repeated `cf=`, or one `cf=` of filters joined by `,` (where a `,` starts the next `key:op:`). */
const FILTER_SPLIT = /,(?=[a-zA-Z][a-zA-Z0-9_]{0,39}:(?:eq|prefix|range|contains):)/;
export const zFormFilters = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(FILTER_SPLIT) : Array.isArray(v) ? v.flatMap((x) => (typeof x === 'string' ? x.split(FILTER_SPLIT) : [x])) : v),
  z.array(zFormFilter).max(8),
);

/** The catalog other engines read (rules, approval conditions, reports). */
export const zFormCatalogEntry = z.object({
  key: z.string(),
  type: z.enum(FORM_FIELD_TYPES),
  label: z.string(),
  labelEn: z.string().nullable(),
  /** Flat options (select / multi-select), or every cascader node with its path. */
  options: z.array(z.object({ code: z.string(), label: z.string(), labelEn: z.string().nullable(), path: z.array(z.string()) })),
  unit: z.string().nullable(),
  /** Still in the category's current version (false: only older tickets have it). */
  current: z.boolean(),
});
export type FormCatalogEntry = z.infer<typeof zFormCatalogEntry>;
export const zFormCatalog = z.object({ categoryId: zId, version: z.number().int(), fields: z.array(zFormCatalogEntry) });
export type FormCatalog = z.infer<typeof zFormCatalog>;
