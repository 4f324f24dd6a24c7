/**
 * Background exports: a row in export_jobs, then the sheet is streamed to a file under
 * <data dir>/exports while rows_done counts up. The work runs in the instance that accepted
 * the request (the file lies on its disk, like attachments on one instance); a job whose
 * instance stopped stays 'running' until it expires and is removed.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, lt } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { ExportJob } from '@closeloop/contract';
import type { Actor } from '../../auth/actor.js';
import type { Db } from '../../db/client.js';
import { exportJobs } from '../../db/schema.js';
import { newId } from '../../db/util.js';
import { notFound } from '../../http/app-error.js';
import type { SheetLocale } from '../labels.js';
import type { ExportRequest, ExportSource } from './lists.js';
import { writeSheet } from './write-sheet.js';

/** A finished file is kept this long. */
const KEEP_MS = 24 * 3600_000;

type JobRow = typeof exportJobs.$inferSelect;

export function exportJobView(row: JobRow): ExportJob {
  return {
    id: row.id, list: row.list as ExportJob['list'], status: row.status, rowsDone: row.rowsDone, rowsTotal: row.rowsTotal,
    fileName: row.fileName, downloadUrl: row.status === 'done' ? `/api/v1/exports/${row.id}/file` : null,
    error: row.error, createdAt: row.createdAt.toISOString(), finishedAt: row.finishedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt.toISOString(),
  };
}

export function exportDir(dataDir: string): string {
  return path.join(dataDir, 'exports');
}

/** Expired jobs and their files go (run whenever a new job starts: cheap, on the expiry index). */
async function removeExpired(db: Db, dir: string, now: Date): Promise<void> {
  const gone = await db.delete(exportJobs).where(lt(exportJobs.expiresAt, now)).returning({ id: exportJobs.id });
  await Promise.all(gone.map((g) => rm(path.join(dir, `${g.id}.xlsx`), { force: true })));
}

/** Records the job and starts it; resolves with the job as it stands (running). */
export async function startExportJob(opts: {
  db: Db; actor: Actor; request: ExportRequest; source: ExportSource<unknown>; locale: SheetLocale;
  fileName: string; total: number | null; dataDir: string; log: FastifyBaseLogger; now?: Date;
}): Promise<{ job: ExportJob; done: Promise<void> }> {
  const { db, source } = opts;
  const now = opts.now ?? new Date();
  const dir = exportDir(opts.dataDir);
  await mkdir(dir, { recursive: true });
  await removeExpired(db, dir, now);
  const id = newId();
  const [row] = await db.insert(exportJobs).values({
    id, ownerId: opts.actor.userId!, list: opts.request.list, params: opts.request.query as Record<string, unknown>,
    locale: opts.locale, status: 'running', rowsTotal: opts.total, fileName: opts.fileName,
    expiresAt: new Date(now.getTime() + KEEP_MS),
  }).returning();

  const file = path.join(dir, `${id}.xlsx`);
  const part = `${file}.part`;
  const done = (async () => {
    try {
      const out = createWriteStream(part);
      const closed = new Promise<void>((resolve, reject) => { out.on('close', resolve); out.on('error', reject); });
      const rows = await writeSheet({
        out, spec: source.spec, locale: opts.locale, pages: source.pages(),
        onRows: async (n) => { await db.update(exportJobs).set({ rowsDone: n }).where(eq(exportJobs.id, id)); },
      });
      await closed;
      await rename(part, file);
      await db.update(exportJobs).set({ status: 'done', rowsDone: rows, rowsTotal: rows, filePath: file, finishedAt: new Date() })
        .where(eq(exportJobs.id, id));
    } catch (err) {
      opts.log.error({ err, exportId: id }, 'export failed');
      await rm(part, { force: true });
      await db.update(exportJobs).set({ status: 'failed', error: (err as Error).message.slice(0, 500), finishedAt: new Date() })
        .where(eq(exportJobs.id, id)).catch(() => undefined);
    }
  })();
  return { job: exportJobView(row!), done };
}

/** The caller's own job; anyone else's answers 404 (ids are not secrets, but exports are). */
export async function getExportJob(db: Db, actor: Actor, id: string): Promise<JobRow> {
  const [row] = await db.select().from(exportJobs)
    .where(and(eq(exportJobs.id, id), eq(exportJobs.ownerId, actor.userId ?? '00000000-0000-0000-0000-000000000000')));
  if (!row) throw notFound('export');
  return row;
}
