/**
 * Writes one list as an .xlsx sheet through exceljs' streaming WorkbookWriter: rows are
 * committed as they come, so memory holds one page of rows, never the whole list.
 * Text that a spreadsheet would read as a formula (= + - @, tab, CR) is neutralised with a
 * leading apostrophe; dates are shown in China time (Asia/Shanghai, no daylight saving).
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { header, type SheetLocale } from '../labels.js';

export type CellValue = string | number | Date | null | undefined;

export interface Column<R> {
  /** A key of labels.ts HEADERS. */
  key: string;
  /** In characters. */
  width: number;
  /** 'datetime' = yyyy-mm-dd hh:mm (China time); 'date' = a yyyy-mm-dd text kept as it is. */
  kind?: 'text' | 'number' | 'datetime';
  value: (row: R, locale: SheetLocale) => CellValue;
}

export interface SheetSpec<R> {
  /** The sheet tab's name per locale. */
  title: Record<SheetLocale, string>;
  columns: Column<R>[];
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell a spreadsheet must never evaluate: a leading apostrophe makes it plain text. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

const CHINA_OFFSET_MS = 8 * 3600_000;

/** Excel dates carry no zone: write the wall-clock time of Shanghai. */
function chinaWallClock(d: Date): Date {
  return new Date(d.getTime() + CHINA_OFFSET_MS);
}

function cell<R>(col: Column<R>, row: R, locale: SheetLocale): string | number | Date | null {
  const v = col.value(row, locale);
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return chinaWallClock(v);
  if (typeof v === 'number') return v;
  if (col.kind === 'datetime') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? neutralise(v) : chinaWallClock(d);
  }
  return neutralise(v);
}

/**
 * Streams `pages` into `out` as one sheet and ends `out`. `onRows` hears the running row
 * count after each page (progress of a background export).
 */
export async function writeSheet<R>(opts: {
  out: Writable;
  spec: SheetSpec<R>;
  locale: SheetLocale;
  pages: AsyncIterable<R[]>;
  onRows?: (done: number) => Promise<void> | void;
}): Promise<number> {
  const { spec, locale } = opts;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: opts.out, useStyles: true, useSharedStrings: false });
  wb.creator = 'closeloop';
  const ws = wb.addWorksheet(spec.title[locale], { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = spec.columns.map((c) => ({
    header: header(c.key, locale), key: c.key, width: c.width,
    style: c.kind === 'datetime' ? { numFmt: 'yyyy-mm-dd hh:mm' } : {},
  }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F2F5' } };
  head.commit();
  let done = 0;
  for await (const page of opts.pages) {
    for (const row of page) {
      ws.addRow(spec.columns.map((c) => cell(c, row, locale))).commit();
    }
    done += page.length;
    await opts.onRows?.(done);
  }
  ws.commit();
  await wb.commit();
  return done;
}
