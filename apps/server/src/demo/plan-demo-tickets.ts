/**
 * Plans the demo tickets: for each one the intake form, who files it, when, and the script of
 * lifecycle steps that brings it to its target status (with plan rejections, reworks and
 * reopens on some). Pure and deterministic: the same seed and `now` give the same plan, so the
 * seeding code only has to play the scripts through the real use cases.
 */
import type { Channel, Priority, TicketCreate, TicketStatus, Transition, Urgency } from '@closeloop/contract';
import { Rng } from './random.js';
import { DEMO_CATEGORIES, type CategoryCode } from './categories.js';
import { CARRIER_PREFIX, CARRIERS, DEMO_CUSTOMERS, DEMO_PRODUCTS, type ProductKind } from './catalog.js';
import {
  CANCEL_REASONS, DEMO_CASES, FEEDBACK, REJECT_OPINIONS, REOPEN_REASONS, type DemoCase, type DemoSolution,
} from './cases.js';
import { DEMO_CUSTOMER_LOGINS, DEMO_STAFF, type DeptCode } from './org.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export type DemoStep =
  /**
   * Dispatch to the department and owner; skipped when intake already routed the ticket to that
   * department (its owner then picks it up by accepting).
   */
  | { kind: 'route'; at: Date; by: string; departmentCode: DeptCode; owner: string }
  | { kind: 'accept'; at: Date; by: string; note?: string }
  | { kind: 'set_waiting'; at: Date; by: string; waiting: boolean; note: string }
  | { kind: 'escalate'; at: Date; by: string; reason: string }
  | { kind: 'resolve'; at: Date; by: string; resolution: string }
  | { kind: 'submit_plan'; at: Date; by: string; solution: PlannedSolution }
  | { kind: 'reject_plan'; at: Date; by: string; opinion: string }
  | { kind: 'approve_plan'; at: Date; by: string; opinion?: string }
  /** Completes measures by index, each by its owner; `all` = every measure not yet done. */
  | { kind: 'complete_measures'; at: Date; count: number | 'all' }
  | { kind: 'start_acceptance'; at: Date; by: string }
  | { kind: 'pass_acceptance'; at: Date; by: string; note: string }
  | { kind: 'fail_acceptance'; at: Date; by: string; reason: string }
  | { kind: 'confirm'; at: Date; by: string; rating: number; comment: string }
  | { kind: 'reopen'; at: Date; by: string; reason: string }
  | { kind: 'cancel'; at: Date; by: string; reason: string };

export interface PlannedMeasure {
  action: string;
  criterion: string;
  /** Username of the one owner. */
  owner: string;
  /** Days after the plan is submitted. */
  dueDays: number;
}

export interface PlannedSolution {
  analysis: {
    directCause: string;
    rootCause: string;
    rootCauseClass: DemoSolution['rootCauseClass'];
    fiveWhys: string[];
    responsibleDepartmentCode: DeptCode;
  };
  summary: string;
  measures: PlannedMeasure[];
}

/** Who files the ticket: a staff member or customer login (by username) or an integration. */
export type DemoCreator = { kind: 'user'; username: string } | { kind: 'system' };

export interface DemoTicketPlan {
  /** Stable name (demo-0001 …) for messages and tests. */
  key: string;
  caseKey: string;
  category: CategoryCode;
  target: TicketStatus;
  createdAt: Date;
  creator: DemoCreator;
  input: Omit<TicketCreate, 'category'>;
  /** Index into DEMO_CUSTOMERS. */
  customerIndex: number;
  steps: DemoStep[];
}

export interface PlanOptions {
  now: Date;
  count?: number;
  seed?: number;
}

