/**
 * Reads a legacy tracker (.xlsx, or .csv in UTF-8 or GBK) into a header row and data rows of
 * plain values, with each row's number as the spreadsheet shows it (1-based, header included).
 * Merged header cells (a title spanning two columns, "客户信息" over 姓名 / 电话) are filled from
 * their master cell; a two-row header is joined ("客户信息-电话").
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export type RawValue = string | number | Date | boolean | null;

export interface Table {
  headers: string[];
  rows: Array<{ rowNumber: number; values: RawValue[] }>;
}

/** UTF-8 when the bytes decode without a replacement character, else GBK (the Excel default in China). */
export function decodeCsv(bytes: Buffer): { text: string; encoding: 'utf-8' | 'gbk' } {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const utf8 = body.toString('utf8');
  if (!utf8.includes('\uFFFD')) return { text: utf8, encoding: 'utf-8' };
  return { text: iconv.decode(body, 'gbk'), encoding: 'gbk' };
}

/** RFC 4180 fields: quotes, doubled quotes, newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field); out.push(row); row = []; field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); out.push(row); }
  return out;
}

function cellValue(v: ExcelJS.CellValue): RawValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return (v.result as RawValue) ?? null;
    if ('text' in v) return String(v.text);
  }
  return String(v);
}

const isBlank = (v: RawValue) => v === null || (typeof v === 'string' && !v.trim());

export async function readTable(file: { name: string; bytes: Buffer }): Promise<Table & { encoding?: 'utf-8' | 'gbk' }> {
  if (/\.csv$/i.test(file.name)) {
    const { text, encoding } = decodeCsv(file.bytes);
    const lines = parseCsv(text);
    const headers = (lines[0] ?? []).map((h) => h.trim());
    const rows = lines.slice(1).map((values, i) => ({ rowNumber: i + 2, values: values.map((v) => (v === '' ? null : v)) as RawValue[] }))
      .filter((r) => r.values.some((v) => !isBlank(v)));
    return { headers, rows, encoding };
  }
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file.bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return { headers: [], rows: [] };
  const width = ws.columnCount;
  const headerText = (r: number) => Array.from({ length: width }, (_, c) => {
    // A merged cell reads its master's value: the merged title applies to every column it spans.
    const v = cellValue(ws.getCell(r, c + 1).value);
    return v === null ? '' : String(v).trim();
  });
  let headers = headerText(1);
  let first = 2;
  // Two header rows: row 1 holds merged group titles over row 2's names.
  const row1Merged = Array.from({ length: width }, (_, c) => ws.getCell(1, c + 1).isMerged).some(Boolean);
  if (row1Merged && ws.rowCount >= 2) {
    const second = headerText(2);
    headers = headers.map((h, c) => {
      const sub = second[c] ?? '';
      if (!sub) return h;
      return ws.getCell(1, c + 1).isMerged && h && h !== sub ? `${h}-${sub}` : sub;
    });
    first = 3;
  }
  const rows: Table['rows'] = [];
  for (let r = first; r <= ws.rowCount; r += 1) {
    const values = Array.from({ length: width }, (_, c) => cellValue(ws.getCell(r, c + 1).value));
    if (values.some((v) => !isBlank(v))) rows.push({ rowNumber: r, values });
  }
  return { headers, rows };
}
