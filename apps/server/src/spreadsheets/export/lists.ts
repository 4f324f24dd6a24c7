/**
 * What each exportable list is: who may export it, its columns, and its rows page by page.
 * Every list reads through the same use case as its screen (same filters, same visibility);
 * only the page size differs. Tickets page by the ticket list's keyset cursor, so a 100,000-row
 * export walks the list's sort index in pages of EXPORT_PAGE rows.
 */
import { and, asc, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  APPROVAL_BOXES, ARTICLE_STATUSES, STAFF_ROLES, zTicketListQuery,
  type ApprovalBoxItem, type Article, type TicketListQuery, type TicketSummary,
} from '@closeloop/contract';
import { requireActor, type Actor } from '../../auth/actor.js';
import type { Db } from '../../db/client.js';
import { customers } from '../../db/schema.js';
import { listMyAcceptances } from '../../acceptance/list-my-acceptances.js';
import { approvalBox } from '../../approvals/views.js';
import { listArticles } from '../../knowledge/articles.js';
import { listMyMeasures } from '../../rectification/list-my-measures.js';
import { countTickets } from '../../tickets/count-tickets.js';
import { listTickets } from '../../tickets/list-tickets.js';
import { forbidden } from '../../http/app-error.js';
import { codeLabel } from '../labels.js';
import type { SheetSpec } from './write-sheet.js';

/** Rows per page read from the database while exporting. */
export const EXPORT_PAGE = 1000;

export const zTicketExportQuery = zTicketListQuery.omit({ cursor: true, limit: true });

export const zExportRequest = z.discriminatedUnion('list', [
  z.object({ list: z.literal('tickets'), query: zTicketExportQuery.prefault({}) }),
  z.object({ list: z.literal('measures'), query: z.object({ open: z.enum(['true', 'false']).default('false') }).prefault({}) }),
  z.object({ list: z.literal('acceptance'), query: z.object({}).prefault({}) }),
  z.object({ list: z.literal('approvals'), query: z.object({ box: z.enum(APPROVAL_BOXES).default('todo') }).prefault({}) }),
  z.object({ list: z.literal('knowledge'), query: z.object({ q: z.string().trim().max(200).optional(), status: z.enum(ARTICLE_STATUSES).optional() }).prefault({}) }),
  z.object({ list: z.literal('customers'), query: z.object({}).prefault({}) }),
]).and(z.object({
  locale: z.enum(['zh-CN', 'en-US']).optional(),
  /** true: always a background job (else only when the list is large). */
  async: z.boolean().optional(),
}));
export type ExportRequest = z.infer<typeof zExportRequest>;
export type ExportListName = ExportRequest['list'];

export interface ExportSource<R> {
  spec: SheetSpec<R>;
  /** File name without extension, per locale. */
  fileName: Record<'zh-CN' | 'en-US', string>;
  /** Rows the export will hold (an upper bound is fine), to pick direct vs background and show progress. */
  total(): Promise<number | null>;
  pages(): AsyncIterable<R[]>;
}

const STAFF = { scope: 'tickets:read', roles: STAFF_ROLES } as const;

const ticketSpec: SheetSpec<TicketSummary> = {
  title: { 'zh-CN': '工单', 'en-US': 'Tickets' },
  columns: [
    { key: 'number', width: 20, value: (t) => t.number },
    { key: 'title', width: 36, value: (t) => t.title },
    { key: 'status', width: 10, value: (t, l) => codeLabel('status', t.status, l) },
    { key: 'priority', width: 10, value: (t, l) => codeLabel('priority', t.priority, l) },
    { key: 'urgency', width: 12, value: (t, l) => codeLabel('urgency', t.urgency, l) },
    { key: 'channel', width: 10, value: (t, l) => codeLabel('channel', t.channel, l) },
    { key: 'category', width: 16, value: (t) => t.category.name },
    { key: 'customer', width: 16, value: (t) => t.customer.name },
    { key: 'phone', width: 16, value: (t) => t.customer.phone },
    { key: 'department', width: 14, value: (t) => t.department?.name },
    { key: 'owner', width: 12, value: (t) => t.owner?.displayName },
    { key: 'createdAt', width: 18, kind: 'datetime', value: (t) => t.createdAt },
    { key: 'updatedAt', width: 18, kind: 'datetime', value: (t) => t.updatedAt },
    { key: 'expectedBy', width: 18, kind: 'datetime', value: (t) => t.expectedBy },
    { key: 'slaDueAt', width: 18, kind: 'datetime', value: (t) => t.sla.dueAt },
    { key: 'slaState', width: 10, value: (t, l) => codeLabel('slaState', t.sla.state, l) },
    { key: 'escalated', width: 8, value: (t, l) => codeLabel('bool', String(t.escalated), l) },
  ],
};

