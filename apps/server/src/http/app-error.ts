/** The one application error: a code from the contract, mapped to an HTTP status in one place. */
import { ERROR_STATUS, type ErrorCode, type FieldError } from '@closeloop/contract';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what = 'resource') => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'not allowed') => new AppError('FORBIDDEN', message);
export const invalidField = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${path}: ${message}`, [{ path, message }]);
