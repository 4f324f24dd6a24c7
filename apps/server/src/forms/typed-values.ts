/**
 * A ticket's stored form value read as its field type, and conditions on it (pure): what rules,
 * approval-flow conditions and reports use, so numbers compare as numbers and options by code.
 */
import type { FormFieldType, FormScalar } from '@closeloop/contract';

/** A stored value read as its field type. */
export type TypedValue =
  | { type: 'number'; value: number | null }
  | { type: 'boolean'; value: boolean | null }
  | { type: 'text' | 'longText' | 'date' | 'select' | 'person'; value: string | null }
  | { type: 'multiSelect' | 'cascader' | 'attachment'; value: string[] }
  | { type: 'table'; value: Array<Record<string, FormScalar>> };

/**
 * `raw` (a ticket's `custom_fields[key]`) as `type`. Values written through the form engine
 * already have their type; anything else (an older shape, a hand-edited row) reads as empty
 * rather than as a wrong-typed value, except numeric text, which reads as its number.
 */
export function typedValue(type: FormFieldType, raw: unknown): TypedValue {
  switch (type) {
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return { type, value: Number.isFinite(n) ? n : null };
    }
    case 'boolean': return { type, value: typeof raw === 'boolean' ? raw : null };
    case 'text': case 'longText': case 'date': case 'select': case 'person':
      return { type, value: typeof raw === 'string' && raw !== '' ? raw : null };
    case 'multiSelect': case 'cascader': case 'attachment':
      return { type, value: Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : typeof raw === 'string' && raw ? [raw] : [] };
    case 'table':
      return { type, value: Array.isArray(raw) ? raw.filter((r): r is Record<string, FormScalar> => !!r && typeof r === 'object' && !Array.isArray(r)) : [] };
  }
}

/** Operators a condition on a form field may use (routing rules, flow conditions). */
export type FieldConditionOp = 'isSet' | 'in' | 'contains' | 'gt' | 'lt' | 'gte' | 'lte' | 'eq' | 'prefix';

/** The type a raw value has when no definition is at hand (its JSON shape). */
export function shapeType(raw: unknown): FormFieldType {
  if (typeof raw === 'number') return 'number';
  if (typeof raw === 'boolean') return 'boolean';
  if (Array.isArray(raw)) return raw.every((x) => typeof x === 'string') ? 'multiSelect' : 'table';
  return 'text';
}

/**
 * Whether a condition holds on a value of a field of `type` (pure). Numbers compare as numbers;
 * options by code: `in` on a multi-select or cascader holds when any chosen code (any node of
 * the path) is listed; `prefix` on a cascader takes the operand as a path (`a/b` or [a, b]).
 */
export function fieldConditionHolds(type: FormFieldType, raw: unknown, op: FieldConditionOp, operand: unknown): boolean {
  const t = typedValue(type, raw);
  if (op === 'isSet') return Array.isArray(t.value) ? t.value.length > 0 : t.value !== null;
  if (t.type === 'number') {
    const limit = typeof operand === 'number' ? operand : typeof operand === 'string' && operand.trim() !== '' ? Number(operand) : NaN;
    if (t.value === null) return false;
    if (op === 'in') return Array.isArray(operand) && operand.some((x) => Number(x) === t.value);
    if (!Number.isFinite(limit)) return false;
    switch (op) {
      case 'gt': return t.value > limit;
      case 'lt': return t.value < limit;
      case 'gte': return t.value >= limit;
      case 'lte': return t.value <= limit;
      case 'eq': return t.value === limit;
      default: return false;
    }
  }
  const list = Array.isArray(operand) ? operand.map(String) : operand === undefined || operand === null ? [] : [String(operand)];
  if (t.type === 'table') return false;
  if (t.type === 'boolean') return t.value !== null && (op === 'eq' || op === 'in') && list.includes(String(t.value));
  if (Array.isArray(t.value)) {
    const values = t.value as string[];
    if (op === 'in' || op === 'eq') return values.some((v) => list.includes(v));
    if (op === 'prefix') {
      const path = Array.isArray(operand) ? operand.map(String) : String(operand ?? '').split('/').filter(Boolean);
      return path.length > 0 && path.every((code, i) => values[i] === code);
    }
    if (op === 'contains') return typeof operand === 'string' && values.some((v) => v.includes(operand));
    return false;
  }
  const v = t.value as string | null;
  if (v === null) return false;
  if (op === 'in' || op === 'eq') return list.includes(v);
  if (op === 'contains') return typeof operand === 'string' && v.includes(operand);
  if (op === 'prefix') return typeof operand === 'string' && v.startsWith(operand);
  // Dates (YYYY-MM-DD) and numeric text compare in order.
  if (t.type === 'date' && typeof operand === 'string') return op === 'gt' ? v > operand : op === 'lt' ? v < operand : op === 'gte' ? v >= operand : op === 'lte' ? v <= operand : false;
  const n = Number(v);
  const limit = Number(operand);
  if (!Number.isFinite(n) || !Number.isFinite(limit)) return false;
  return op === 'gt' ? n > limit : op === 'lt' ? n < limit : op === 'gte' ? n >= limit : op === 'lte' ? n <= limit : false;
}
