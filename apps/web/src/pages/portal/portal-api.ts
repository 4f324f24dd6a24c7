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
import { ApiError, client, filesForm, unwrap, type Items } from '../../app/api.js';

/** The portal's calls are public pages: a 401 means "no portal session", not "staff session gone". */
const quiet = { quiet401: true };
const byNumber = (number: string) => ({ path: { number } });

export const portalApi = {
  /** Null when nobody is signed in to the portal (no account, no code session). */
  me: async (): Promise<PortalMe | null> => {
    try {
      return await unwrap(client.GET('/api/v1/portal/me'), quiet);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return null;
      throw err;
    }
  },
  signOut: (): Promise<unknown> => unwrap(client.POST('/api/v1/portal/sign-out'), quiet),
  /** The app session too, for a customer signed in with an account. */
  signOutAccount: (): Promise<unknown> => unwrap(client.POST('/api/v1/auth/logout'), quiet),
  uploadLimits: (): Promise<PortalUploadLimits> => unwrap(client.GET('/api/v1/portal/upload-limits'), quiet),

  requestCode: (body: PortalAccessRequest): Promise<{ accepted: true; expiresInSeconds: number }> =>
    unwrap(client.POST('/api/v1/portal/access/request', { body }), quiet),
  verifyCode: (body: PortalAccessVerify): Promise<PortalMe> => unwrap(client.POST('/api/v1/portal/access/verify', { body }), quiet),

  // The route declares no Idempotency-Key header (the server does not read it yet); sent as before.
  submit: (body: PortalSubmit, idempotencyKey: string): Promise<{ number: string }> =>
    unwrap(client.POST('/api/v1/portal/tickets', { body, headers: { 'Idempotency-Key': idempotencyKey } }), quiet),
  upload: (number: string, files: File[]): Promise<Items<PortalAttachment>> =>
    unwrap(client.POST('/api/v1/portal/tickets/{number}/attachments', {
      params: byNumber(number), body: { file: files }, bodySerializer: filesForm,
    }), quiet),

  tickets: (): Promise<Items<PortalTicketSummary>> => unwrap(client.GET('/api/v1/portal/tickets'), quiet),
  ticket: (number: string): Promise<PortalTicket> =>
    unwrap(client.GET('/api/v1/portal/tickets/{number}', { params: byNumber(number) }), quiet),
  message: (number: string, body: string): Promise<PortalTicket> =>
    unwrap(client.POST('/api/v1/portal/tickets/{number}/messages', { params: byNumber(number), body: { body } }), quiet),
  confirm: (number: string, body: PortalConfirm): Promise<PortalTicket> =>
    unwrap(client.POST('/api/v1/portal/tickets/{number}/confirm', { params: byNumber(number), body }), quiet),
  /** Server-Sent Events (EventSource), not a JSON call: a plain URL. */
  streamUrl: (number: string) => `/api/v1/portal/tickets/${encodeURIComponent(number)}/stream`,
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
