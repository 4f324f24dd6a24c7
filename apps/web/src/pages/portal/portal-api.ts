/**
 * Every call of the customer portal (beside the shared client, app/api.ts). A customer reaches
 * the portal with an account (the ordinary login) or with a ticket number plus a one-time code
 * (a `closeloop_portal` cookie for one ticket); the portal routes answer both with the same
 * customer view, addressed by ticket number. Contract: packages/contract/src/portal.ts.
 */
import type {
  PortalAccessRequest, PortalAccessVerify, PortalAttachment, PortalConfirm, PortalMe, PortalSubmit, PortalTicket,
  PortalTicketSummary, PortalUploadLimits,
} from '@closeloop/contract';
import { ApiError, request, type Items } from '../../app/api.js';

const n = (number: string) => encodeURIComponent(number);

function form(files: File[]): FormData {
  const f = new FormData();
  for (const file of files) f.append('file', file, file.name);
  return f;
}

export const portalApi = {
  /** Null when nobody is signed in to the portal (no account, no code session). */
  me: async (): Promise<PortalMe | null> => {
    try {
      return await request<PortalMe>('GET', '/portal/me', { quiet401: true });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return null;
      throw err;
    }
  },
  signOut: () => request<unknown>('POST', '/portal/sign-out', { quiet401: true }),
  /** The app session too, for a customer signed in with an account. */
  signOutAccount: () => request<unknown>('POST', '/auth/logout', { quiet401: true }),
  uploadLimits: () => request<PortalUploadLimits>('GET', '/portal/upload-limits', { quiet401: true }),

  requestCode: (body: PortalAccessRequest) =>
    request<{ accepted: true; expiresInSeconds: number }>('POST', '/portal/access/request', { body, quiet401: true }),
  verifyCode: (body: PortalAccessVerify) => request<PortalMe>('POST', '/portal/access/verify', { body, quiet401: true }),

  submit: (body: PortalSubmit, idempotencyKey: string) =>
    request<{ number: string }>('POST', '/portal/tickets', { body, headers: { 'Idempotency-Key': idempotencyKey }, quiet401: true }),
  upload: (number: string, files: File[]) =>
    request<Items<PortalAttachment>>('POST', `/portal/tickets/${n(number)}/attachments`, { body: form(files), quiet401: true }),

  tickets: () => request<Items<PortalTicketSummary>>('GET', '/portal/tickets', { quiet401: true }),
  ticket: (number: string) => request<PortalTicket>('GET', `/portal/tickets/${n(number)}`, { quiet401: true }),
  message: (number: string, body: string) =>
    request<PortalTicket>('POST', `/portal/tickets/${n(number)}/messages`, { body: { body }, quiet401: true }),
  confirm: (number: string, body: PortalConfirm) =>
    request<PortalTicket>('POST', `/portal/tickets/${n(number)}/confirm`, { body, quiet401: true }),
  streamUrl: (number: string) => `/api/v1/portal/tickets/${n(number)}/stream`,
  /** The staff ticket page's live stream. */
  staffStreamUrl: (ticketId: string) => `/api/v1/tickets/${encodeURIComponent(ticketId)}/stream`,
};

/** The portal's URL of a ticket (by number, as the customer knows it). */
export const ticketPath = (number: string) => `/portal/tickets/${encodeURIComponent(number)}`;

/**
 * Why a code step failed, for its own words. The server gives one answer for a wrong, used or
 * expired code (nothing leaks); expiry and the five-try limit are known here, so they are said.
 */
export type CodeProblem = 'invalid' | 'expired' | 'tooMany' | 'rateLimited' | 'other';

export function codeProblem(err: unknown, ctx: { expired: boolean; wrongTries: number; maxTries: number }): CodeProblem {
  if (err instanceof ApiError && err.status === 429) return 'rateLimited';
  if (err instanceof ApiError && (err.status === 401 || (err.status === 400 && err.fields.some((f) => f.path === 'code')))) {
    if (ctx.expired) return 'expired';
    if (ctx.wrongTries >= ctx.maxTries) return 'tooMany';
    return 'invalid';
  }
  return 'other';
}
