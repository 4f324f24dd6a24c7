/** Spreadsheet exports (导出): the background job a large export runs as. */
import { z } from 'zod';
import { zId, zInstant } from './common.js';

export const EXPORT_LISTS = ['tickets', 'measures', 'acceptance', 'approvals', 'knowledge', 'customers'] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];
export const EXPORT_JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;

export const zExportJob = z.object({
  id: zId,
  list: z.enum(EXPORT_LISTS),
  status: z.enum(EXPORT_JOB_STATUSES),
  rowsDone: z.number().int(),
  /** Null when the list cannot count ahead. */
  rowsTotal: z.number().int().nullable(),
  fileName: z.string(),
  /** Set when done: GET it (same session) to download the file. */
  downloadUrl: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: zInstant,
  finishedAt: zInstant.nullable(),
  expiresAt: zInstant,
});
export type ExportJob = z.infer<typeof zExportJob>;
