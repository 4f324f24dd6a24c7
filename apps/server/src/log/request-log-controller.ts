/**
 * Fastify's per-request log lines, one per request at debug instead of two at info, so a
 * terminal at the default level shows start-up, warnings and errors, not every request.
 * 5xx errors are still logged at error by the error handler.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const ms = Math.round(reply.elapsedTime * 10) / 10;
    const line = `${request.method} ${request.url} ${reply.statusCode} ${ms} ms`;
    if (error) reply.log.warn({ err: error, status: reply.statusCode, ms }, line);
    else reply.log.debug({ status: reply.statusCode, ms }, line);
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.debug(`no route ${request.method} ${request.url}`);
  }

  override defaultErrorLog(error: Error, _request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) reply.log.error({ err: error }, error.message);
    else reply.log.debug({ err: error }, error.message);
  }
}
