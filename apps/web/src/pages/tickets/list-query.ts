/**
 * The ticket list's view (filters + sort) and its URL: the URL alone reproduces the view, so it
 * can be bookmarked, shared or saved as a named filter. Pure functions, unit tested.
 */
import dayjs from 'dayjs';
import { CHANNELS, PRIORITIES, TICKET_STATUSES, type TICKET_SORTS } from '@closeloop/contract';
import type { TicketListParams } from '../../app/api.js';

export type SortKey = (typeof TICKET_SORTS)[number];
/** The contract's sort keys, repeated here so the list does not pull the zod schemas into the bundle. */
const SORTS = ['createdAt', 'updatedAt', 'priority', 'number', 'slaDue'] as const satisfies readonly SortKey[];
/** SLA views (presets 已超时 / 即将超时). */
export const SLA_VIEWS = ['overdue', 'due_soon'] as const;
export type SlaView = (typeof SLA_VIEWS)[number];

export interface ListView {
  q: string;
  status: string[];
  priority: string[];
  channel: string[];
  category: string[];
  department: string[];
  /** Tag ids (any of them). */
  tag: string[];
  /** user id, `me`, `none` or `queue` (待领取) */
  owner: string;
  customer: string;
  /** Shown in the filter; the API only needs the id. */
  customerName: string;
  /** YYYY-MM-DD, local days */
  createdFrom: string;
  createdTo: string;
  open: boolean;
  /** '' = all; otherwise the SLA view. */
  sla: SlaView | '';
  sort: SortKey;
  order: 'asc' | 'desc';
  /** Form-field filters `key:op:value` (forms), meaningful with exactly one category. */
  cf: string[];
}

export const DEFAULT_VIEW: ListView = {
  q: '', status: [], priority: [], channel: [], category: [], department: [], tag: [], owner: '', customer: '',
  customerName: '', createdFrom: '', createdTo: '', open: false, sla: '', sort: 'createdAt', order: 'desc', cf: [],
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const list = (v: string | null, allowed?: readonly string[]) =>
  (v ?? '').split(',').map((s) => s.trim()).filter((s) => s && (!allowed || allowed.includes(s)));

export function parseView(p: URLSearchParams): ListView {
  const sort = p.get('sort');
  const day = (k: string) => {
    const v = p.get(k) ?? '';
    return DAY.test(v) ? v : '';
  };
  return {
    q: (p.get('q') ?? '').slice(0, 100),
    status: list(p.get('status'), TICKET_STATUSES),
    priority: list(p.get('priority'), PRIORITIES),
    channel: list(p.get('channel'), CHANNELS),
    category: list(p.get('category')),
    department: list(p.get('department')),
    tag: list(p.get('tag')),
    owner: p.get('owner') ?? '',
    customer: p.get('customer') ?? '',
    customerName: p.get('customerName') ?? '',
    createdFrom: day('createdFrom'),
    createdTo: day('createdTo'),
    open: p.get('open') === 'true',
    sla: (SLA_VIEWS as readonly string[]).includes(p.get('sla') ?? '') ? (p.get('sla') as SlaView) : '',
    sort: (SORTS as readonly string[]).includes(sort ?? '') ? (sort as SortKey) : 'createdAt',
    order: p.get('order') === 'asc' ? 'asc' : 'desc',
    cf: p.getAll('cf').filter((f) => /^[a-zA-Z][a-zA-Z0-9_]{0,39}:(eq|prefix|range|contains):./.test(f)).slice(0, 8),
  };
}

/** Only what differs from the default goes into the URL, in a stable order. */
export function viewToSearch(v: ListView): string {
  const p = new URLSearchParams();
  if (v.q.trim()) p.set('q', v.q.trim());
  for (const k of ['status', 'priority', 'channel', 'category', 'department', 'tag'] as const) {
    if (v[k].length) p.set(k, v[k].join(','));
  }
  if (v.owner) p.set('owner', v.owner);
  if (v.customer) {
    p.set('customer', v.customer);
    if (v.customerName) p.set('customerName', v.customerName);
  }
  if (v.createdFrom) p.set('createdFrom', v.createdFrom);
  if (v.createdTo) p.set('createdTo', v.createdTo);
  if (v.open) p.set('open', 'true');
  if (v.sla) p.set('sla', v.sla);
  if (v.sort !== 'createdAt') p.set('sort', v.sort);
  if (v.order !== 'desc') p.set('order', v.order);
  for (const f of v.cf) p.append('cf', f);
  return p.toString();
}

/** The GET /tickets query for a view; days become instants with the browser's offset. */
export function viewToQuery(v: ListView): TicketListParams {
  return {
    q: v.q.trim() || undefined,
    // The URL's lists, as the document's enums (the server answers 400 to an unknown value).
    status: v.status as TicketListParams['status'],
    priority: v.priority as TicketListParams['priority'],
    channel: v.channel as TicketListParams['channel'],
    category: v.category,
    department: v.department,
    tag: v.tag,
    owner: (v.owner || undefined) as TicketListParams['owner'],
    customer: v.customer || undefined,
    createdFrom: v.createdFrom ? dayjs(v.createdFrom).startOf('day').format() : undefined,
    createdTo: v.createdTo ? dayjs(v.createdTo).endOf('day').format() : undefined,
    open: v.open ? 'true' : undefined,
    sla: v.sla || undefined,
    sort: v.sort,
    order: v.order,
    cf: v.cf.length && v.category.length === 1 ? v.cf : undefined,
  };
}

export function activeFilterCount(v: ListView): number {
  let n = 0;
  for (const k of ['status', 'priority', 'channel', 'category', 'department', 'tag'] as const) if (v[k].length) n++;
  if (v.owner) n++;
  if (v.customer) n++;
  if (v.createdFrom || v.createdTo) n++;
  if (v.open) n++;
  if (v.cf.length) n += v.cf.length;
  // The SLA view has its own always-visible switch (全部 / 已超时 / 即将超时).
  return n;
}
