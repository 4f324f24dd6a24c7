/**
 * The dry run of an import: every row checked against the mapping, every bad row reported
 * with its spreadsheet row number and reason, nothing written. Statuses are read from the
 * Chinese words of labels.ts (and a few legacy words); people by display name or username.
 */
import { CODE_LABELS } from '../labels.js';
import { parseLegacyDate } from './parse-date.js';
import { REQUIRED_FIELDS, type ImportField } from './propose-mapping.js';
import type { RawValue, Table } from './read-table.js';

export type RowProblem = { rowNumber: number; field: ImportField | null; reason: 'missing' | 'bad_date' | 'unknown_status' | 'unknown_person' | 'duplicate_in_file'; value?: string };

export interface ImportedRow {
  rowNumber: number;
  customer: string; phone: string | null; model: string | null; description: string; title: string | null;
  registeredAt: Date; status: string; ownerId: string | null; resolution: string | null; serial: string | null;
}

/** Legacy words for the app's statuses, besides the app's own labels. */
const LEGACY_STATUS: Record<string, string> = {
  待处理: 'registered', 新建: 'registered', 未处理: 'registered', 处理中: 'assigned', 跟进中: 'assigned',
  已处理: 'closed', 已解决: 'closed', 已完成: 'closed', 完成: 'closed', 关闭: 'closed', 已结案: 'closed', 作废: 'cancelled', 取消: 'cancelled',
};

export function statusOf(word: string): string | null {
  const w = word.trim();
  for (const [code, l] of Object.entries(CODE_LABELS.status!)) if (l['zh-CN'] === w || l['en-US'].toLowerCase() === w.toLowerCase() || code === w) return code;
  return LEGACY_STATUS[w] ?? null;
}

const text = (v: RawValue | undefined): string | null => {
  if (v === null || v === undefined) return null;
  const s = (v instanceof Date ? v.toISOString() : String(v)).trim();
  return s || null;
};

export function dryRun(opts: {
  table: Table;
  mapping: Array<ImportField | null>;
  /** Display name or username → user id. */
  people: Map<string, string>;
}): { ok: ImportedRow[]; problems: RowProblem[] } {
  const col = new Map<ImportField, number>();
  opts.mapping.forEach((f, i) => { if (f && !col.has(f)) col.set(f, i); });
  const problems: RowProblem[] = [];
  const ok: ImportedRow[] = [];
  const seen = new Set<string>();
  for (const row of opts.table.rows) {
    const get = (f: ImportField) => (col.has(f) ? row.values[col.get(f)!] : undefined);
    const before = problems.length;
    for (const f of REQUIRED_FIELDS) if (!text(get(f))) problems.push({ rowNumber: row.rowNumber, field: f, reason: 'missing' });
    const rawDate = get('registeredAt');
    const registeredAt = text(rawDate) ? parseLegacyDate(rawDate) : null;
    if (text(rawDate) && !registeredAt) problems.push({ rowNumber: row.rowNumber, field: 'registeredAt', reason: 'bad_date', value: text(rawDate)! });
    const statusWord = text(get('status'));
    const status = statusWord ? statusOf(statusWord) : 'closed';
    if (!status) problems.push({ rowNumber: row.rowNumber, field: 'status', reason: 'unknown_status', value: statusWord! });
    const ownerName = text(get('owner'));
    const ownerId = ownerName ? opts.people.get(ownerName) ?? null : null;
    if (ownerName && !ownerId) problems.push({ rowNumber: row.rowNumber, field: 'owner', reason: 'unknown_person', value: ownerName });
    const key = row.values.map((v) => text(v) ?? '').join('\u0001');
    if (seen.has(key)) problems.push({ rowNumber: row.rowNumber, field: null, reason: 'duplicate_in_file' });
    seen.add(key);
    if (problems.length > before) continue;
    ok.push({
      rowNumber: row.rowNumber, customer: text(get('customer'))!, phone: text(get('phone')), model: text(get('model')),
      description: text(get('description'))!, title: text(get('title')), registeredAt: registeredAt!, status: status!,
      ownerId, resolution: text(get('resolution')), serial: text(get('serial')),
    });
  }
  return { ok, problems };
}
