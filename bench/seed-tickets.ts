/**
 * Generates the tickets of bench:seed, a chunk at a time: for ticket i its intake form (Chinese
 * after-sales texts from the demo cases and the intake bench), where it went, how far it got in
 * the lifecycle, the row as the app would have left it, and its hash-chained audit events as the
 * app's commands write them. Pure and deterministic per ticket index, so the chunks can be made
 * in any worker in any order. The search text comes from the app's own `ticketSearchText`.
 */
import type { Channel, Priority, TicketStatus, Urgency } from '@closeloop/contract';
import { eventHash, GENESIS_HASH } from '../apps/server/src/audit/hash.js';
import { CANCEL_REASONS, DEMO_CASES, FEEDBACK, type DemoCase, type DemoSolution } from '../apps/server/src/demo/cases.js';
import { CARRIER_PREFIX, CARRIERS, DEMO_PRODUCTS, type ProductKind } from '../apps/server/src/demo/catalog.js';
import { Rng } from '../apps/server/src/demo/random.js';
import { queryTokens } from '../apps/server/src/search/tokenize.js';
import { ticketSearchText } from '../apps/server/src/tickets/ticket-search-text.js';
import { intakeBody } from './intake-bodies.js';
import {
  BENCH_CATEGORIES, COMMON_WORDS, KNOWN_CUSTOMER_TICKETS, RARE_SERIAL, RARE_TICKETS, RARE_WORDS, TWO_WORDS,
  personName, type BenchCategory,
} from './seed-catalog.js';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

/** Everything a worker needs besides the ticket indices: the ids written before the tickets. */
export interface SeedContext {
  now: number;
  tickets: number;
  customers: number;
  /** Event ids are derived from their time: seconds since this instant (see eventId). */
  eventBaseSec: number;
  departmentIds: Record<string, string>;
  categoryIds: Record<string, string>;
  /** Category code → its form version 1 (tickets point at the version they were created with). */
  formVersionIds: Record<string, string>;
  staff: Array<{ username: string; id: string; role: string; departments: string[]; head: boolean }>;
  customerIds: string[];
  knownCustomerUserId: string;
}

export interface Chunk {
  start: number;
  createdAt: number[];
  numbers: string[];
}

export interface ChunkResult {
  start: number;
  count: number;
  /** JSON arrays of rows keyed by column name, for json_populate_recordset. */
  tickets: string;
  events: string;
  eventCount: number;
  /** Tickets whose search text matches each probe (what a search must find). */
  hits: Record<string, number>;
  open: number;
}

/** Largest ticket count the event id layout holds (22 bits of ticket index). */
export const MAX_TICKETS = 4_000_000;
const TICKET_BITS = 2 ** 22;

/**
 * Audit event ids in time order, as a live system's sequence would hand them out: the second of
 * the event, a bit for the routing event written in the same instant as the intake, then the
 * ticket index. Unique because a ticket's events are at least a second apart; below 10^15, so
 * they pass the activity cursor's check and stay exact as JS numbers.
 */
function eventId(ctx: SeedContext, i: number, at: number, sameInstant: boolean): number {
  const sec = Math.floor(at / SECOND) - ctx.eventBaseSec;
  return (sec * 2 + (sameInstant ? 1 : 0)) * TICKET_BITS + i;
}

// ---- vocabulary --------------------------------------------------------------------------
const CITIES = ['上海', '杭州', '苏州', '南京', '北京', '成都', '武汉', '广州', '深圳', '宁波', '无锡', '合肥', '郑州', '长沙', '西安', '青岛', '厦门', '天津', '福州', '重庆'];
const DEMANDS = ['希望尽快上门处理。', '要求给出书面处理结论。', '希望本周内解决。', '如果修不好要求换新机。', '希望师傅上门前先电话联系。'];
/** A sentence the agent adds; the weights make 异响 and 漏水 common words of the corpus. */
const EXTRAS: ReadonlyArray<readonly [string, number]> = [
  ['机器运行时伴有明显异响。', 8], ['停机后仍能听到轻微异响。', 4], ['底部有漏水痕迹，地面潮湿。', 6],
  ['管路连接处偶尔漏水。', 4], ['外观完好，无磕碰。', 10], ['客户希望尽快处理。', 15], ['使用环境正常，电压稳定。', 10],
  ['家中有老人小孩，请注意安全。', 3], ['此前已报修过一次。', 5], ['', 35],
];
const CHANNELS: ReadonlyArray<readonly [Channel, number]> = [
  ['phone', 30], ['web', 15], ['wechat', 15], ['store', 10], ['email', 15], ['platform', 10], ['api', 5],
];
const MEASURE_NOTES = ['已完成，现场照片已上传。', '已完成，测试记录见附件。', '已按计划完成，客户已知悉。', '已完成，相关文件已发布。'];
const PRODUCT_KINDS = Object.keys(DEMO_PRODUCTS) as ProductKind[];