const FULL_TARGETS: readonly (readonly [TicketStatus, number])[] = [
  ['registered', 5], ['assigned', 6], ['analyzing', 9], ['plan_review', 7], ['rectifying', 10],
  ['accepting', 7], ['follow_up', 9], ['closed', 41], ['cancelled', 6],
];
const QUICK_TARGETS: readonly (readonly [TicketStatus, number])[] = [
  ['registered', 7], ['assigned', 8], ['analyzing', 10], ['follow_up', 12], ['closed', 56], ['cancelled', 7],
];
/** How long ago (days) a ticket in each target status was filed: closed ones are older. */
const AGE_DAYS: Record<TicketStatus, readonly [number, number]> = {
  registered: [0.05, 1.5], assigned: [0.2, 3], analyzing: [1, 10], plan_review: [2, 12],
  rectifying: [3, 20], accepting: [5, 25], follow_up: [4, 30], closed: [6, 60], cancelled: [1, 60],
};
// Consultations are the everyday bulk of after-sales work; quality faults the bulk of the loop.
const CATEGORY_WEIGHTS: readonly (readonly [CategoryCode, number])[] = [
  ['consult', 55], ['installation', 28], ['quality', 50], ['logistics', 32], ['return', 22], ['software-bug', 22],
];
const CHANNEL_WEIGHTS: readonly (readonly [Channel, number])[] = [
  ['phone', 30], ['web', 15], ['wechat', 15], ['store', 10], ['email', 15], ['platform', 10], ['api', 5],
];
const DEMANDS = ['希望尽快上门处理。', '要求给出书面处理结论。', '希望本周内解决。', '如果修不好要求换新机。', '希望师傅上门前先电话联系。'];

const staffIn = (dept: DeptCode, roles: readonly string[]) =>
  DEMO_STAFF.filter((s) => s.departments.includes(dept) && roles.includes(s.role)).map((s) => s.username);
const headOf = (dept: DeptCode) => DEMO_STAFF.find((s) => s.head && s.departments[0] === dept)!.username;
const AGENTS = staffIn('cs', ['agent']);
const VERIFIERS = DEMO_STAFF.filter((s) => s.role === 'verifier').map((s) => s.username);

/** Who may own a ticket or a measure in a department. */
function ownersOf(dept: DeptCode): string[] {
  const handlers = staffIn(dept, ['handler']);
  return handlers.length ? handlers : [headOf(dept)];
}

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}

/** The calendar date as Chinese staff read it (UTC+8). */
export function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 10);
}
const ymd = shanghaiDate;

export function planDemoTickets(opts: PlanOptions): DemoTicketPlan[] {
  const rng = new Rng(opts.seed ?? 20240601);
  const now = opts.now.getTime();
  const count = opts.count ?? 200;
  // Round-robin among a department's handlers, as a dispatcher would share out work.
  const ownerTurn = new Map<DeptCode, number>();
  const nextOwner = (dept: DeptCode) => {
    const list = ownersOf(dept);
    const i = ownerTurn.get(dept) ?? 0;
    ownerTurn.set(dept, i + 1);
    return list[i % list.length]!;
  };

  const plans: DemoTicketPlan[] = [];
  for (let i = 0; i < count; i++) {
    const intake = planIntake(rng, i, now);
    const { category, cat, kase, target, createdAtMs } = intake;
    const department = kase.route ?? cat.dispatchTo;
    const owner = nextOwner(department);
    const steps = planSteps({
      rng, target, quick: cat.processTemplate === 'quick', kase, department, owner,
      createdAtMs, now, login: intake.login, nextOwner, phenomenon: intake.input.phenomenon!, vars: intake.vars,
    });
    plans.push({
      key: `demo-${String(i + 1).padStart(4, '0')}`,
      caseKey: kase.key,
      category,
      target,
      createdAt: new Date(createdAtMs),
      creator: intake.creator,
      input: intake.input,
      customerIndex: intake.customerIndex,
      steps,
    });
  }
  return plans;
}

