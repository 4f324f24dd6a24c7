/**
 * The customer self-service portal (自助服务) and the live streams. Portal callers are a customer
 * account (the app session of a `customer` login: all own tickets) or a portal session (cookie
 * `closeloop_portal`, from a one-time code or an anonymous submission: ONE ticket). See
 * docs/portal.md.
 */
import fsp from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyRouteSchemaDef, FastifyValidationResult } from 'fastify/types/schema.js';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  zId, zOk, zPortalAccessRequest, zPortalAccessRequested, zPortalAccessVerify, zPortalAttachment, zPortalConfirm,
  zPortalMe, zPortalMessage, zPortalSubmit, zPortalSubmitted, zPortalTicket, zPortalTicketList, zPortalTicketNumber,
  zPortalUploadLimits, type PortalMe,
} from '@closeloop/contract';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { attachments, categories, customers, tickets } from '../db/schema.js';
import { AppError, invalidField, notFound } from '../http/app-error.js';
import { defineRoutes } from '../http/routes.js';
import type { AppContext } from '../http/context.js';
import { ALLOWED_TYPES } from '../attachments/sniff-content-type.js';
import { addAttachments } from '../attachments/add-attachments.js';
import { contentDisposition, sanitizeFilename } from '../attachments/sanitize-filename.js';
import { malformedMultipart, stageUpload, type StagedFile } from '../attachments/stage-upload.js';
import { attachmentStorage, stagingDir } from '../attachments/storage.js';
import { createTicket } from '../tickets/create-ticket.js';
import { addComment } from '../tickets/add-comment.js';
import { applyTransition } from '../tickets/apply-transition.js';
import { findVisibleTicket } from '../tickets/access.js';
import { recordFollowUp } from '../followup/record-follow-up.js';
import {
  CODE_TTL_SECONDS, endPortalSession, openPortalSession, PORTAL_SESSION_MS, requestAccessCode, resolvePortalSession,
  verifyAccessCode,
} from './access-codes.js';
import { listPortalTickets, loadPortalTicket, portalAttachments, reachTicket, toPortalAttachment, type PortalReach } from './customer-view.js';
import { StreamHub } from './stream-hub.js';
import { WindowLimiter } from './window-limiter.js';

export const PORTAL_COOKIE = 'closeloop_portal';
const TAGS = ['portal'];
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_FILES = 10;
const EXTENSIONS = ['.jpg', '.jpeg', '.png', '.gif', '.webp', '.mp4', '.mov', '.pdf', '.docx', '.xlsx', '.pptx', '.txt', '.csv', '.log'];

const zNumberParams = z.object({ number: zPortalTicketNumber });
const zUploadForm = z.object({ file: z.array(z.string().meta({ format: 'binary' })).describe('one part per file') });
function uploadValidator<S>(route: FastifyRouteSchemaDef<S>): FastifyValidationResult {
  if (route.httpPart === 'body') return () => ({ value: undefined });
  return validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]);
}

interface PortalCaller { actor: Actor; reach: PortalReach; kind: PortalMe['kind'] }

function sameOrigin(req: FastifyRequest, baseUrl: string): boolean {
  const raw = req.headers.origin ?? (req.headers.referer ? safeOrigin(req.headers.referer) : undefined);
  if (!raw) return false;
  const o = safeOrigin(raw);
  return !!o && (o === new URL(baseUrl).origin || new URL(o).host === req.headers.host);
}
function safeOrigin(v: string): string | undefined {
  try {
    return new URL(v).origin;
  } catch {
    return undefined;
  }
}