const fill = (template: string, vars: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
const ymd = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);

const CASES_BY_CATEGORY = new Map<string, DemoCase[]>(BENCH_CATEGORIES.map((c) => [
  c.code, DEMO_CASES.filter((k) => c.cases.includes(k.category)
    && (c.processTemplate === 'quick' ? !!k.resolutions?.length : !!k.solutions?.length)),
]));
const CATEGORY_WEIGHTS = BENCH_CATEGORIES.map((c) => [c, c.weight] as const);

/** The customer of the k-th customer record: deterministic, so workers need only the ids. */
export function customerOf(k: number): { name: string; phone: string; email: string | null; tier: 'vip' | 'potential' | 'regular' } {
  // 48271 is coprime to 10^9: k ↦ tail is a bijection, so no two customers share a phone.
  const tail = String((k * 48271 + 12_345_678) % 1_000_000_000).padStart(9, '0');
  const phone = `1${'35789'[k % 5]}${tail}`;
  const name = k % 7 === 0 ? `${personName(k % 400)}${'华明丽军'[k % 4]}` : personName(k % 400);
  return {
    name,
    phone,
    email: k % 5 < 2 ? `c${k.toString(36)}@mail.example.cn` : null,
    tier: k % 23 === 0 ? 'vip' : k % 11 === 0 ? 'potential' : 'regular',
  };
}

// ---- one ticket --------------------------------------------------------------------------
interface Ev {
  type: string;
  at: number;
  actorId: string | null;
  actorKind: 'user' | 'token' | 'system';
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  data: Record<string, unknown> | null;
  /** The routing event written in the same instant as the intake. */
  sameInstant?: boolean;
}

type Staff = SeedContext['staff'][number];

export class TicketFactory {
  private readonly byDept = new Map<string, { handlers: Staff[]; head: Staff }>();
  private readonly agents: Staff[];
  private readonly verifiers: Staff[];
  private readonly integration: Staff;
  private readonly knownStep: number;
  private readonly rareStep: number;

  constructor(private readonly ctx: SeedContext) {
    for (const [code] of Object.entries(ctx.departmentIds)) {
      const members = ctx.staff.filter((s) => s.departments.includes(code));
      this.byDept.set(code, {
        handlers: members.filter((s) => s.role === 'handler'),
        head: members.find((s) => s.head) ?? ctx.staff.find((s) => s.role === 'admin')!,
      });
    }
    this.agents = ctx.staff.filter((s) => s.role === 'agent' && s.departments.length);
    this.verifiers = ctx.staff.filter((s) => s.role === 'verifier');
    this.integration = ctx.staff.find((s) => s.username === 'bench_integration')!;
    this.knownStep = Math.max(1, Math.floor(ctx.tickets / KNOWN_CUSTOMER_TICKETS));
    this.rareStep = Math.max(1, Math.floor(ctx.tickets / RARE_TICKETS));
  }

  /** Which rare probe (index into RARE_WORDS, or RARE_WORDS.length for the serial) ticket i carries. */
  private rareOf(i: number): number | null {
    const slot = i % this.rareStep;
    for (let w = 0; w <= RARE_WORDS.length; w++) if (slot === (11 + 17 * w) % this.rareStep) return w;
    return null;
  }

