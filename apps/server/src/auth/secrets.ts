/** Random secrets and their stored form: only a sha256 of a session id or token is kept. */
import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'cl_session';
export const TOKEN_PREFIX = 'clt_';

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
