/**
 * Ticket attachments: photos, videos and documents uploaded at intake or later, listed on the
 * ticket and downloaded in a way that can never run as part of the app (sandboxed, nosniff).
 */
import fsp from 'node:fs/promises';
import type { FastifyRouteSchemaDef, FastifyValidationResult } from 'fastify/types/schema.js';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { zAttachmentList, zId } from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { AppError, invalidField } from '../http/app-error.js';
import { defineRoutes } from '../http/routes.js';
import { addAttachments } from './add-attachments.js';
import { findVisibleTicket } from '../tickets/access.js';
import { listAttachments } from './list-attachments.js';
import { openAttachment } from './open-attachment.js';
import { contentDisposition, sanitizeFilename } from './sanitize-filename.js';
import { malformedMultipart, stageUpload, type StagedFile } from './stage-upload.js';
import { attachmentStorage, stagingDir } from './storage.js';

const zIdParams = z.object({ id: zId });
/** For the OpenAPI document only: the handler streams the parts itself (see uploadValidator). */
const zUploadForm = z.object({
  file: z.array(z.string().meta({ format: 'binary' })).describe('one part per file'),
});
/** The multipart body is never parsed into an object, so only params are validated. */
function uploadValidator<S>(route: FastifyRouteSchemaDef<S>): FastifyValidationResult {
  if (route.httpPart === 'body') return () => ({ value: undefined });
  return validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]);
}
const zDownloadQuery = z.object({ inline: z.enum(['0', '1']).optional() });

export const attachmentRoutes = defineRoutes(async (app, ctx) => {
  const storage = attachmentStorage(ctx.config);
  const tempDir = stagingDir(ctx.config);
  const maxMb = Math.round(ctx.config.maxUploadBytes / (1024 * 1024));

  app.post('/tickets/:id/attachments', {
    validatorCompiler: uploadValidator,
    schema: {
      tags: ['attachments'],
      summary: `Upload files to a ticket: multipart/form-data with one or more "file" parts, each up to ${maxMb} MB`,
      description: 'Accepted by content: JPEG, PNG, GIF, WebP, MP4, MOV, PDF, DOCX, XLSX, PPTX, and UTF-8 text named .txt/.csv/.log.',
      consumes: ['multipart/form-data'],
      body: zUploadForm,
      params: zIdParams,
      response: { 201: zAttachmentList },
    },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, { scope: 'tickets:write' });
    await findVisibleTicket({ db: ctx.db, actor, ticketId: req.params.id });
    if (!req.isMultipart()) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send multipart/form-data with "file" parts');
    }
    const staged: StagedFile[] = [];
    try {
      try {
        for await (const part of req.parts()) {
          if (part.type !== 'file') continue;
          if (part.fieldname !== 'file') throw invalidField(part.fieldname, 'unexpected file part; name file parts "file"');
          const file = await stageUpload({ stream: part.file, filename: sanitizeFilename(part.filename), dir: tempDir });
          staged.push(file);
          if (file.truncated) {
            throw new AppError('PAYLOAD_TOO_LARGE', `file: ${file.filename} is larger than ${maxMb} MB`, [
              { path: 'file', message: `larger than ${maxMb} MB` },
            ]);
          }
        }
      } catch (err) {
        throw malformedMultipart(err) ?? err;
      }
      if (staged.length === 0) throw invalidField('file', 'attach at least one file');
      const items = await addAttachments({ db: ctx.db, storage, actor, ticketId: req.params.id, files: staged });
      return reply.status(201).send({ items });
    } finally {
      // Files moved into storage are no longer here; whatever is left was refused.
      await Promise.allSettled(staged.map((f) => fsp.rm(f.tempPath, { force: true })));
    }
  });

  app.get('/tickets/:id/attachments', {
    schema: {
      tags: ['attachments'],
      summary: "List a ticket's attachments",
      params: zIdParams,
      response: { 200: zAttachmentList },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read' });
    return { items: await listAttachments({ db: ctx.db, actor, ticketId: req.params.id }) };
  });

  app.get('/attachments/:id', {
    schema: {
      tags: ['attachments'],
      summary: 'Download an attachment (inline=1 shows images in the browser)',
      params: zIdParams,
      querystring: zDownloadQuery,
    },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read' });
    const { attachment, stream } = await openAttachment({ db: ctx.db, storage, actor, id: req.params.id });
    // Only images may render in place; everything else is always a download.
    const inline = req.query.inline === '1' && attachment.contentType.startsWith('image/');
    return reply
      .header('Content-Type', attachment.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : attachment.contentType)
      .header('Content-Length', String(attachment.size))
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Disposition', contentDisposition(attachment.filename, inline ? 'inline' : 'attachment'))
      .header('Cache-Control', 'private, max-age=3600')
      .header('Content-Security-Policy', "sandbox; default-src 'none'")
      .send(stream);
  });
});
