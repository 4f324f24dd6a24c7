/** Spreadsheet routes: export any list (directly or as a background job) and fetch the file. */
import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { zExportJob, zId } from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { contentDisposition } from '../attachments/sanitize-filename.js';
import { AppError, forbidden } from '../http/app-error.js';
import { defineRoutes } from '../http/routes.js';
import { sheetLocale } from './labels.js';
import { exportSource, zExportRequest } from './export/lists.js';
import { exportJobView, getExportJob, startExportJob } from './export/export-jobs.js';
import { writeSheet } from './export/write-sheet.js';

/** Above this many rows an export runs as a background job. */
export const DIRECT_EXPORT_MAX_ROWS = 5000;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 工单列表-20261202-1305.xlsx, in China time. */
function stampedName(base: string, now: Date): string {
  const d = new Date(now.getTime() + 8 * 3600_000).toISOString();
  return `${base}-${d.slice(0, 10).replace(/-/g, '')}-${d.slice(11, 16).replace(':', '')}.xlsx`;
}

export const spreadsheetRoutes = defineRoutes(async (app, ctx) => {
  app.post('/exports', {
    schema: {
      tags: ['spreadsheets'],
      summary: 'Export a list to .xlsx (导出)',
      description: 'Answers the file itself (200, xlsx) for a list of at most '
        + `${DIRECT_EXPORT_MAX_ROWS} rows; a larger list, or \`async: true\`, answers 202 with a background job `
        + '(GET /exports/{id} for progress, its downloadUrl when done). `query` takes the same filters as the list '
        + '(tickets: those of GET /tickets) and the same visibility applies. Headers and labels follow `locale` '
        + '(else Accept-Language; zh-CN by default).',
      body: zExportRequest,
      response: { 200: z.unknown().describe('the .xlsx file (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)'), 202: zExportJob },
    },
  }, async (req, reply) => {
    const request = req.body;
    const source = exportSource(ctx.db, req.actor, request);
    const actor = requireActor(req.actor);
    const locale = sheetLocale(request.locale, req.headers['accept-language']);
    const now = new Date();
    const fileName = stampedName(source.fileName[locale], now);
    const total = await source.total();
    if (request.async || (total ?? 0) > DIRECT_EXPORT_MAX_ROWS) {
      if (!actor.userId) throw forbidden('a background export needs a signed-in user');
      const { job } = await startExportJob({
        db: ctx.db, actor, request, source, locale, fileName, total, dataDir: ctx.config.dataDir, log: ctx.log, now,
      });
      return reply.status(202).send(job);
    }
    const out = new PassThrough();
    writeSheet({ out, spec: source.spec, locale, pages: source.pages() }).catch((err: unknown) => {
      ctx.log.error({ err }, 'export stream failed');
      out.destroy(err as Error);
    });
    return reply.status(200)
      .header('Content-Type', XLSX)
      .header('Content-Disposition', contentDisposition(fileName, 'attachment'))
      .header('Cache-Control', 'no-store')
      .header('X-Export-Rows', String(total ?? ''))
      .send(out);
  });

  app.get('/exports/:id', {
    schema: {
      tags: ['spreadsheets'], summary: 'A background export: status and progress (rows done / total)',
      params: z.object({ id: zId }), response: { 200: zExportJob },
    },
  }, async (req) => {
    const actor = requireActor(req.actor);
    return exportJobView(await getExportJob(ctx.db, actor, req.params.id));
  });

  app.get('/exports/:id/file', {
    schema: { tags: ['spreadsheets'], summary: 'Download a finished export (only its requester)', params: z.object({ id: zId }) },
  }, async (req, reply) => {
    const actor = requireActor(req.actor);
    const row = await getExportJob(ctx.db, actor, req.params.id);
    if (row.status !== 'done' || !row.filePath) throw new AppError('CONFLICT', `the export is ${row.status}, not done`);
    return reply
      .header('Content-Type', XLSX)
      .header('Content-Disposition', contentDisposition(row.fileName, 'attachment'))
      .header('Cache-Control', 'private, no-store')
      .send(createReadStream(row.filePath));
  });
});
