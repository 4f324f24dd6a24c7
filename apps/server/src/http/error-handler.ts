/** Turns every error into the one error shape `{ error: { code, message, fields? } }`. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import type { ErrorBody, FieldError } from '@closeloop/contract';
import { AppError } from './app-error.js';
import { databaseFailure } from '../db/database-failure.js';

/** What a 503 tells the client to wait before retrying; the pool reconnects on the next request. */
export const RETRY_AFTER_SECONDS = 2;

// During an outage every request fails the same way: one warning per second is enough.
let lastOutageWarning = 0;
let outageWarningsSkipped = 0;
function warnOutage(req: FastifyRequest, err: Error, kind: string) {
  const now = Date.now();
  if (now - lastOutageWarning < 1_000) {
    outageWarningsSkipped += 1;
    return;
  }
  req.log.warn({ err, kind, alsoFailedSinceLastWarning: outageWarningsSkipped }, 'database unavailable: answered 503');
  lastOutageWarning = now;
  outageWarningsSkipped = 0;
}

function pathOf(instancePath: string, prefix: string | undefined): string {
  const p = instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  const where = prefix === 'querystring' ? 'query' : prefix === 'params' ? 'params' : prefix === 'headers' ? 'headers' : '';
  return where ? (p ? `${where}.${p}` : where) : p;
}

/** 22021 character_not_in_repertoire (NUL), 22P05 untranslatable_character, wrapped by Drizzle or not. */
function isBadTextEncoding(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === '22021' || e.code === '22P05') return true;
  }
  return false;
}

export function zodFields(err: ZodError): FieldError[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, code: i.code }));
}

export function errorHandler(err: FastifyError | AppError | Error, req: FastifyRequest, reply: FastifyReply) {
  let status = 500;
  let body: ErrorBody;
  const failure = err instanceof AppError ? null : databaseFailure(err);
  if (err instanceof AppError) {
    status = err.status;
    body = { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } };
    if (err.headers) reply.headers(err.headers);
  } else if (hasZodFastifySchemaValidationErrors(err)) {
    status = 400;
    const where = (err as unknown as { validationContext?: string }).validationContext;
    const fields = err.validation.map((v) => ({
      path: pathOf(v.instancePath, where),
      message: v.message ?? 'invalid',
      ...(v.keyword ? { code: v.keyword } : {}),
    }));
    const first = fields[0];
    body = {
      error: {
        code: 'VALIDATION_FAILED',
        message: first ? `${first.path || where || 'body'}: ${first.message}` : 'invalid request',
        fields,
      },
    };
  } else if (err instanceof ZodError) {
    status = 400;
    const fields = zodFields(err);
    body = { error: { code: 'VALIDATION_FAILED', message: fields[0] ? `${fields[0].path}: ${fields[0].message}` : 'invalid', fields } };
  } else if ((err as { code?: string }).code === 'ECONNRESET' && err.message === 'aborted') {
    // Node's own error for a client that went away mid-request: nobody will read the answer.
    // (A database socket reset says "read ECONNRESET" and is a 503 below.)
    status = 400;
    req.log.debug({ err }, 'client aborted the request');
    body = { error: { code: 'VALIDATION_FAILED', message: 'request aborted by the client' } };
  } else if (isBadTextEncoding(err)) {
    status = 400;
    body = { error: { code: 'VALIDATION_FAILED', message: 'text must not contain the NUL character (or other bytes that are not UTF-8 text)' } };
  } else if (failure) {
    status = 503;
    reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
    warnOutage(req, err, failure);
    body = {
      error: {
        code: 'DATABASE_UNAVAILABLE',
        message: failure === 'timeout'
          ? 'the database took too long to answer (statement timeout); retry later or narrow the request'
          : failure === 'contention'
            ? 'a concurrent change got in the way and nothing was written; send the same request again'
            : 'the database is unavailable; retry after the Retry-After seconds',
      },
    };
  } else {
    const fe = err as FastifyError;
    const sc = fe.statusCode ?? 500;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.code === 'FST_REQ_FILE_TOO_LARGE' || sc === 413) {
      status = 413;
      body = { error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body too large' } };
    } else if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || sc === 415 || sc === 406) {
      status = 415;
      body = { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: fe.message } };
    } else if (sc === 408) {
      status = 408;
      body = { error: { code: 'REQUEST_TIMEOUT', message: fe.message } };
    } else if (sc === 429) {
      status = 429;
      body = { error: { code: 'RATE_LIMITED', message: fe.message } };
    } else if (sc >= 400 && sc < 500) {
      status = sc === 404 ? 404 : 400;
      body = { error: { code: status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED', message: fe.message } };
    } else {
      req.log.error({ err }, 'unhandled error');
      body = { error: { code: 'INTERNAL', message: 'internal error' } };
    }
  }
  return reply.status(status).send(body);
}
