/** Error codes of the one error shape `{ error: { code, message, fields? } }`. */
export const ERROR_CODES = [
  'VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'CSRF_REJECTED', 'NOT_FOUND',
  'CONFLICT', 'INVALID_TRANSITION', 'IDEMPOTENCY_MISMATCH', 'UNACKNOWLEDGED_WARNINGS', 'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED', 'REQUEST_TIMEOUT', 'DATABASE_UNAVAILABLE', 'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ERROR_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  IDEMPOTENCY_MISMATCH: 422,
  /** A plan with vague wording submitted without `acknowledgeWarnings: true`; fields list the warnings. */
  UNACKNOWLEDGED_WARNINGS: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  /** The request did not arrive within the server's request or header timeout. */
  REQUEST_TIMEOUT: 408,
  /** The database cannot be reached or took too long; retry after the `Retry-After` seconds. */
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** One entry per invalid field; `path` is dotted (`customer.phone`, `product.model`). */
export interface FieldError { path: string; message: string; code?: string }
export interface ErrorBody { error: { code: ErrorCode; message: string; fields?: FieldError[] } }
