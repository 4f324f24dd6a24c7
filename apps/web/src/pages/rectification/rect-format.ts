/** Pure helpers of the rectification pages: criterion text, the diff of two plan versions, overdue wording, durations. */
import type { Criterion, PlanVersion, RectMeasure } from '@closeloop/contract';

type T = (key: string, opts?: Record<string, unknown>) => string;

const OP_TEXT: Record<string, string> = { '<': '<', '<=': '≤', '=': '=', '>=': '≥', '>': '>' };

/** 噪音 < 45 dB 连续24h · 样本 3批×1000; a check reads as its text. */
export function criterionText(c: Criterion | { kind: 'text'; text: string }, t: T): string {
  if (c.kind !== 'metric') return c.text;
  const unit = c.unit ? (/^[%‰°]/.test(c.unit) ? c.unit : ` ${c.unit}`) : '';
  const base = `${c.metric} ${OP_TEXT[c.operator] ?? c.operator} ${formatTarget(c.target)}${unit}`;
  const extra = [
    c.duration ? t('rectification.criterion.durationText', { value: c.duration }) : '',
    c.sample ? t('rectification.criterion.sampleText', { value: c.sample }) : '',
  ].filter(Boolean);
  return extra.length ? `${base}，${extra.join('，')}` : base;
}

function formatTarget(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6)));
}

export type DiffKind = 'added' | 'removed' | 'changed' | 'same';
export interface MeasureDiff {
  kind: DiffKind;
  measure: RectMeasure;
  /** The earlier version's measure (removed, changed, same). */
  before?: RectMeasure;
  /** Which fields differ (changed). */
  fields: ('type' | 'owner' | 'action' | 'dueDate' | 'criterion')[];
}

function sameCriterion(a: Criterion, b: Criterion): boolean {
  return JSON.stringify(normCriterion(a)) === JSON.stringify(normCriterion(b));
}
function normCriterion(c: Criterion) {
  return c.kind === 'metric'
    ? { k: c.kind, m: c.metric, o: c.operator, t: c.target, u: c.unit ?? '', d: c.duration ?? '', s: c.sample ?? '' }
    : { k: c.kind, t: c.text };
}

/**
 * What changed from `older` to `newer`: a measure of the newer version with a previousId of the
 * older one is that measure revised (changed or same); the rest are added; older measures nobody
 * revises are removed. Order: the newer version's order, removed ones last.
 */
export function diffPlans(older: Pick<PlanVersion, 'measures'>, newer: Pick<PlanVersion, 'measures'>): MeasureDiff[] {
  const byId = new Map(older.measures.map((m) => [m.id, m]));
  const used = new Set<string>();
  const out: MeasureDiff[] = [];
  for (const m of newer.measures) {
    const before = m.previousId ? byId.get(m.previousId) : undefined;
    if (!before) {
      out.push({ kind: 'added', measure: m, fields: [] });
      continue;
    }
    used.add(before.id);
    const fields: MeasureDiff['fields'] = [];
    if (before.type !== m.type || (before.preventiveKind ?? null) !== (m.preventiveKind ?? null)) fields.push('type');
    if ((before.owner?.id ?? null) !== (m.owner?.id ?? null)) fields.push('owner');
    if (before.action.trim() !== m.action.trim()) fields.push('action');
    if ((before.dueDate ?? null) !== (m.dueDate ?? null)) fields.push('dueDate');
    if (!sameCriterion(before.criterion, m.criterion)) fields.push('criterion');
    out.push({ kind: fields.length ? 'changed' : 'same', measure: m, before, fields });
  }
  for (const m of older.measures) if (!used.has(m.id)) out.push({ kind: 'removed', measure: m, before: m, fields: [] });
  return out;
}

/** Whole calendar days a due date (YYYY-MM-DD) lies before today (local dates); 0 when due today or later. */
export function daysOverdue(dueDate: string, today: Date = new Date()): number {
  const [y, m, d] = dueDate.split('-').map(Number);
  const due = Date.UTC(y!, m! - 1, d!);
  const now = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.max(0, Math.round((now - due) / 86_400_000));
}

/** 已逾期 3 天 / 今天到期 / 还剩 2 天 — a natural phrase, never "已逾期 3 天前". */
export function dueText(dueDate: string | null, t: T, today: Date = new Date()): { text: string; overdue: boolean } {
  if (!dueDate) return { text: t('rectification.due.none'), overdue: false };
  const late = daysOverdue(dueDate, today);
  if (late > 0) return { text: t('rectification.due.overdue', { count: late }), overdue: true };
  const [y, m, d] = dueDate.split('-').map(Number);
  const left = Math.round((Date.UTC(y!, m! - 1, d!) - Date.UTC(today.getFullYear(), today.getMonth(), today.getDate())) / 86_400_000);
  if (left === 0) return { text: t('rectification.due.today'), overdue: false };
  return { text: t('rectification.due.left', { count: left }), overdue: false };
}

/** Business minutes as 45 分钟 / 2 小时 / 26 小时 15 分钟: business time has no 24-hour days, so hours are not folded into days. */
export function minutesText(min: number, t: T): string {
  if (min < 60) return t('rectification.duration.minutes', { count: min });
  const h = Math.floor(min / 60);
  const m = min % 60;
  return m ? t('rectification.duration.hoursMinutes', { h, m }) : t('rectification.duration.hours', { count: h });
}

/**
 * A vague-wording hint in the user's language: from its kind and word (a stored warning), or from
 * the 422's field code and the quoted word of its message; otherwise the server's message as it is.
 */
export function warningText(w: { kind?: string; code?: string; word?: string; message: string }, t: T): string {
  const kind = w.kind ?? w.code;
  if (kind === 'prefer_error_proofing') return t('rectification.warning.prefer_error_proofing');
  const word = w.word ?? /"([^"]+)"/.exec(w.message)?.[1];
  if (kind === 'vague' && word) return t('rectification.warning.vague', { word });
  return w.message;
}
