/** The list's form-field filters as `key:op:value` strings (the API's `cf`), pure. */
export interface CfFilter { key: string; op: 'eq' | 'prefix' | 'range' | 'contains'; value: string }

export function parseCf(s: string): CfFilter | null {
  const m = /^([a-zA-Z][a-zA-Z0-9_]{0,39}):(eq|prefix|range|contains):(.+)$/s.exec(s);
  return m ? { key: m[1]!, op: m[2] as CfFilter['op'], value: m[3]! } : null;
}

/** The filters with `key`'s replaced (or removed when `value` is empty). */
export function withCf(list: string[], key: string, op: CfFilter['op'], value: string | null): string[] {
  const rest = list.filter((s) => parseCf(s)?.key !== key);
  return value ? [...rest, `${key}:${op}:${value}`] : rest;
}

export function cfOf(list: string[], key: string): CfFilter | null {
  for (const s of list) {
    const f = parseCf(s);
    if (f?.key === key) return f;
  }
  return null;
}

/** `from..to` with either side empty; null when both are. */
export function rangeValue(from: string | number | null | undefined, to: string | number | null | undefined): string | null {
  const a = from === null || from === undefined ? '' : String(from);
  const b = to === null || to === undefined ? '' : String(to);
  return a || b ? `${a}..${b}` : null;
}

export function splitRange(value: string | undefined): [string, string] {
  if (!value) return ['', ''];
  const i = value.indexOf('..');
  return i < 0 ? [value, ''] : [value.slice(0, i), value.slice(i + 2)];
}
