/**
 * Dates as legacy trackers hold them: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日 (each with an
 * optional time), Excel serial numbers (45356 = 2024-03-05) and real Excel date cells. A time
 * without a zone is China time. Answers null for anything else.
 */
const CHINA_OFFSET_MS = 8 * 3600_000;
/** Excel's day 0 (1899-12-30, after its 1900 leap-year bug) in ms since the epoch. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

const TEXT_DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?\s*秒?)?$/;

function chinaInstant(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null; // 2024-02-30
  return new Date(utc - CHINA_OFFSET_MS);
}

export function parseLegacyDate(v: unknown): Date | null {
  if (v instanceof Date) {
    // exceljs reads a date cell as the wall clock in UTC fields: it was typed in China time.
    return Number.isNaN(v.getTime()) ? null : new Date(v.getTime() - CHINA_OFFSET_MS);
  }
  if (typeof v === 'number' || (typeof v === 'string' && /^\d{5}(\.\d+)?$/.test(v.trim()))) {
    const n = Number(v);
    // 1982-01-01 … 2064: a plausible tracker date, not an order number.
    if (n < 30000 || n > 60000) return null;
    return new Date(EXCEL_EPOCH_MS + Math.round(n * 86400_000) - CHINA_OFFSET_MS);
  }
  if (typeof v !== 'string') return null;
  const m = TEXT_DATE.exec(v.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map((x) => (x === undefined ? undefined : Number(x)));
  return chinaInstant(y!, mo!, d!, h, mi, s);
}