  makeChunk(chunk: Chunk): ChunkResult {
    const tickets: unknown[] = [];
    const events: unknown[] = [];
    const hits: Record<string, number> = {};
    const probes = [...COMMON_WORDS, TWO_WORDS, ...RARE_WORDS].map((w) => ({ w, terms: queryTokens(w).terms.map((t) => t.text) }));
    const serialProbe = RARE_SERIAL.toLowerCase();
    let open = 0;
    for (let j = 0; j < chunk.createdAt.length; j++) {
      const i = chunk.start + j;
      const { row, evs } = this.ticket(i, chunk.createdAt[j]!, chunk.numbers[j]!);
      tickets.push(row);
      if (row.closed_at === null && row.status !== 'cancelled') open++;
      const tokens = new Set((row.search_text as string).split(' '));
      for (const p of probes) if (p.terms.every((t) => tokens.has(t))) hits[p.w] = (hits[p.w] ?? 0) + 1;
      for (const t of tokens) {
        if (t.startsWith(serialProbe)) { hits[RARE_SERIAL] = (hits[RARE_SERIAL] ?? 0) + 1; break; }
      }
      const chain = `ticket:${row.id as string}`;
      let prev = GENESIS_HASH;
      evs.forEach((e, k) => {
        const fields = {
          chain, seq: k + 1, ticketId: row.id as string, type: e.type, actorId: e.actorId, actorKind: e.actorKind,
          at: new Date(e.at), before: e.before, after: e.after, data: e.data,
        };
        const hash = eventHash(prev, fields);
        events.push({
          id: eventId(this.ctx, i, e.at, !!e.sameInstant), chain, seq: k + 1, ticket_id: row.id, type: e.type,
          actor_id: e.actorId, actor_kind: e.actorKind, at: fields.at.toISOString(), before: e.before, after: e.after,
          data: e.data, prev_hash: prev, hash,
        });
        prev = hash;
      });
    }
    return {
      start: chunk.start, count: tickets.length, tickets: JSON.stringify(tickets), events: JSON.stringify(events),
      eventCount: events.length, hits, open,
    };
  }

  private ticket(i: number, createdAt: number, number: string): { row: Record<string, unknown>; evs: Ev[] } {
    const { ctx } = this;
    const rng = new Rng((i * 2654435761) ^ 0x5eed);
    const known = i % this.knownStep === 3;
    const customerIndex = known ? 0 : 1 + Math.floor(rng.next() ** 1.15 * (ctx.customers - 1));
    const customer = customerOf(customerIndex);
    const cat = rng.weighted(CATEGORY_WEIGHTS);
    const quick = cat.processTemplate === 'quick';
    const form = this.intakeForm(rng, i, cat, createdAt);

    const rare = this.rareOf(i);
    if (rare !== null && rare < RARE_WORDS.length) {
      form.description += `\n【补充】拆机后发现${RARE_WORDS[rare]}，已拍照留存。`;
    } else if (rare === RARE_WORDS.length) {
      form.product.serial = `${RARE_SERIAL}-${String(i % 1000).padStart(3, '0')}`;
    }

    const priority: Priority = rng.weighted([['P1', 10], ['P2', 30], ['P3', 60]] as const);
    const urgency: Urgency = priority === 'P1' ? 'critical'
      : priority === 'P2' ? (rng.chance(0.7) ? 'high' : 'medium') : (rng.chance(0.6) ? 'medium' : 'low');
    let channel: Channel = known && rng.chance(0.6) ? 'web' : rng.weighted(CHANNELS);
    if (channel === 'email' && !customer.email) channel = 'phone';
    const creator: { id: string | null; kind: Ev['actorKind'] } =
      ['phone', 'store', 'wechat'].includes(channel) ? { id: rng.pick(this.agents).id, kind: 'user' }
        : channel === 'web' && known ? { id: ctx.knownCustomerUserId, kind: 'user' }
          : channel === 'platform' || channel === 'api' ? { id: this.integration.id, kind: 'token' }
            : { id: null, kind: 'system' };

    const target = this.targetStatus(rng, cat, createdAt);
    const departmentCode = rng.weighted(cat.departments);
    const dept = this.byDept.get(departmentCode)!;
    const owner = rng.pick(dept.handlers.length ? dept.handlers : [dept.head]);
    const categoryId = ctx.categoryIds[cat.code]!;
    const departmentId = ctx.departmentIds[departmentCode]!;
    const expectedBy = rng.chance(0.6) ? createdAt + (priority === 'P1' ? 1 : priority === 'P2' ? 3 : 7) * DAY : null;
    const occurredAt = createdAt - rng.int(1, 72) * HOUR;

    const row: Record<string, unknown> = {
      id: uuidV7(createdAt, rng),
      number,
      title: form.title,
      description: form.description,
      scene: form.scene,
      phenomenon: form.phenomenon,
      tried_measures: form.tried,
      read_back_confirmed: channel === 'phone',
      channel,
      status: 'registered',
      priority,
      priority_rank: priority === 'P1' ? 1 : priority === 'P2' ? 2 : 3,
      urgency,
      process_template: cat.processTemplate,
      category_id: categoryId,
      form_version_id: ctx.formVersionIds[cat.code]!,
      customer_id: ctx.customerIds[customerIndex],
      product: form.product,
      occurred_at: iso(occurredAt),
      expected_by: expectedBy === null ? null : iso(expectedBy),
      order_no: form.orderNo,
      custom_fields: form.customFields,
      department_id: null,
      owner_id: null,
      created_by_id: creator.id,
      waiting_on_customer: false,
      escalated: false,
      rework_count: 0,
      reopen_count: 0,
      analysis: null,
      plan: null,
      // Who may see the ticket for owning a measure (tickets/access.ts); the legacy plan JSON is not read.
      measure_owner_ids: [] as string[],
      resolution: null,
      acceptance: null,
      feedback: null,
      cancel_reason: null,
      search_text: '',
      first_responded_at: null,
      resolved_at: null,
      closed_at: null,
      created_at: iso(createdAt),
      updated_at: iso(createdAt),
      version: 1,
    };
    // Built as a variable, not a literal: a search text that also takes the customer's phone and
    // e-mail (issue #6) picks them up without a change here.
    const searchInput = {
      number, title: form.title, description: form.description, scene: form.scene, phenomenon: form.phenomenon,
      triedMeasures: form.tried, customerName: customer.name, customerPhone: customer.phone,
      customerEmail: customer.email, product: form.product, orderNo: form.orderNo,
    };
    row.search_text = ticketSearchText(searchInput);

    const evs: Ev[] = [{
      type: 'ticket.created', at: createdAt, actorId: creator.id, actorKind: creator.kind, before: null, data: null,
      after: {
        number, title: form.title, channel, status: 'registered', priority, urgency, processTemplate: cat.processTemplate,
        categoryId, customerId: row.customer_id, product: form.product, occurredAt: iso(occurredAt),
        expectedBy: row.expected_by, orderNo: form.orderNo, customFields: form.customFields,
      },
    }];
    this.playLifecycle({ rng, row, evs, cat, quick, target, departmentCode, departmentId, owner, createdAt, known, form });
    return { row, evs };
  }

