/** The spreadsheet export calls (导出): one file so the generated client can replace them at once. */
import type { ExportJob, ExportList } from '@closeloop/contract';
import { ApiError, client, unwrap } from '../../app/api.js';

export interface ExportRequest {
  list: ExportList;
  /** The list's own filters (tickets: the ticket list's current query). */
  query?: Record<string, unknown>;
  locale?: 'zh-CN' | 'en-US';
  async?: boolean;
}

/** Either the file was answered at once (and saved), or a background job was started. */
export type ExportStart = { kind: 'file'; fileName: string } | { kind: 'job'; job: ExportJob };

function fileNameOf(res: Response): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  return m ? decodeURIComponent(m[1]!) : 'export.xlsx';
}

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Not on the typed client: the answer is either the .xlsx file itself (200, saved under the
 * server's file name) or a job (202, JSON), which the client's one `parseAs` cannot tell apart.
 */
export async function startExport(req: ExportRequest): Promise<ExportStart> {
  const query = Object.fromEntries(Object.entries(req.query ?? {}).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)));
  const res = await fetch('/api/v1/exports', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ ...req, query }),
  });
  if (res.status === 202) return { kind: 'job', job: await res.json() as ExportJob };
  if (!res.ok) {
    const e = (await res.json().catch(() => undefined) as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText);
  }
  const name = fileNameOf(res);
  save(await res.blob(), name);
  return { kind: 'file', fileName: name };
}

export const getExportJob = (id: string): Promise<ExportJob> =>
  unwrap(client.GET('/api/v1/exports/{id}', { params: { path: { id } } }));