/** The intake side of one ticket: what, from whom, through which channel, when. */
function planIntake(rng: Rng, i: number, now: number) {
  const category = rng.weighted(CATEGORY_WEIGHTS);
  const cat = DEMO_CATEGORIES.find((c) => c.code === category)!;
  const cases = DEMO_CASES.filter((c) => c.category === category);
  const kase = rng.weighted(cases.map((c) => [c, c.weight] as const));
  let target = rng.weighted(cat.processTemplate === 'quick' ? QUICK_TARGETS : FULL_TARGETS);
  // A category with a default department routes at intake: its tickets are never left unrouted.
  if (target === 'registered' && cat.defaultDepartment) target = 'assigned';

  // Logins get a handful of tickets each, so the customer portal has something to show.
  const customerIndex = i % 16 < DEMO_CUSTOMER_LOGINS.length && i < 48
    ? DEMO_CUSTOMER_LOGINS[i % 16]!.customerIndex
    : rng.int(0, DEMO_CUSTOMERS.length - 1);
  const customer = DEMO_CUSTOMERS[customerIndex]!;
  const login = DEMO_CUSTOMER_LOGINS.find((l) => l.customerIndex === customerIndex);

  let channel = login && rng.chance(0.6) ? 'web' : rng.weighted(CHANNEL_WEIGHTS);
  if (channel === 'email' && !customer.email) channel = 'phone';
  // Agents type in what came by phone, store or WeChat; the portal (without a login), mail
  // and integrations file by themselves.
  const creator: DemoCreator =
    channel === 'web' && login ? { kind: 'user', username: login.username }
      : ['phone', 'store', 'wechat'].includes(channel) ? { kind: 'user', username: rng.pick(AGENTS) }
        : { kind: 'system' };

  const platform = channel === 'platform' ? rng.pick(['taobao', 'jd', 'pdd'] as const) : null;
  const [minAge, maxAge] = AGE_DAYS[target];
  const createdAtMs = Math.floor(now - (minAge + rng.next() * (maxAge - minAge)) * DAY);

  const kind = rng.pick(kase.products) as ProductKind;
  const line = DEMO_PRODUCTS[kind];
  const model = rng.pick(line.models);
  const other = line.models.find((m) => m.model !== model.model)
    ?? DEMO_PRODUCTS[kind === 'ac' ? 'fridge' : 'ac'].models[0]!;
  const purchase = new Date(createdAtMs - rng.int(12, 700) * DAY);
  const carrier = rng.pick(CARRIERS);
  const vars: Record<string, string> = {
    product: line.name,
    model: model.model,
    otherModel: other.model,
    days: String(rng.int(3, 9)),
    months: String(rng.int(2, 11)),
    floor: String(rng.int(6, 28)),
    city: customer.city,
    n: String(rng.int(12, 480)),
    batch: `B${ymd(purchase).replaceAll('-', '').slice(2)}-${rng.int(1, 9)}`,
    money: String(rng.pick([50, 80, 100, 150, 200, 300, 500])),
    grams: String(rng.pick([680, 750, 820, 1050])),
    years: rng.pick(['6', '10']),
    carrier,
    purchaseDate: ymd(purchase),
    // Orders from platforms carry the platform's own order number.
    orderNo: platform === 'taobao' ? `TB${rng.digits(18)}` : platform === 'jd' ? `JD${rng.digits(14)}`
      : platform === 'pdd' ? `${ymd(purchase).replaceAll('-', '').slice(2)}-${rng.digits(15)}`
        : `SO${ymd(purchase).replaceAll('-', '')}${rng.digits(6)}`,
  };

  const scene = fill(rng.pick(kase.scenes), vars);
  const phenomenon = fill(rng.pick(kase.phenomena), vars);
  const tried = fill(rng.pick(kase.tried), vars);
  const demand = rng.pick(DEMANDS);
  const priority = pickPriority(rng, kase.priority);
  const urgency: Urgency = priority === 'P1' ? 'critical' : rng.pick(kase.urgency);

  const customFields: Record<string, string | number | boolean | null> = {};
  for (const [key, options] of Object.entries(kase.fields ?? {})) customFields[key] = fill(rng.pick(options), vars);
  if (category === 'logistics') {
    const c = (customFields.carrier as (typeof CARRIERS)[number] | undefined) ?? carrier;
    customFields.carrier = c;
    customFields.waybillNo = `${CARRIER_PREFIX[c]}${rng.digits(12)}`;
    vars.carrier = c;
  }
  if (category === 'installation') customFields.installDate = ymd(new Date(purchase.getTime() + rng.int(1, 6) * DAY));

  const input: Omit<TicketCreate, 'category'> = {
    title: fill(rng.pick(kase.titles), vars),
    description: `【场景】${scene}\n【现象】${phenomenon}\n【已尝试】${tried}\n【客户诉求】${demand}`,
    channel,
    customer: {
      name: customer.name,
      phone: customer.phone,
      ...(customer.email ? { email: customer.email } : {}),
      ...(platform ? { externalId: `${platform}:${platform}_${customer.phone.slice(-6)}` } : {}),
    },
    product: {
      model: model.model,
      sku: model.sku,
      serial: `${line.serialPrefix}${ymd(purchase).replaceAll('-', '').slice(2)}${rng.digits(6)}`,
      purchaseDate: vars.purchaseDate!,
    },
    occurredAt: new Date(createdAtMs - rng.int(1, 72) * HOUR).toISOString(),
    urgency,
    expectedBy: new Date(createdAtMs + (priority === 'P1' ? 1 : priority === 'P2' ? 3 : 7) * DAY).toISOString(),
    priority,
    ...(['logistics', 'return', 'installation'].includes(category) || platform || mentionsOrder(kase) || rng.chance(0.3)
      ? { orderNo: vars.orderNo! }
      : {}),
    customFields,
    scene,
    phenomenon,
    triedMeasures: tried,
    ...(channel === 'phone' ? { readBackConfirmed: true } : {}),
  };

  return {
    category, cat, kase, target, customerIndex, login: login?.username, creator, createdAtMs, vars, input,
  };
}

