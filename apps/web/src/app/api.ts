/**
 * The API client: same-origin fetch with the session cookie, JSON in and out, one ApiError that
 * carries the server's error code and field errors, and a hook for "the session is gone".
 */
import type {
  ActivityList, Attachment, Category, Comment, Customer, Department, EmailDeliveryList, EmailDeliveryStatus, Me, Notification,
  NotificationPreferences, NotificationPreferencesUpdate, SlaClock, SlaPolicy, SlaTierTarget, Ticket, TicketCountGroup, TicketCounts,
  TicketCreate, TicketEvent, TicketListQuery, TicketPatch, TicketSummary, Transition, User,
} from '@closeloop/contract';

export interface FieldError { path: string; message: string; code?: string }

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let onUnauthenticated: (() => void) | null = null;
/** Called when a request answers 401 outside the login call: the layout sends the user to login. */
export function setUnauthenticatedHandler(fn: (() => void) | null) {
  onUnauthenticated = fn;
}

type Query = Record<string, string | number | boolean | string[] | undefined | null>;

export function toSearch(query: Query | undefined): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) p.set(k, v.join(','));
    } else {
      p.set(k, String(v));
    }
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Do not treat 401 as an expired session (the login call itself). */
  quiet401?: boolean;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${toSearch(opts.query)}`, {
      method, headers, body, credentials: 'same-origin', signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : 'network error');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; fields?: FieldError[] } } | undefined)?.error;
    const err = new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText, e?.fields ?? []);
    if (res.status === 401 && !opts.quiet401) onUnauthenticated?.();
    throw err;
  }
  return json as T;
}

export interface Page<T> { items: T[]; nextCursor: string | null }
export interface Items<T> { items: T[] }

export type TicketListParams = Partial<Omit<TicketListQuery, 'status' | 'priority' | 'channel' | 'category' | 'department' | 'cf'>> & {
  /** Form-field filters `key:op:value` (forms). */
  cf?: string[];
  status?: string[];
  priority?: string[];
  channel?: string[];
  category?: string[];
  department?: string[];
};

/** The list's filters without paging or sorting, and what to split the count by. */
export type TicketCountsParams = Omit<TicketListParams, 'cursor' | 'limit' | 'sort' | 'order'> & { groupBy?: TicketCountGroup };

/** Typed helpers, one per endpoint the web app uses. */
export const api = {
  login: (username: string, password: string) =>
    request<Me>('POST', '/auth/login', { body: { username, password }, quiet401: true }),
  logout: () => request<unknown>('POST', '/auth/logout', { quiet401: true }),
  me: () => request<Me>('GET', '/me', { quiet401: true }),
  updateMe: (patch: { locale?: 'zh-CN' | 'en-US'; displayName?: string }) => request<Me>('PATCH', '/me', { body: patch }),

  tickets: (q: TicketListParams, signal?: AbortSignal) =>
    request<Page<TicketSummary>>('GET', '/tickets', { query: q as Query, signal }),
  ticketCounts: (q: TicketCountsParams, signal?: AbortSignal) =>
    request<TicketCounts>('GET', '/tickets/counts', { query: q as Query, signal }),
  activity: (q: { limit?: number; before?: string } = {}, signal?: AbortSignal) =>
    request<ActivityList>('GET', '/tickets/activity', { query: q, signal }),
  ticket: (id: string) => request<Ticket>('GET', `/tickets/${encodeURIComponent(id)}`),
  createTicket: (body: TicketCreate, idempotencyKey: string) =>
    request<Ticket>('POST', '/tickets', { body, headers: { 'Idempotency-Key': idempotencyKey } }),
  patchTicket: (id: string, patch: TicketPatch) => request<Ticket>('PATCH', `/tickets/${id}`, { body: patch }),
  transition: (id: string, t: Transition) => request<Ticket>('POST', `/tickets/${id}/transitions`, { body: t }),
  events: (id: string) => request<Items<TicketEvent>>('GET', `/tickets/${id}/events`),
  comments: (id: string) => request<Items<Comment>>('GET', `/tickets/${id}/comments`),
  addComment: (id: string, body: string, visibility: 'public' | 'internal') =>
    request<Comment>('POST', `/tickets/${id}/comments`, { body: { body, visibility } }),
  attachments: (id: string) => request<Items<Attachment>>('GET', `/tickets/${id}/attachments`),
  upload: (id: string, files: File[]) => {
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    return request<Items<Attachment>>('POST', `/tickets/${id}/attachments`, { body: form });
  },

  customers: (q: { phone?: string; email?: string; q?: string }) => request<Items<Customer>>('GET', '/customers', { query: q }),
  customerTickets: (id: string) => request<Page<TicketSummary> | Items<TicketSummary>>('GET', `/customers/${id}/tickets`),

  categories: () => request<Items<Category>>('GET', '/categories'),
  slaPolicies: () => request<Items<SlaPolicy>>('GET', '/sla/policies'),
  createSlaPolicy: (body: unknown) => request<SlaPolicy>('POST', '/sla/policies', { body }),
  updateSlaPolicy: (id: string, body: unknown) => request<SlaPolicy>('PATCH', `/sla/policies/${id}`, { body }),
  slaTierTargets: () => request<Items<SlaTierTarget>>('GET', '/sla/tier-targets'),
  setSlaTierTargets: (items: SlaTierTarget[]) => request<Items<SlaTierTarget>>('PUT', '/sla/tier-targets', { body: { items } }),
  ticketSla: (id: string) => request<Items<SlaClock>>('GET', `/tickets/${id}/sla`),
  createCategory: (body: unknown) => request<Category>('POST', '/categories', { body }),
  updateCategory: (id: string, body: unknown) => request<Category>('PATCH', `/categories/${id}`, { body }),

  users: (q: { role?: string; departmentId?: string; q?: string } = {}) => request<Items<User>>('GET', '/users', { query: q }),
  createUser: (body: unknown) => request<User>('POST', '/users', { body }),
  updateUser: (id: string, body: unknown) => request<User>('PATCH', `/users/${id}`, { body }),

  departments: () => request<Items<Department>>('GET', '/departments'),
  createDepartment: (body: unknown) => request<Department>('POST', '/departments', { body }),
  updateDepartment: (id: string, body: unknown) => request<Department>('PATCH', `/departments/${id}`, { body }),

  notificationPreferences: () => request<NotificationPreferences>('GET', '/me/notification-preferences'),
  updateNotificationPreferences: (body: NotificationPreferencesUpdate) =>
    request<NotificationPreferences>('PUT', '/me/notification-preferences', { body }),
  emailDeliveries: (q: { status?: EmailDeliveryStatus; cursor?: string; limit?: number }) =>
    request<EmailDeliveryList>('GET', '/email-deliveries', { query: q }),

  notifications: (unread?: boolean) =>
    request<Items<Notification> & { unreadCount: number }>('GET', '/notifications', { query: { unread: unread ? 'true' : undefined } }),
  readNotification: (id: string) => request<unknown>('POST', `/notifications/${id}/read`),
  readAllNotifications: () => request<unknown>('POST', '/notifications/read-all'),
};

/** URL of an attachment; `inline` asks the server to let the browser show it (image preview). */
export function attachmentUrl(a: Pick<Attachment, 'id'>, inline = false): string {
  return `/api/v1/attachments/${a.id}${inline ? '?inline=1' : ''}`;
}