  private targetStatus(rng: Rng, cat: BenchCategory, createdAt: number): TicketStatus {
    const age = (this.ctx.now - createdAt) / DAY;
    const pOpen = age < 2 ? 0.75 : age < 7 ? 0.4 : age < 30 ? 0.15 : age < 90 ? 0.04 : 0.004;
    if (!rng.chance(pOpen)) return rng.chance(0.07) ? 'cancelled' : 'closed';
    const early = age < 1;
    const stages: ReadonlyArray<readonly [TicketStatus, number]> = cat.processTemplate === 'quick'
      ? (early ? [['registered', 3], ['assigned', 4], ['analyzing', 3]] : [['registered', 1], ['assigned', 2], ['analyzing', 4], ['follow_up', 3]])
      : (early ? [['registered', 3], ['assigned', 4], ['analyzing', 3]]
        : [['registered', 1], ['assigned', 2], ['analyzing', 4], ['plan_review', 2], ['rectifying', 4], ['accepting', 2], ['follow_up', 2]]);
    const s = rng.weighted(stages);
    // A category with a default department routes at intake: never left unrouted.
    return s === 'registered' && cat.defaultDepartment ? 'assigned' : s;
  }

  private intakeForm(rng: Rng, i: number, cat: BenchCategory, createdAt: number) {
    const purchase = createdAt - rng.int(12, 700) * DAY;
    const extra = rng.weighted(EXTRAS);
    const demand = rng.pick(DEMANDS);
    // A quarter of the forms come from the intake bench's generator, the rest from the demo cases.
    if (rng.chance(0.25)) {
      const b = intakeBody('x', i + 1);
      return {
        kase: null as DemoCase | null, vars: {} as Record<string, string>,
        title: b.title,
        description: `${b.description}${extra ? `\n${extra}` : ''}`,
        scene: b.scene ?? null, phenomenon: b.phenomenon ?? null, tried: b.triedMeasures ?? null,
        product: { model: b.product.model, sku: b.product.sku, serial: `SN${ymd(purchase).replaceAll('-', '')}${rng.digits(6)}`, purchaseDate: ymd(purchase) },
        orderNo: b.orderNo ?? null, customFields: {} as Record<string, string>,
      };
    }
    const kase = rng.weighted(CASES_BY_CATEGORY.get(cat.code)!.map((c) => [c, c.weight] as const));
    const kind = rng.pick(kase.products.filter((p) => PRODUCT_KINDS.includes(p)));
    const line = DEMO_PRODUCTS[kind];
    const model = rng.pick(line.models);
    const other = line.models.find((m) => m.model !== model.model) ?? DEMO_PRODUCTS[kind === 'ac' ? 'fridge' : 'ac'].models[0]!;
    const carrier = rng.pick(CARRIERS);
    const vars: Record<string, string> = {
      product: line.name, model: model.model, otherModel: other.model, days: String(rng.int(3, 9)),
      months: String(rng.int(2, 11)), floor: String(rng.int(6, 28)), city: rng.pick(CITIES), n: String(rng.int(12, 480)),
      batch: `B${ymd(purchase).replaceAll('-', '').slice(2)}-${rng.int(1, 9)}`,
      money: String(rng.pick([50, 80, 100, 150, 200, 300, 500])), grams: String(rng.pick([680, 750, 820, 1050])),
      years: rng.pick(['6', '10']), carrier, purchaseDate: ymd(purchase),
      orderNo: rng.chance(0.5) ? `JD${rng.digits(14)}` : `SO${ymd(purchase).replaceAll('-', '')}${rng.digits(6)}`,
    };
    const scene = fill(rng.pick(kase.scenes), vars);
    const phenomenon = fill(rng.pick(kase.phenomena), vars);
    const tried = fill(rng.pick(kase.tried), vars);
    const customFields: Record<string, string> = {};
    if (kase.category === cat.code) {
      for (const [key, options] of Object.entries(kase.fields ?? {})) customFields[key] = fill(rng.pick(options), vars);
      if (cat.code === 'logistics') {
        customFields.carrier = carrier;
        customFields.waybillNo = `${CARRIER_PREFIX[carrier]}${rng.digits(12)}`;
      }
    }
    const withOrder = ['logistics', 'return', 'installation', 'platform-order'].includes(cat.code) || rng.chance(0.3);
    return {
      kase, vars,
      title: fill(rng.pick(kase.titles), vars),
      description: `【场景】${scene}\n【现象】${phenomenon}${extra ? extra : ''}\n【已尝试】${tried}\n【客户诉求】${demand}`,
      scene, phenomenon, tried,
      product: { model: model.model, sku: model.sku, serial: `${line.serialPrefix}${ymd(purchase).replaceAll('-', '').slice(2)}${rng.digits(6)}`, purchaseDate: ymd(purchase) },
      orderNo: withOrder ? vars.orderNo! : null,
      customFields,
    };
  }