function mentionsOrder(kase: DemoCase): boolean {
  return [...kase.titles, ...kase.phenomena].some((t) => t.includes('{orderNo}'));
}

function pickPriority(rng: Rng, base: Priority): Priority {
  // Rules and people override the category's usual priority now and then.
  if (base === 'P2') return rng.weighted([['P1', 1], ['P2', 7], ['P3', 2]]);
  if (base === 'P3') return rng.weighted([['P2', 2], ['P3', 8]]);
  return base;
}

interface StepContext {
  rng: Rng;
  target: TicketStatus;
  quick: boolean;
  kase: DemoCase;
  vars: Record<string, string>;
  department: DeptCode;
  owner: string;
  createdAtMs: number;
  now: number;
  login: string | undefined;
  nextOwner: (dept: DeptCode) => string;
  phenomenon: string;
}

type Draft = { gapHours: number; make: (at: Date) => DemoStep };

function planSteps(c: StepContext): DemoStep[] {
  const { rng, target } = c;
  const drafts: Draft[] = [];
  const add = (gap: [number, number], make: Draft['make']) =>
    drafts.push({ gapHours: gap[0] + rng.next() * (gap[1] - gap[0]), make });
  const dispatcher = rng.pick(AGENTS);
  const head = headOf(c.department);
  const customerOrAgent = () => (c.login && rng.chance(0.7) ? c.login : rng.pick(AGENTS));

  const cancelAt: TicketStatus | null = target === 'cancelled'
    ? rng.weighted([['registered', 3], ['assigned', 3], ['analyzing', 2]] as const)
    : null;
  const goal = cancelAt ?? target;
  const finish = () => {
    if (cancelAt) {
      const reason = rng.pick(CANCEL_REASONS);
      add([1, 30], (at) => ({ kind: 'cancel', at, by: cancelAt === 'registered' ? dispatcher : head, reason }));
    }
    return layout(c, drafts);
  };

  if (goal === 'registered') return finish();
  add([0.1, 2], (at) => ({ kind: 'route', at, by: dispatcher, departmentCode: c.department, owner: c.owner }));
  if (goal === 'assigned') return finish();
  add([0.2, 3], (at) => ({ kind: 'accept', at, by: c.owner, note: '已受理，正在联系客户了解详情。' }));

  if (c.quick) {
    if (goal === 'analyzing') return finish();
    const resolution = fill(rng.pick(c.kase.resolutions!), c.vars);
    add([0.5, 20], (at) => ({ kind: 'resolve', at, by: c.owner, resolution }));
    if (goal === 'follow_up') return finish();
    add([4, 48], (at) => confirmStep(rng, at, customerOrAgent()));
    return finish();
  }

  // Reopened tickets go round the loop once more before reaching their target.
  const reopen = goal !== 'analyzing' && rng.chance(0.12) ? (goal === 'closed' && rng.chance(0.3) ? 'closed' : 'follow_up') : null;
  const cycles = reopen ? 2 : 1;
  const solutions = c.kase.solutions!;
  for (let cycle = 1; cycle <= cycles; cycle++) {
    const last = cycle === cycles;
    if (!last || goal !== 'analyzing') {
      const solution = planSolution(c, solutions[(cycle - 1) % solutions.length]!);
      add([8, 72], (at) => ({ kind: 'submit_plan', at, by: c.owner, solution }));
      if (last && goal === 'plan_review') break;
      if (rng.chance(0.18)) {
        const opinion = rng.pick(REJECT_OPINIONS);
        add([2, 24], (at) => ({ kind: 'reject_plan', at, by: head, opinion }));
        add([4, 30], (at) => ({ kind: 'submit_plan', at, by: c.owner, solution }));
        if (last && goal === 'plan_review') break;
      }
      add([1, 20], (at) => ({ kind: 'approve_plan', at, by: head, opinion: '同意，按计划执行。' }));
      if (last && goal === 'rectifying') {
        const done = rng.int(0, solution.measures.length - 1);
        if (done > 0) add([6, 48], (at) => ({ kind: 'complete_measures', at, count: done }));
        break;
      }
      add([12, 96], (at) => ({ kind: 'complete_measures', at, count: 'all' }));
      add([0.5, 6], (at) => ({ kind: 'start_acceptance', at, by: c.owner }));
      if (last && goal === 'accepting') break;
      const verifier = rng.pick(VERIFIERS);
      if (rng.chance(0.15)) {
        const reason = fill(solutions[(cycle - 1) % solutions.length]!.failReason, c.vars);
        add([2, 24], (at) => ({ kind: 'fail_acceptance', at, by: verifier, reason }));
        add([12, 72], (at) => ({ kind: 'complete_measures', at, count: 'all' }));
        add([0.5, 6], (at) => ({ kind: 'start_acceptance', at, by: c.owner }));
      }
      const note = fill(solutions[(cycle - 1) % solutions.length]!.acceptance, c.vars);
      add([2, 24], (at) => ({ kind: 'pass_acceptance', at, by: verifier, note }));
      if (last && goal === 'follow_up') break;
      if (!last && reopen === 'follow_up') {
        const reason = fill(rng.pick(REOPEN_REASONS), { phenomenonShort: shortOf(c.phenomenon) });
        add([12, 72], (at) => ({ kind: 'reopen', at, by: customerOrAgent(), reason }));
        continue;
      }
      add([4, 72], (at) => confirmStep(rng, at, customerOrAgent(), !last));
      if (!last && reopen === 'closed') {
        const reason = '客户在保修期内再次报告同一问题，重新打开处理。';
        add([48, 200], (at) => ({ kind: 'reopen', at, by: rng.pick(AGENTS), reason }));
      }
    }
  }
  if (goal === 'analyzing' && rng.chance(0.35)) {
    add([1, 12], (at) => ({ kind: 'set_waiting', at, by: c.owner, waiting: true, note: '等待客户补充故障视频和购买凭证。' }));
  }
  if (['analyzing', 'rectifying', 'plan_review'].includes(goal) && rng.chance(0.1)) {
    add([24, 72], (at) => ({ kind: 'escalate', at, by: head, reason: '处理超时，客户多次催促，升级至主管跟进。' }));
  }
  return finish();
}