async function portalCaller(ctx: AppContext, req: FastifyRequest): Promise<PortalCaller | null> {
  if (req.actor) {
    if (req.actor.role !== 'customer' || !req.actor.customerId) throw new AppError('FORBIDDEN', 'the portal is for customers; staff use the ticket pages');
    return { actor: req.actor, reach: { customerId: req.actor.customerId, ticketId: null }, kind: 'account' };
  }
  const cookie = req.cookies[PORTAL_COOKIE];
  if (!cookie) return null;
  if (UNSAFE.has(req.method) && !sameOrigin(req, ctx.config.baseUrl)) {
    throw new AppError('CSRF_REJECTED', 'cross-site request refused: Origin is not this app');
  }
  const s = await resolvePortalSession(ctx.db, cookie);
  if (!s) return null;
  const actor: Actor = {
    kind: 'token', userId: null, role: 'customer', departmentIds: [], customerId: s.customerId,
    scopes: ['tickets:read', 'tickets:write'], tokenId: s.id,
  };
  return { actor, reach: { customerId: s.customerId, ticketId: s.ticketId }, kind: 'ticket' };
}

async function requireCaller(ctx: AppContext, req: FastifyRequest): Promise<PortalCaller> {
  const c = await portalCaller(ctx, req);
  if (!c) throw new AppError('UNAUTHENTICATED', 'sign in, or open your ticket with its number and a code');
  return c;
}

function setPortalCookie(ctx: AppContext, reply: FastifyReply, secret: string) {
  reply.setCookie(PORTAL_COOKIE, secret, {
    httpOnly: true, sameSite: 'lax', path: '/api/v1', secure: ctx.config.baseUrl.startsWith('https://'),
    maxAge: Math.floor(PORTAL_SESSION_MS / 1000),
  });
}

/** The category of anonymous submissions: CLOSELOOP_PORTAL_CATEGORY (a code), else the first active one. */
async function portalCategory(ctx: AppContext): Promise<string> {
  const code = process.env.CLOSELOOP_PORTAL_CATEGORY;
  const rows = await ctx.db.select({ id: categories.id, code: categories.code }).from(categories)
    .where(eq(categories.active, true)).orderBy(asc(categories.sort), asc(categories.code));
  const chosen = (code && rows.find((r) => r.code === code)) || rows[0];
  if (!chosen) throw new AppError('CONFLICT', 'the portal has no category to file problems under; ask the administrator');
  return chosen.id;
}

const intOr = (v: string | undefined, d: number) => (v && /^\d+$/.test(v) ? Number(v) : d);

