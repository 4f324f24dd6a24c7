/**
 * Builds the Fastify application: security headers, the caller's identity, CSRF protection,
 * the OpenAPI document, the API routes of every domain and the web app's static files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { Actor } from './auth/actor.js';
import { resolveBearer, resolveSession } from './auth/resolve-actor.js';
import { SESSION_COOKIE } from './auth/secrets.js';
import { AppError } from './http/app-error.js';
import { errorHandler, RETRY_AFTER_SECONDS } from './http/error-handler.js';
import { clientErrorHandler } from './http/client-error-handler.js';
import { createLogger } from './log/create-logger.js';
import { RequestLogController } from './log/request-log-controller.js';
import type { AppContext } from './http/context.js';
import type { RouteModule } from './http/routes.js';
import { routeModules } from './http/route-modules.js';
import { registerOpenApiComponents } from './http/openapi-components.js';
import { newId } from './db/util.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export interface BuildOptions {
  config: Config;
  database: Database;
  /** Extra route modules (tests). */
  extraRoutes?: RouteModule[];
  logger?: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
function webDist(): string | null {
  for (const c of [path.resolve(here, '../../web/dist'), path.resolve(here, '../../../web/dist')]) {
    if (fs.existsSync(path.join(c, 'index.html'))) return c;
  }
  return null;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const HEALTH_TIMEOUT_MS = 1_500;

/** `select 1` within the time limit; a query still running then is left to finish on its own. */
async function databaseAnswers(db: Database['db'], timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
  try {
    return await Promise.race([db.execute(sql`select 1`).then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A cookie-authenticated write must come from the app's own origin (or the Host it was sent to). */
function sameOrigin(origin: string, baseUrl: string, host: string | undefined): boolean {
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (o.origin === new URL(baseUrl).origin) return true;
  return !!host && o.host === host;
}

export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config, database } = opts;
  const app = Fastify({
    ...(opts.logger === false ? { logger: false } : { loggerInstance: createLogger(config) as FastifyBaseLogger }),
    // One line per request at debug, so a terminal shows what matters at info.
    logController: new RequestLogController(),
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => newId(),
    trustProxy: config.trustProxy,
    // Slow clients are cut: headers and the whole request must arrive in time, idle keep-alive
    // connections close, and a connection silent in both directions is dropped.
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    http: {
      headersTimeout: config.headersTimeoutMs,
      // Node checks the header/request deadlines on this interval (30 s by default), so a
      // timeout of 10 s would otherwise cut a slow client only after up to 40 s.
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(config.headersTimeoutMs / 4))),
    },
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its CSS-in-JS as <style> elements; scripts stay strictly external.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
    hsts: config.baseUrl.startsWith('https://'),
  });
  await app.register(cookie);
  await app.register(multipart, {
    limits: { fileSize: config.maxUploadBytes, files: 10, fields: 20, fieldSize: 64 * 1024 },
    throwFileSizeLimit: true,
  });

  registerOpenApiComponents();
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'closeloop API',
        version: '1.0.0',
        description: '售后问题整改验收闭环管理 — after-sales issue management. Errors: `{"error":{"code","message","fields"?}}`.',
      },
      servers: [{ url: config.baseUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (clt_…)' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const ctx: AppContext = { db: database.db, dbKind: database.kind, config, log: app.log };

  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const authz = req.headers.authorization;
    if (authz?.startsWith('Bearer ')) {
      req.actor = await resolveBearer(ctx.db, authz);
      return; // bearer requests are not exposed to CSRF
    }
    const sid = req.cookies[SESSION_COOKIE];
    if (!sid) return;
    if (UNSAFE.has(req.method)) {
      const origin = req.headers.origin ?? (req.headers.referer ? new URL(req.headers.referer).origin : undefined);
      if (!origin || !sameOrigin(origin, config.baseUrl, req.headers.host)) {
        throw new AppError('CSRF_REJECTED', 'cross-site request refused: Origin is not this app');
      }
    }
    req.actor = await resolveSession(ctx.db, sid);
  });

  // A load balancer's probe: 503 as soon as the database does not answer `select 1` quickly.
  app.get('/healthz', { schema: { hide: true } }, async (_req, reply) => {
    if (await databaseAnswers(ctx.db, HEALTH_TIMEOUT_MS)) return { ok: true, database: database.kind };
    return reply.status(503).header('Retry-After', String(RETRY_AFTER_SECONDS)).send({ ok: false, database: 'unreachable' });
  });

  await app.register(async (api) => {
    const zapp = api.withTypeProvider<ZodTypeProvider>();
    for (const m of [...routeModules, ...(opts.extraRoutes ?? [])]) await m(zapp, ctx);
  }, { prefix: '/api/v1' });

  const dist = webDist();
  if (dist) {
    await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: false, index: ['index.html'] });
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').send(
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>closeloop</title>' +
        '<h1>售后问题整改验收闭环管理</h1><p>The web app is not built. Run <code>npm run build</code>.</p>' +
        '<p><a href="/api/docs">API docs</a></p></html>'));
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.method === 'GET' && dist && !req.url.startsWith('/api/') && req.headers.accept?.includes('text/html')) {
      return reply.sendFile('index.html'); // client-side routes
    }
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });

  return app;
}