function ticketSource(db: Db, actor: Actor, query: z.infer<typeof zTicketExportQuery>): ExportSource<TicketSummary> {
  return {
    spec: ticketSpec,
    fileName: { 'zh-CN': '工单列表', 'en-US': 'tickets' },
    async total() {
      return (await countTickets({ db, actor, query: { ...query, groupBy: 'status' } })).total;
    },
    async *pages() {
      let cursor: string | undefined;
      do {
        const q: TicketListQuery = { ...query, limit: EXPORT_PAGE, cursor };
        const page = await listTickets({ db, actor, query: q });
        if (page.items.length) yield page.items;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },
  };
}

type Measure = Awaited<ReturnType<typeof listMyMeasures>>['items'][number];
const measureSpec: SheetSpec<Measure> = {
  title: { 'zh-CN': '我的整改任务', 'en-US': 'My measures' },
  columns: [
    { key: 'number', width: 20, value: (m) => m.ticket.number },
    { key: 'title', width: 30, value: (m) => m.ticket.title },
    { key: 'action', width: 40, value: (m) => m.action },
    { key: 'measureType', width: 10, value: (m, l) => codeLabel('measureType', m.type, l) },
    { key: 'status', width: 10, value: (m, l) => codeLabel('measureStatus', m.status, l) },
    { key: 'dueDate', width: 12, value: (m) => m.dueDate },
    { key: 'overdue', width: 8, value: (m, l) => codeLabel('bool', String(m.overdue), l) },
    { key: 'ticketStatus', width: 10, value: (m, l) => codeLabel('status', m.ticket.status, l) },
    { key: 'priority', width: 10, value: (m, l) => codeLabel('priority', m.ticket.priority, l) },
  ],
};

type Acceptance = Awaited<ReturnType<typeof listMyAcceptances>>['items'][number];
const acceptanceSpec: SheetSpec<Acceptance> = {
  title: { 'zh-CN': '待我验收', 'en-US': 'Acceptance' },
  columns: [
    { key: 'number', width: 20, value: (a) => a.ticket.number },
    { key: 'title', width: 36, value: (a) => a.ticket.title },
    { key: 'priority', width: 10, value: (a, l) => codeLabel('priority', a.ticket.priority, l) },
    { key: 'round', width: 10, kind: 'number', value: (a) => a.round },
    { key: 'startedAt', width: 18, kind: 'datetime', value: (a) => a.startedAt },
    { key: 'items', width: 8, kind: 'number', value: (a) => a.items },
    { key: 'recorded', width: 8, kind: 'number', value: (a) => a.recorded },
  ],
};

const approvalSpec: SheetSpec<ApprovalBoxItem> = {
  title: { 'zh-CN': '审批', 'en-US': 'Approvals' },
  columns: [
    { key: 'number', width: 20, value: (a) => a.ticketNumber },
    { key: 'title', width: 32, value: (a) => a.ticketTitle },
    { key: 'flow', width: 18, value: (a) => a.definitionName },
    { key: 'node', width: 14, value: (a) => a.nodeName },
    { key: 'taskStatus', width: 10, value: (a, l) => codeLabel('flowStatus', a.taskStatus, l) },
    { key: 'instanceStatus', width: 10, value: (a, l) => codeLabel('flowStatus', a.instanceStatus, l) },
    { key: 'initiator', width: 12, value: (a) => a.initiatorName },
    { key: 'at', width: 18, kind: 'datetime', value: (a) => a.at },
  ],
};

const articleSpec: SheetSpec<Article> = {
  title: { 'zh-CN': '知识库', 'en-US': 'Knowledge' },
  columns: [
    { key: 'title', width: 30, value: (a) => a.title },
    { key: 'problem', width: 40, value: (a) => a.problem },
    { key: 'cause', width: 30, value: (a) => a.cause },
    { key: 'solution', width: 40, value: (a) => a.solution },
    { key: 'models', width: 20, value: (a) => a.models.join('、') },
    { key: 'status', width: 10, value: (a, l) => codeLabel('articleStatus', a.status, l) },
    { key: 'isPublic', width: 8, value: (a, l) => codeLabel('bool', String(a.isPublic), l) },
    { key: 'revision', width: 8, kind: 'number', value: (a) => a.revision },
    { key: 'updatedAt', width: 18, kind: 'datetime', value: (a) => a.updatedAt },
  ],
};

type CustomerRow = typeof customers.$inferSelect;
const customerSpec: SheetSpec<CustomerRow> = {
  title: { 'zh-CN': '客户', 'en-US': 'Customers' },
  columns: [
    { key: 'name', width: 20, value: (c) => c.name },
    { key: 'phone', width: 16, value: (c) => c.phone },
    { key: 'email', width: 24, value: (c) => c.email },
    { key: 'tier', width: 10, value: (c, l) => codeLabel('tier', c.tier, l) },
    { key: 'createdAt', width: 18, kind: 'datetime', value: (c) => c.createdAt },
  ],
};

/** A list of at most one page (the screen's own bound): no background job needed. */
function onePage<R>(spec: SheetSpec<R>, fileName: ExportSource<R>['fileName'], load: () => Promise<R[]>): ExportSource<R> {
  let rows: R[] | undefined;
  return {
    spec, fileName,
    async total() { rows ??= await load(); return rows.length; },
    async *pages() { rows ??= await load(); yield rows; },
  };
}

/** The source of one export request, after checking that the caller may read that list. */
export function exportSource(db: Db, actorOrNull: Actor | null, req: ExportRequest): ExportSource<any> {
  switch (req.list) {
    case 'tickets': {
      const actor = requireActor(actorOrNull, { scope: 'tickets:read' });
      return ticketSource(db, actor, req.query);
    }
    case 'measures': {
      const actor = requireActor(actorOrNull, STAFF);
      return onePage(measureSpec, { 'zh-CN': '我的整改任务', 'en-US': 'my-measures' },
        async () => (await listMyMeasures({ db, actor, query: { open: req.query.open, limit: 200 } })).items);
    }
    case 'acceptance': {
      const actor = requireActor(actorOrNull, STAFF);
      return onePage(acceptanceSpec, { 'zh-CN': '待我验收', 'en-US': 'acceptance' },
        async () => (await listMyAcceptances({ db, actor, limit: 1000 })).items);
    }
    case 'approvals': {
      const actor = requireActor(actorOrNull, STAFF);
      return {
        spec: approvalSpec, fileName: { 'zh-CN': '审批', 'en-US': 'approvals' },
        async total() { return null; },
        async *pages() {
          let cursor: string | undefined;
          do {
            const page = await approvalBox(db, actor, { box: req.query.box, cursor, limit: EXPORT_PAGE });
            if (page.items.length) yield page.items;
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
        },
      };
    }
    case 'knowledge': {
      requireActor(actorOrNull, STAFF);
      return {
        spec: articleSpec, fileName: { 'zh-CN': '知识库', 'en-US': 'knowledge' },
        async total() { return null; },
        async *pages() {
          let cursor: string | undefined;
          do {
            const page = await listArticles({ db, publicOnly: false, q: req.query.q, status: req.query.status, cursor, limit: EXPORT_PAGE });
            if (page.items.length) yield page.items;
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
        },
      };
    }
    case 'customers': {
      const actor = requireActor(actorOrNull, { scope: 'customers:read', roles: STAFF_ROLES });
      if (!actor.userId) throw forbidden('customers export needs a staff login');
      return {
        spec: customerSpec, fileName: { 'zh-CN': '客户', 'en-US': 'customers' },
        async total() {
          const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(customers);
          return Number(r?.n ?? 0);
        },
        // Keyset over the primary key: each page is one index range.
        async *pages() {
          let after: string | undefined;
          for (;;) {
            const rows = await db.select().from(customers).where(after ? and(gt(customers.id, after)) : undefined)
              .orderBy(asc(customers.id)).limit(EXPORT_PAGE);
            if (!rows.length) return;
            yield rows;
            after = rows[rows.length - 1]!.id;
            if (rows.length < EXPORT_PAGE) return;
          }
        },
      };
    }
  }
}