function shortOf(phenomenon: string): string {
  return phenomenon.split(/[，。,]/)[0] ?? phenomenon;
}

function confirmStep(rng: Rng, at: Date, by: string, unhappy = false): DemoStep {
  if (unhappy) return { kind: 'confirm', at, by, rating: 3, comment: rng.pick(FEEDBACK.fair) };
  const rating = rng.weighted([[5, 55], [4, 28], [3, 11], [2, 4], [1, 2]] as const);
  const comment = rating >= 4 ? rng.pick(FEEDBACK.good) : rating === 3 ? rng.pick(FEEDBACK.fair) : rng.pick(FEEDBACK.poor);
  return { kind: 'confirm', at, by, rating, comment };
}

function planSolution(c: StepContext, s: DemoSolution): PlannedSolution {
  return {
    analysis: {
      directCause: fill(s.directCause, c.vars),
      rootCause: fill(s.rootCause, c.vars),
      rootCauseClass: s.rootCauseClass,
      fiveWhys: s.fiveWhys.map((w) => fill(w, c.vars)),
      responsibleDepartmentCode: s.responsible,
    },
    summary: fill(s.summary, c.vars),
    measures: s.measures.map((m) => ({
      action: fill(m.action, c.vars),
      criterion: fill(m.criterion, c.vars),
      owner: m.dept === c.department ? c.owner : c.nextOwner(m.dept),
      dueDays: m.dueDays,
    })),
  };
}