export const portalRoutes = defineRoutes(async (app, ctx) => {
  const storage = attachmentStorage(ctx.config);
  const tempDir = stagingDir(ctx.config);
  const maxMb = Math.round(ctx.config.maxUploadBytes / (1024 * 1024));
  const hub = new StreamHub({
    db: ctx.db, log: ctx.log,
    pollMs: intOr(process.env.CLOSELOOP_STREAM_POLL_MS, 1000),
    heartbeatMs: intOr(process.env.CLOSELOOP_STREAM_HEARTBEAT_MS, 15_000),
    maxStreams: intOr(process.env.CLOSELOOP_MAX_STREAMS, 500),
  });
  app.addHook('preClose', async () => hub.close());
  const verifyLimit = new WindowLimiter(60_000, 20);
  const requestLimit = new WindowLimiter(60_000, 30);
  const submitLimit = new WindowLimiter(3600_000, 10);

  app.get('/portal/upload-limits', {
    schema: { tags: TAGS, summary: 'What files the portal accepts (checked again by content on the server)', response: { 200: zPortalUploadLimits } },
  }, async () => ({
    maxBytes: ctx.config.maxUploadBytes, maxFiles: MAX_FILES, acceptedTypes: [...ALLOWED_TYPES, 'text/plain'], acceptedExtensions: EXTENSIONS,
  }));

  app.post('/portal/access/request', {
    schema: {
      tags: TAGS, summary: 'Send a one-time code to the phone or e-mail on a ticket (always 202: nothing tells whether the number exists)',
      body: zPortalAccessRequest, response: { 202: zPortalAccessRequested },
    },
  }, async (req, reply) => {
    requestLimit.hit(req.ip);
    await requestAccessCode({ db: ctx.db, ticketNumber: req.body.ticketNumber, via: req.body.via, ip: req.ip, log: ctx.log });
    return reply.status(202).send({ accepted: true, expiresInSeconds: CODE_TTL_SECONDS });
  });

  app.post('/portal/access/verify', {
    schema: {
      tags: TAGS, summary: 'Exchange the code for a portal session of that one ticket (cookie closeloop_portal)',
      description: 'Wrong, used, expired or unknown: 401 with fields[0].code invalid_code. Five wrong tries end the code.',
      body: zPortalAccessVerify, response: { 200: zPortalMe },
    },
  }, async (req, reply) => {
    verifyLimit.hit(req.ip);
    const s = await verifyAccessCode({ db: ctx.db, ticketNumber: req.body.ticketNumber, code: req.body.code });
    setPortalCookie(ctx, reply, s.secret);
    const [row] = await ctx.db.select({ number: tickets.number, name: customers.name }).from(tickets)
      .innerJoin(customers, eq(customers.id, tickets.customerId)).where(eq(tickets.id, s.ticketId));
    return { kind: 'ticket' as const, customerName: row!.name, ticketNumber: row!.number };
  });

  app.get('/portal/me', { schema: { tags: TAGS, summary: 'Who the portal caller is', response: { 200: zPortalMe } } }, async (req) => {
    const c = await requireCaller(ctx, req);
    const [cust] = await ctx.db.select({ name: customers.name }).from(customers).where(eq(customers.id, c.reach.customerId));
    const [t] = c.reach.ticketId ? await ctx.db.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, c.reach.ticketId)) : [];
    return { kind: c.kind, customerName: cust?.name ?? '', ticketNumber: t?.number ?? null };
  });

  app.post('/portal/sign-out', { schema: { tags: TAGS, summary: 'End the portal session (code access)', response: { 200: zOk } } }, async (req, reply) => {
    const cookie = req.cookies[PORTAL_COOKIE];
    if (cookie) await endPortalSession(ctx.db, cookie);
    reply.clearCookie(PORTAL_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/api/v1' });
    return { ok: true as const };
  });

  app.post('/portal/tickets', {
    schema: {
      tags: TAGS, summary: 'Submit a problem (场景 / 现象 / 已尝试措施); anonymous submitters get a session for the new ticket',
      body: zPortalSubmit, response: { 201: zPortalSubmitted },
    },
  }, async (req, reply) => {
    const caller = await portalCaller(ctx, req);
    const account = caller?.kind === 'account' ? caller : null;
    const b = req.body;
    if (!account) {
      if (!b.contact) throw invalidField('contact.name', 'give your name and a phone number or e-mail');
      if (!b.contact.phone && !b.contact.email) throw invalidField('contact.phone', 'give a phone number or an e-mail address');
      submitLimit.hit(req.ip);
    }
    const description = [`场景：${b.scene}`, `现象：${b.symptom}`, ...(b.triedSteps ? [`已尝试措施：${b.triedSteps}`] : [])].join('\n');
    const title = b.title || Array.from(b.symptom).slice(0, 60).join('');
    const { ticket } = await createTicket({
      db: ctx.db, actor: account?.actor ?? SYSTEM_ACTOR,
      input: {
        title, description, channel: 'web', urgency: 'medium', occurredAt: new Date().toISOString(),
        category: await portalCategory(ctx),
        customer: account ? { name: '-', phone: '000' } : { name: b.contact!.name, phone: b.contact!.phone, email: b.contact!.email },
        product: { model: b.product.model, ...(b.product.serial ? { serial: b.product.serial } : {}) },
        ...(b.orderNo ? { orderNo: b.orderNo } : {}),
        scene: b.scene, phenomenon: b.symptom, ...(b.triedSteps ? { triedMeasures: b.triedSteps } : {}),
      },
    });
    if (!account) setPortalCookie(ctx, reply, await openPortalSession(ctx.db, ticket.id, ticket.customerId));
    return reply.status(201).send({ number: ticket.number });
  });

  app.post('/portal/tickets/:number/attachments', {
    validatorCompiler: uploadValidator,
    schema: {
      tags: TAGS, summary: `Add photos, videos or documents to the ticket (multipart "file" parts, each up to ${maxMb} MB)`,
      consumes: ['multipart/form-data'], body: zUploadForm, params: zNumberParams,
      response: { 201: z.object({ items: z.array(zPortalAttachment) }) },
    },
  }, async (req, reply) => {
    const c = await requireCaller(ctx, req);
    const ticketId = await reachTicket(ctx.db, c.reach, req.params.number);
    if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send multipart/form-data with "file" parts');
    const staged: StagedFile[] = [];
    try {
      try {
        for await (const part of req.parts()) {
          if (part.type !== 'file') continue;
          if (part.fieldname !== 'file') throw invalidField(part.fieldname, 'unexpected file part; name file parts "file"');
          const file = await stageUpload({ stream: part.file, filename: sanitizeFilename(part.filename), dir: tempDir });
          staged.push(file);
          if (file.truncated) {
            throw new AppError('PAYLOAD_TOO_LARGE', `file: ${file.filename} is larger than ${maxMb} MB`, [{ path: 'file', message: `${file.filename} is larger than ${maxMb} MB` }]);
          }
        }
      } catch (err) {
        throw malformedMultipart(err) ?? err;
      }
      if (staged.length === 0) throw invalidField('file', 'attach at least one file');
      const added = await addAttachments({ db: ctx.db, storage, actor: c.actor, ticketId, files: staged });
      return reply.status(201).send({
        items: added.map((a) => toPortalAttachment({ ...a, createdAt: new Date(a.createdAt) })),
      });
    } finally {
      await Promise.allSettled(staged.map((f) => fsp.rm(f.tempPath, { force: true })));
    }
  });

  app.get('/portal/tickets', { schema: { tags: TAGS, summary: 'My tickets (account: all; code session: the one)', response: { 200: zPortalTicketList } } }, async (req) => {
    const c = await requireCaller(ctx, req);
    return { items: await listPortalTickets(ctx.db, c.reach) };
  });

  app.get('/portal/tickets/:number', {
    schema: { tags: TAGS, summary: 'The customer view of a ticket (404 for a ticket out of reach)', params: zNumberParams, response: { 200: zPortalTicket } },
  }, async (req) => {
    const c = await requireCaller(ctx, req);
    return loadPortalTicket(ctx.db, await reachTicket(ctx.db, c.reach, req.params.number));
  });

  app.post('/portal/tickets/:number/messages', {
    schema: {
      tags: TAGS, summary: 'Write to the service team (a public comment); answers a request for information (clears 待您补充)',
      params: zNumberParams, body: zPortalMessage, response: { 201: zPortalTicket },
    },
  }, async (req, reply) => {
    const c = await requireCaller(ctx, req);
    const ticketId = await reachTicket(ctx.db, c.reach, req.params.number);
    const [t] = await ctx.db.select({ status: tickets.status, waiting: tickets.waitingOnCustomer }).from(tickets).where(eq(tickets.id, ticketId));
    if (t!.status === 'closed' || t!.status === 'cancelled') throw new AppError('INVALID_TRANSITION', 'this ticket is finished; submit a new problem');
    await addComment({ db: ctx.db, actor: c.actor, ticketId, input: { body: req.body.body, visibility: 'public' } });
    if (t!.waiting) {
      // The customer answered: the lifecycle's own set_waiting, by the system on the customer's behalf.
      await applyTransition({ db: ctx.db, actor: SYSTEM_ACTOR, ticketId, transition: { command: 'set_waiting', waiting: false, note: '客户已补充信息' } })
        .catch((err: unknown) => {
          // Someone cleared it or closed the ticket meanwhile: the message is in, nothing else to do.
          if (!(err instanceof AppError && err.code === 'INVALID_TRANSITION')) throw err;
        });
    }
    return reply.status(201).send(await loadPortalTicket(ctx.db, ticketId));
  });

  app.post('/portal/tickets/:number/confirm', {
    schema: {
      tags: TAGS, summary: 'Confirm the fix and rate it (closes), or say it is not solved (reopens)',
      params: zNumberParams, body: zPortalConfirm, response: { 200: zPortalTicket },
    },
  }, async (req) => {
    const c = await requireCaller(ctx, req);
    const ticketId = await reachTicket(ctx.db, c.reach, req.params.number);
    const a = req.body;
    const now = new Date(Math.floor(Date.now()));
    // The follow-up module's answer (as the public link records it): confirm with the rating, or reopen.
    await ctx.db.transaction((tx) => recordFollowUp({
      tx, actor: c.actor, ticketId, now,
      answer: { channel: 'link', solved: a.resolved, rating: a.resolved ? a.rating : null, words: a.comment?.trim() || null },
    }));
    return loadPortalTicket(ctx.db, ticketId);
  });

  app.get('/portal/attachments/:id', {
    schema: { tags: TAGS, summary: 'Download a file of a reachable ticket (inline=1 shows images)', params: z.object({ id: zId }), querystring: z.object({ inline: z.enum(['0', '1']).optional() }) },
  }, async (req, reply) => {
    const c = await requireCaller(ctx, req);
    const [row] = await ctx.db.select({ ticketId: attachments.ticketId }).from(attachments).where(eq(attachments.id, req.params.id));
    if (!row) throw notFound('attachment');
    const [t] = await ctx.db.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, row.ticketId));
    await reachTicket(ctx.db, c.reach, t!.number);
    const [file] = await portalAttachments(ctx.db, row.ticketId, req.params.id);
    if (!file) throw notFound('attachment');
    const inline = req.query.inline === '1' && file.contentType.startsWith('image/');
    return reply
      .header('Content-Type', file.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : file.contentType)
      .header('Content-Length', String(file.size))
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Disposition', contentDisposition(file.filename, inline ? 'inline' : 'attachment'))
      .header('Cache-Control', 'private, max-age=3600')
      .header('Content-Security-Policy', "sandbox; default-src 'none'")
      .send(await storage.open(file.storageKey));
  });

  const lastEventId = (req: FastifyRequest) => {
    const v = req.headers['last-event-id'];
    return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
  };

  app.get('/portal/tickets/:number/stream', {
    schema: { tags: TAGS, summary: 'Live changes of the ticket the customer may see (Server-Sent Events: ready, changed, pings)', params: zNumberParams, produces: ['text/event-stream'] },
  }, async (req, reply) => {
    const c = await requireCaller(ctx, req);
    const ticketId = await reachTicket(ctx.db, c.reach, req.params.number);
    reply.hijack();
    await openOrRefuse(reply, () => hub.open(ticketId, 'customer', reply.raw, lastEventId(req)));
  });

  app.get('/tickets/:id/stream', {
    schema: { tags: ['tickets'], summary: 'Live changes of a ticket for staff (Server-Sent Events; same visibility as the ticket)', params: z.object({ id: zId }), produces: ['text/event-stream'] },
  }, async (req, reply) => {
    const actor = req.actor;
    if (!actor) throw new AppError('UNAUTHENTICATED', 'sign in or send a bearer token');
    if (actor.role === 'customer') throw notFound('ticket');
    await findVisibleTicket({ db: ctx.db, actor, ticketId: req.params.id });
    reply.hijack();
    await openOrRefuse(reply, () => hub.open(req.params.id, 'staff', reply.raw, lastEventId(req)));
  });
});

/** After hijack the error handler no longer answers: a refusal is written here. */
async function openOrRefuse(reply: FastifyReply, open: () => Promise<void>) {
  try {
    await open();
  } catch (err) {
    const e = err instanceof AppError ? err : new AppError('INTERNAL', 'could not open the stream');
    if (!reply.raw.headersSent) {
      reply.raw.writeHead(e.status, { 'content-type': 'application/json; charset=utf-8', ...e.headers });
    }
    reply.raw.end(JSON.stringify({ error: { code: e.code, message: e.message } }));
  }
}
