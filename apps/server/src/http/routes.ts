/** Route modules: one per domain folder, registered under /api/v1 by app.ts with one helper. */
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from './context.js';

export type ZodApp = FastifyInstance<
  RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider
>;
export type RouteModule = (app: ZodApp, ctx: AppContext) => void | Promise<void>;

export const defineRoutes = (m: RouteModule): RouteModule => m;
