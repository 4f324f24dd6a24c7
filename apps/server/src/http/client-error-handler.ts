/**
 * Answers what Node's HTTP parser refuses before Fastify sees a request (a broken request line
 * or header, oversized headers, a client too slow to send headers or body) in the one error
 * shape, then closes the connection: such a connection cannot carry another request.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorBody } from '@closeloop/contract';

export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let status = 400;
  let body: ErrorBody = { error: { code: 'VALIDATION_FAILED', message: 'malformed HTTP request' } };
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    body = { error: { code: 'REQUEST_TIMEOUT', message: 'the request (headers and body) did not arrive in time' } };
  } else if (err.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    body = { error: { code: 'PAYLOAD_TOO_LARGE', message: 'request headers too large' } };
  }
  // Answer only on a connection that has carried nothing yet: after an earlier response (keep-
  // alive) another one may be half written, and an answer would corrupt it. Then we just close.
  if (socket.writable && socket.bytesWritten === 0) {
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n`
      + `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}
