/**
 * Turns API errors into translated text: one message per error code, and per field error a
 * Chinese (or English) sentence chosen from the validation issue's code, not the server's
 * English wording. Pure functions, so they are unit tested.
 */
import type { TFunction } from 'i18next';
import { ApiError, type FieldError } from './api.js';

const KNOWN_CODES = new Set([
  'VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'CSRF_REJECTED', 'NOT_FOUND', 'CONFLICT', 'GONE',
  'INVALID_TRANSITION', 'IDEMPOTENCY_MISMATCH', 'UNACKNOWLEDGED_WARNINGS', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED', 'REQUEST_TIMEOUT', 'DATABASE_UNAVAILABLE', 'INTERNAL', 'NETWORK',
]);

/** Codes whose server message names the specific reason, worth showing next to the translation. */
const WITH_DETAIL = new Set(['INVALID_TRANSITION', 'CONFLICT', 'FORBIDDEN']);

export function errorCode(err: unknown): string {
  if (err instanceof ApiError) return KNOWN_CODES.has(err.code) ? err.code : err.status >= 500 ? 'INTERNAL' : 'UNKNOWN';
  return 'UNKNOWN';
}

export function errorMessage(t: TFunction, err: unknown): string {
  const code = errorCode(err);
  const base = t(`errors.${code}`);
  if (err instanceof ApiError && WITH_DETAIL.has(code) && err.message) return `${base}${t('common.colon')}${err.message}`;
  if (err instanceof ApiError && code === 'VALIDATION_FAILED' && err.fields[0]) {
    const f = err.fields[0];
    const key = `field.${fieldLabelKey(f.path)}`;
    const label = f.path ? (t(key) !== key ? t(key) : f.path) : '';
    return `${base}${t('common.colon')}${label ? `${label} ` : ''}${fieldMessage(t, f)}`;
  }
  return base;
}

/** A field error in words a user understands, from the zod / JSON-schema issue code. */
export function fieldMessage(t: TFunction, f: FieldError): string {
  const msg = f.message ?? '';
  const code = f.code ?? '';
  if (/received undefined|required|must have required/i.test(msg) || (code === 'too_small' && /(>=\s*1 char|at least 1 char|>=1)/i.test(msg))) {
    return t('validation.required');
  }
  if (/at least one of phone, email/i.test(msg)) return t('validation.contactRequired');
  if (/phone/i.test(msg) || (/phone/i.test(f.path) && code === 'invalid_format')) return t('validation.phone');
  if (/email/i.test(msg) || (/email/i.test(f.path) && (code === 'invalid_format' || code === 'invalid_string'))) return t('validation.email');
  switch (code) {
    case 'too_small': return t('validation.tooSmall');
    case 'too_big': return t('validation.tooBig');
    case 'invalid_format':
    case 'invalid_string':
    case 'pattern':
    case 'format': return t('validation.format');
    case 'invalid_type': return t('validation.type');
    case 'invalid_value':
    case 'invalid_enum_value':
    case 'enum': return t('validation.choice');
    default: return t('validation.invalid');
  }
}

/** `customer.name` → ['customer', 'name'], the antd Form name path. */
export function fieldPath(path: string): (string | number)[] {
  return path.split('.').filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** `customer.name` → `customerName`: the translation key of a field's label (`field.customerName`). */
export function fieldLabelKey(path: string): string {
  return path.split('.').filter((p) => p && !/^\d+$/.test(p))
    .map((p, i) => (i ? p.charAt(0).toUpperCase() + p.slice(1) : p)).join('');
}