  /**
   * Plays the ticket from intake to its target status: the events the commands would write and
   * the row they would leave. Gaps between steps are squeezed so the last step is in the past.
   */
  private playLifecycle(p: {
    rng: Rng; row: Record<string, unknown>; evs: Ev[]; cat: BenchCategory; quick: boolean; target: TicketStatus;
    departmentCode: string; departmentId: string; owner: Staff; createdAt: number; known: boolean;
    form: ReturnType<TicketFactory['intakeForm']>;
  }): void {
    const { rng, row, evs, cat, target } = p;
    const ctx = this.ctx;
    const head = this.byDept.get(p.departmentCode)!.head;
    const steps: Array<{ gapH: [number, number]; play: (at: number) => void }> = [];
    const step = (gapH: [number, number], play: (at: number) => void) => steps.push({ gapH, play });
    let status: TicketStatus = 'registered';
    const transition = (at: number, actor: { id: string | null; kind?: Ev['actorKind'] }, command: string,
      to: TicketStatus, changes: Record<string, unknown>, data: Record<string, unknown>) => {
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      if (to !== status) { before.status = status; after.status = to; }
      for (const [k, v] of Object.entries(changes)) {
        const col = snake(k);
        before[k] = row[col] ?? null;
        after[k] = v;
        row[col] = v;
      }
      status = to;
      row.status = to;
      row.updated_at = iso(at);
      row.version = (row.version as number) + 1;
      const empty = Object.keys(after).length === 0;
      evs.push({
        // A lifecycle command, or a full event type of another domain (rectification.measure_completed).
        type: command.includes('.') ? command : `ticket.${command}`, at, actorId: actor.id, actorKind: actor.kind ?? 'user',
        before: empty ? null : before, after: empty ? null : after, data,
      });
    };

    // Intake routing: a default department routes in the same instant, as the system.
    if (cat.defaultDepartment) {
      const defaultId = ctx.departmentIds[cat.defaultDepartment]!;
      evs.push({
        type: 'ticket.assigned', at: p.createdAt, actorId: null, actorKind: 'system', sameInstant: true,
        before: { status: 'registered', departmentId: null, ownerId: null },
        after: { status: 'assigned', departmentId: defaultId, ownerId: null },
        data: { reason: 'category_default', categoryId: ctx.categoryIds[cat.code] },
      });
      status = 'assigned';
      row.status = 'assigned';
      row.department_id = defaultId;
    }
    const cancelAt: TicketStatus | null = target === 'cancelled'
      ? rng.weighted([['registered', 3], ['assigned', 3], ['analyzing', 2]] as const) : null;
    const goal = cancelAt === 'registered' && cat.defaultDepartment ? 'assigned' : cancelAt ?? target;
    const dispatcher = rng.pick(this.agents);
    const reached = (s: TicketStatus) => ORDER.indexOf(goal) >= ORDER.indexOf(s);

    if (reached('assigned') && (row.department_id !== p.departmentId || (!cat.defaultDepartment))) {
      // Dispatched by hand (or moved from the default department to the one that does the work).
      const withOwner = !cat.defaultDepartment || rng.chance(0.6);
      step([0.1, 2], (at) => transition(at, { id: dispatcher.id }, 'reassign', 'assigned',
        { departmentId: p.departmentId, ...(withOwner ? { ownerId: p.owner.id } : {}) },
        { departmentId: p.departmentId, ...(withOwner ? { ownerId: p.owner.id } : {}), reason: '按问题类型分派' }));
    }
    if (reached('analyzing')) {
      step([0.2, 3], (at) => transition(at, { id: p.owner.id }, 'accept', 'analyzing',
        { ...(row.owner_id ? {} : { ownerId: p.owner.id }), firstRespondedAt: iso(at) }, { note: '已受理，正在联系客户了解详情。' }));
      if (goal === 'analyzing' && target !== 'cancelled' && rng.chance(0.2)) {
        step([1, 12], (at) => transition(at, { id: p.owner.id }, 'set_waiting', 'analyzing',
          { waitingOnCustomer: true }, { waiting: true, note: '等待客户补充故障视频和购买凭证。' }));
      }
    }
    const kase = p.form.kase;
    if (p.quick && reached('follow_up')) {
      const options = kase?.resolutions ?? ['已电话解答客户疑问，客户表示明白。'];
      const resolution = fill(rng.pick(options), p.form.vars);
      step([0.5, 20], (at) => transition(at, { id: p.owner.id }, 'resolve', 'follow_up',
        { resolution, resolvedAt: iso(at) }, { resolution }));
    }
    if (!p.quick && reached('plan_review')) {
      const solution = rng.pick(kase?.solutions ?? FALLBACK_SOLUTIONS);
      const measures = solution.measures.map((m) => ({
        action: fill(m.action, p.form.vars), criterion: fill(m.criterion, p.form.vars),
        ownerId: this.measureOwner(rng, m.dept, p.departmentCode, p.owner).id, dueDays: m.dueDays,
      }));
      const analysis = {
        directCause: fill(solution.directCause, p.form.vars), rootCause: fill(solution.rootCause, p.form.vars),
        rootCauseClass: solution.rootCauseClass, fiveWhys: solution.fiveWhys.map((w) => fill(w, p.form.vars)),
        responsibleDepartmentId: ctx.departmentIds[solution.responsible] ?? p.departmentId,
      };
      const summary = fill(solution.summary, p.form.vars);
      step([8, 72], (at) => {
        const input = measures.map((m) => ({ action: m.action, criterion: m.criterion, ownerId: m.ownerId, dueDate: ymd(at + m.dueDays * DAY) }));
        row.analysis = analysis;
        row.plan = { summary, measures: input.map((m) => ({ ...m, done: false, doneAt: null, note: null })) };
        row.measure_owner_ids = [...new Set(input.map((m) => m.ownerId))];
        // Stage documents stay out of before/after; the command input (data) carries them.
        transition(at, { id: p.owner.id }, 'submit_plan', 'plan_review', {}, { analysis, plan: { summary, measures: input } });
      });
      if (reached('rectifying')) {
        step([1, 20], (at) => transition(at, { id: head.id }, 'approve_plan', 'rectifying', {}, { opinion: '同意，按计划执行。' }));
        const done = reached('accepting') ? measures.length : rng.int(0, measures.length - 1);
        for (let index = 0; index < done; index++) {
          step([6, 48], (at) => {
            const plan = row.plan as { measures: Array<{ ownerId: string; done: boolean; doneAt: string | null; note: string | null }> };
            const m = plan.measures[index]!;
            m.done = true;
            m.doneAt = iso(at);
            m.note = MEASURE_NOTES[index % MEASURE_NOTES.length]!;
            transition(at, { id: m.ownerId }, 'rectification.measure_completed', 'rectifying', {}, { seq: index, action: (m as { action?: string }).action ?? null, note: m.note });
          });
        }
      }
      if (reached('accepting')) {
        step([0.5, 6], (at) => transition(at, { id: p.owner.id }, 'start_acceptance', 'accepting', {}, {}));
      }
      if (reached('follow_up')) {
        const verifier = rng.pick(this.verifiers);
        const note = fill(solution.acceptance, p.form.vars);
        step([2, 24], (at) => transition(at, { id: verifier.id }, 'pass_acceptance', 'follow_up',
          { acceptance: { result: 'passed', note, verifierId: verifier.id, at: iso(at) }, resolvedAt: iso(at) }, { note }));
      }
    }
    if (target === 'closed') {
      if (rng.chance(0.3)) {
        step([72, 168], (at) => transition(at, { id: null, kind: 'system' }, 'auto_close', 'closed', { closedAt: iso(at) }, {}));
      } else {
        const rating = rng.weighted([[5, 55], [4, 28], [3, 11], [2, 4], [1, 2]] as const);
        const comment = rating >= 4 ? rng.pick(FEEDBACK.good) : rating === 3 ? rng.pick(FEEDBACK.fair) : rng.pick(FEEDBACK.poor);
        const by = p.known && rng.chance(0.7) ? ctx.knownCustomerUserId : rng.pick(this.agents).id;
        step([4, 72], (at) => transition(at, { id: by }, 'confirm', 'closed',
          { feedback: { rating, comment, at: iso(at) }, closedAt: iso(at) }, { rating, comment }));
      }
    }
    if (target === 'cancelled') {
      const reason = rng.pick(CANCEL_REASONS);
      step([1, 30], (at) => transition(at, { id: goal === 'registered' ? dispatcher.id : head.id }, 'cancel', 'cancelled',
        { cancelReason: reason }, { reason }));
    }

    // Lay the steps out in time, squeezed to end before now; a ticket's events stay >1 s apart.
    const gaps = steps.map((s) => (s.gapH[0] + rng.next() * (s.gapH[1] - s.gapH[0])) * HOUR);
    const total = gaps.reduce((a, b) => a + b, 0);
    const room = Math.max(ctx.now - p.createdAt - 60 * SECOND, steps.length * 2 * SECOND);
    const scale = total > room ? room / total : 1;
    let t = p.createdAt;
    steps.forEach((s, k) => {
      t = Math.floor(t + Math.max(1500, gaps[k]! * scale));
      s.play(t);
    });
  }

  /** A measure's owner: the ticket owner for its own department, else a handler of that one. */
  private measureOwner(rng: Rng, dept: string, ticketDept: string, owner: Staff): Staff {
    if (dept === ticketDept) return owner;
    const d = this.byDept.get(dept);
    return d?.handlers.length ? rng.pick(d.handlers) : owner;
  }
}

const ORDER: readonly TicketStatus[] = [
  'registered', 'assigned', 'analyzing', 'plan_review', 'rectifying', 'accepting', 'follow_up', 'closed',
];

const FALLBACK_SOLUTIONS: readonly DemoSolution[] = DEMO_CASES.flatMap((c) => c.solutions ?? []);

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const iso = (ms: number) => new Date(ms).toISOString();

/** A UUID v7 of the instant (as db/util.ts newId), its random part from the ticket's own PRNG. */
function uuidV7(ms: number, rng: Rng): string {
  const b = Buffer.alloc(16);
  b.writeUIntBE(ms, 0, 6);
  for (let k = 6; k < 16; k++) b[k] = rng.int(0, 255);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