/**
 * Gives each step its time: the drafted gaps in order, squeezed when needed so the last step
 * lands before `now` (a ticket filed two days ago cannot have a month of history).
 */
function layout(c: StepContext, drafts: Draft[]): DemoStep[] {
  const total = drafts.reduce((s, d) => s + d.gapHours, 0) * HOUR;
  const room = Math.max(c.now - c.createdAtMs - 10 * 60_000, 60_000);
  const scale = total > room ? room / total : 1;
  let t = c.createdAtMs;
  return drafts.map((d) => {
    t += Math.max(1000, Math.floor(d.gapHours * HOUR * scale));
    return d.make(new Date(t));
  });
}

/**
 * The submit_plan command of a planned solution, with ids for usernames and department codes:
 * causes as verified, the 5-Why strings ("为什么支架晃动？膨胀螺栓松动。") split into why and
 * answer, each measure a corrective one with a yes/no criterion in the case's own words.
 */
export function submitPlanTransition(
  solution: PlannedSolution, at: Date, userId: (username: string) => string, deptId: (code: DeptCode) => string,
): Extract<Transition, { command: 'submit_plan' }> {
  const { analysis, summary, measures } = solution;
  const cause = (text: string) => ({ text, certainty: 'verified' as const, evidenceAttachmentIds: [] });
  return {
    command: 'submit_plan',
    // The case texts were written by people who know the trade: their wording stands.
    acknowledgeWarnings: true,
    analysis: {
      directCause: cause(analysis.directCause),
      rootCause: cause(analysis.rootCause),
      rootCauseClass: analysis.rootCauseClass,
      fiveWhys: analysis.fiveWhys.map((w) => {
        const i = w.indexOf('？');
        return i > 0 && i < w.length - 1 ? { why: w.slice(0, i + 1), answer: w.slice(i + 1) } : { why: '为什么？', answer: w };
      }),
      fishbone: [],
      evidenceAttachmentIds: [],
      responsibleDepartmentId: deptId(analysis.responsibleDepartmentCode),
    },
    plan: {
      summary,
      measures: measures.map((m) => ({
        type: 'corrective' as const, action: m.action, criterion: { kind: 'check' as const, text: m.criterion },
        ownerId: userId(m.owner), dueDate: shanghaiDate(new Date(at.getTime() + m.dueDays * DAY)),
      })),
    },
  };
}
