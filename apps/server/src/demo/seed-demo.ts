/**
 * Loads the demo data on a fresh database: departments with their heads, staff of every role,
 * categories, customers (three with portal logins) and ~200 tickets over the last 60 days, each
 * played through the real use cases (createTicket, then applyTransition step by step by the right
 * people), so timelines, audit chains and the state machine are genuine.
 *
 * Everything runs in ONE transaction (the use cases nest as savepoints): an interrupted first
 * start leaves nothing half-seeded and the next start seeds again. An advisory lock taken first
 * makes a second instance starting at the same moment wait, then find the data and skip.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { CategoryCreateInput } from '../categories/create-category.js';
import { createCategory } from '../categories/create-category.js';
import type { Role, Transition } from '@closeloop/contract';
import { SYSTEM_ACTOR, scopesForRole, type Actor } from '../auth/actor.js';
import { ADMIN_USERNAME } from '../auth/ensure-admin.js';
import { generatePassword, hashPassword } from '../auth/password.js';
import { appendEvent } from '../audit/append-event.js';
import { findOrCreateCustomer } from '../customers/find-or-create-customer.js';
import { updateCustomer } from '../customers/update-customer.js';
import type { Db, Tx } from '../db/client.js';
import { acceptanceItems, acceptanceRounds, auditEvents, categories, departments, rectMeasures, tickets, users } from '../db/schema.js';
import { rowsOf } from '../db/util.js';
import { createDepartment } from '../people/create-department.js';
import { createUser } from '../people/create-user.js';
import { updateDepartment } from '../people/update-department.js';
import { canSeeTicket } from '../tickets/access.js';
import { applyTransition } from '../tickets/apply-transition.js';
import { createTicket } from '../tickets/create-ticket.js';
import { ticketRowColumns, type TicketRow } from '../tickets/ticket-row.js';
import { recordAcceptanceItem } from '../acceptance/record-item.js';
import { runMeasureCommand } from '../rectification/measure-commands.js';
import { DEMO_CATEGORIES, type CategoryCode } from './categories.js';
import { DEMO_ACCEPTANCE_TEMPLATES } from './acceptance-templates.js';
import { createTemplateItem } from '../acceptance/templates.js';
import { seedDemoRouting } from './routing.js';
import { DEMO_CUSTOMERS } from './catalog.js';
import { DEMO_CUSTOMER_LOGINS, DEMO_DEPARTMENTS, DEMO_STAFF, type DeptCode } from './org.js';
import { planDemoTickets, submitPlanTransition, type DemoStep, type DemoTicketPlan } from './plan-demo-tickets.js';

/** The audit event (chain `system`) that marks a database as seeded. */
export const DEMO_MARKER = 'demo.seeded';
const SEED_LOCK = 'closeloop:demo-seed';
const MEASURE_NOTES = [
  '已完成，现场照片已上传。',
  '已完成，测试记录见附件。',
  '已按计划完成，客户已知悉。',
  '已完成，相关文件已发布。',
];

export interface SeedDemoOptions {
  db: Db;
  log?: FastifyBaseLogger;
  /** "Today" of the demo; tickets spread over the 60 days before it. */
  now?: Date;
  /** How many tickets (default 200). */
  ticketCount?: number;
}

export interface SeedDemoResult {
  /** False when the database already had tickets or demo data: nothing was written. */
  seeded: boolean;
  /** The one password of every demo user, generated now; shown once, stored only hashed. */
  password?: string;
  staff?: { username: string; displayName: string; role: Role }[];
  customerLogins?: string[];
  ticketCount?: number;
}

interface Person {
  id: string;
  actor: Actor;
}

export async function hasDemoMarker(db: Db | Tx): Promise<boolean> {
  const [marker] = await db.select({ id: auditEvents.id }).from(auditEvents)
    .where(and(eq(auditEvents.chain, 'system'), eq(auditEvents.type, DEMO_MARKER))).limit(1);
  return !!marker;
}

/**
 * Not a fresh database: demo data was loaded before, or someone already works in it — tickets,
 * or departments, categories or users beyond `admin` set up with demo data switched off.
 */
async function hasDataOrDemo(db: Db | Tx): Promise<boolean> {
  if (await hasDemoMarker(db)) return true;
  const [row] = rowsOf<{ used: boolean }>(await db.execute(sql`select
    exists (select 1 from ${tickets}) or exists (select 1 from ${departments})
    or exists (select 1 from ${categories})
    or exists (select 1 from ${users} where lower(${users.username}) <> ${ADMIN_USERNAME}) as used`));
  return !!row?.used;
}

export async function seedDemo(opts: SeedDemoOptions): Promise<SeedDemoResult> {
  const { db, log } = opts;
  const now = opts.now ?? new Date();
  if (await hasDataOrDemo(db)) return { seeded: false };

  // Slow and pure work before the transaction: hashing and planning.
  const password = generatePassword(12);
  const passwordHash = await hashPassword(password);
  const plans = planDemoTickets({ now, count: opts.ticketCount ?? 200 });
  const started = Date.now();

  const result = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${SEED_LOCK}))`);
    // Checked again under the lock: another instance may have seeded while we waited.
    if (await hasDataOrDemo(tx)) return null;

    const depts = await seedDepartments(tx);
    const login = { password, passwordHash };
    const people = await seedStaff(tx, depts, login);
    const categoryIds = await seedCategories(tx, depts);
    await seedCustomers(tx, people, login);
    const ctx: PlayContext = { tx, depts, people, categories: categoryIds };
    for (const plan of plans) await playTicket(ctx, plan);
    await seedDemoRouting(tx, { depts, people, categories: categoryIds });

    await appendEvent({
      tx, actor: SYSTEM_ACTOR, chain: 'system', type: DEMO_MARKER, at: now,
      data: {
        departments: DEMO_DEPARTMENTS.length, staff: DEMO_STAFF.length,
        customerLogins: DEMO_CUSTOMER_LOGINS.length, tickets: plans.length,
      },
    });
    return true;
  });
  if (!result) return { seeded: false };
  log?.info({ tickets: plans.length, ms: Date.now() - started }, 'demo data loaded');
  return {
    seeded: true,
    password,
    staff: DEMO_STAFF.map((s) => ({ username: s.username, displayName: s.displayName, role: s.role })),
    customerLogins: DEMO_CUSTOMER_LOGINS.map((l) => l.username),
    ticketCount: plans.length,
  };
}

// The use cases take the database handle; given the transaction they nest as savepoints.
const nested = (tx: Tx) => tx as unknown as Db;

async function seedDepartments(tx: Tx): Promise<Map<DeptCode, string>> {
  const ids = new Map<DeptCode, string>();
  for (const d of DEMO_DEPARTMENTS) {
    const dept = await createDepartment({ db: tx, actor: SYSTEM_ACTOR, input: { name: d.name, code: d.code } });
    ids.set(d.code, dept.id);
  }
  return ids;
}

function actorOf(id: string, role: Role, departmentIds: string[], customerId: string | null = null): Actor {
  return { kind: 'user', userId: id, role, departmentIds, customerId, scopes: scopesForRole(role) };
}

/** The demo users' one password and its hash, made once: hashing is deliberately slow. */
interface DemoLogin {
  password: string;
  passwordHash: string;
}

async function seedStaff(tx: Tx, depts: Map<DeptCode, string>, login: DemoLogin): Promise<Map<string, Person>> {
  const people = new Map<string, Person>();
  for (const s of DEMO_STAFF) {
    const departmentIds = s.departments.map((c) => depts.get(c)!);
    const user = await createUser({
      db: tx, actor: SYSTEM_ACTOR, passwordHash: login.passwordHash,
      input: {
        username: s.username, displayName: s.displayName, role: s.role, password: login.password,
        email: s.email, phone: s.phone, departmentIds,
      },
    });
    people.set(s.username, { id: user.id, actor: actorOf(user.id, s.role, departmentIds) });
    if (s.head) {
      await updateDepartment({ db: tx, actor: SYSTEM_ACTOR, id: departmentIds[0]!, patch: { headUserId: user.id } });
    }
  }
  return people;
}

async function seedCategories(tx: Tx, depts: Map<DeptCode, string>): Promise<Map<CategoryCode, string>> {
  const ids = new Map<CategoryCode, string>();
  for (const c of DEMO_CATEGORIES) {
    const input: CategoryCreateInput = {
      code: c.code, name: c.name, nameEn: c.nameEn, processTemplate: c.processTemplate,
      defaultPriority: c.defaultPriority, customFields: c.customFields, sort: c.sort,
      ...(c.defaultDepartment ? { defaultDepartmentId: depts.get(c.defaultDepartment)! } : {}),
    };
    const category = await createCategory({ db: nested(tx), actor: SYSTEM_ACTOR, input });
    ids.set(c.code, category.id);
    for (const [sort, t] of (DEMO_ACCEPTANCE_TEMPLATES[c.code] ?? []).entries()) {
      await createTemplateItem({ db: nested(tx), actor: SYSTEM_ACTOR, categoryId: category.id, input: { ...t, sort: (sort + 1) * 10 } });
    }
  }
  return ids;
}

/** Customer records with their tier, and the portal logins (added to `people`). */
async function seedCustomers(tx: Tx, people: Map<string, Person>, demoLogin: DemoLogin): Promise<void> {
  const ids: string[] = [];
  for (const c of DEMO_CUSTOMERS) {
    const { customer } = await findOrCreateCustomer({
      tx, actor: SYSTEM_ACTOR, input: { name: c.name, phone: c.phone, ...(c.email ? { email: c.email } : {}) },
    });
    if (c.tier !== 'regular') {
      await updateCustomer({ db: nested(tx), actor: SYSTEM_ACTOR, id: customer.id, input: { tier: c.tier } });
    }
    ids.push(customer.id);
  }
  for (const login of DEMO_CUSTOMER_LOGINS) {
    const c = DEMO_CUSTOMERS[login.customerIndex]!;
    const customerId = ids[login.customerIndex]!;
    const user = await createUser({
      db: tx, actor: SYSTEM_ACTOR, passwordHash: demoLogin.passwordHash,
      input: {
        username: login.username, displayName: c.name, role: 'customer', password: demoLogin.password,
        phone: c.phone, ...(c.email ? { email: c.email } : {}), customerId,
      },
    });
    people.set(login.username, { id: user.id, actor: actorOf(user.id, 'customer', [], customerId) });
  }
}

interface PlayContext {
  tx: Tx;
  depts: Map<DeptCode, string>;
  people: Map<string, Person>;
  categories: Map<CategoryCode, string>;
}

/** Files the ticket as its creator would, then plays its script step by step. */
async function playTicket(ctx: PlayContext, plan: DemoTicketPlan): Promise<void> {
  const { tx } = ctx;
  const creator = plan.creator.kind === 'user' ? person(ctx, plan.creator.username).actor : SYSTEM_ACTOR;
  const { ticket: created } = await createTicket({
    db: nested(tx), actor: creator, now: plan.createdAt,
    input: { ...plan.input, category: ctx.categories.get(plan.category)! },
  });
  let ticket = created;
  let lastAt = plan.createdAt;
  for (const step of plan.steps) {
    ticket = await playStep(ctx, ticket, step, lastAt);
    lastAt = step.at;
  }
  if (ticket.status !== plan.target) {
    // The plan and the lifecycle disagree: a bug in the demo scripts, not in the data.
    throw new Error(`demo ticket ${plan.key} (${plan.caseKey}) ended ${ticket.status}, planned ${plan.target}`);
  }
}

function person(ctx: PlayContext, username: string): Person {
  const p = ctx.people.get(username);
  if (!p) throw new Error(`demo user ${username} is not seeded`);
  return p;
}

async function playStep(ctx: PlayContext, ticket: TicketRow, step: DemoStep, lastAt: Date): Promise<TicketRow> {
  const act = (username: string, transition: Transition, at = step.at) =>
    applyTransition({ db: nested(ctx.tx), actor: person(ctx, username).actor, ticketId: ticket.id, transition, now: at });

  switch (step.kind) {
    case 'route': {
      const departmentId = ctx.depts.get(step.departmentCode)!;
      // Intake already routed it there: the department's handler picks it up by accepting.
      if (ticket.departmentId === departmentId) return ticket;
      return act(step.by, {
        command: 'reassign', departmentId, ownerId: person(ctx, step.owner).id, reason: '按问题类型分派',
      });
    }
    case 'accept':
      return act(step.by, { command: 'accept', ...(step.note ? { note: step.note } : {}) });
    case 'set_waiting':
      return act(step.by, { command: 'set_waiting', waiting: step.waiting, note: step.note });
    case 'escalate':
      return act(step.by, { command: 'escalate', reason: step.reason });
    case 'resolve':
      return act(step.by, { command: 'resolve', resolution: step.resolution });
    case 'submit_plan':
      return act(step.by, submitPlanTransition(step.solution, step.at, (u) => person(ctx, u).id, (c) => ctx.depts.get(c)!));
    case 'reject_plan':
      return act(step.by, { command: 'reject_plan', opinion: step.opinion });
    case 'approve_plan':
      return act(step.by, { command: 'approve_plan', ...(step.opinion ? { opinion: step.opinion } : {}) });
    case 'complete_measures':
      return completeMeasures(ctx, ticket, step, lastAt);
    case 'start_acceptance':
      return act(step.by, { command: 'start_acceptance' });
    case 'pass_acceptance':
      await recordRound(ctx, ticket, step.by, step.at, null);
      return act(step.by, { command: 'pass_acceptance', note: step.note });
    case 'fail_acceptance':
      await recordRound(ctx, ticket, step.by, step.at, step.reason);
      return act(step.by, { command: 'fail_acceptance', reason: step.reason });
    case 'confirm':
      return act(step.by, { command: 'confirm', rating: step.rating, comment: step.comment });
    case 'reopen':
      return act(step.by, { command: 'reopen', reason: step.reason });
    case 'cancel':
      return act(step.by, { command: 'cancel', reason: step.reason });
  }
}

/**
 * Records every item of the open acceptance round: all pass, or — for a failing round — the
 * first measure's item fails with the reason given and the rest pass.
 */
async function recordRound(ctx: PlayContext, ticket: TicketRow, by: string, at: Date, failReason: string | null): Promise<void> {
  const items = await ctx.tx.select({ id: acceptanceItems.id, measureId: acceptanceItems.measureId }).from(acceptanceItems)
    .innerJoin(acceptanceRounds, eq(acceptanceRounds.id, acceptanceItems.roundId))
    .where(and(eq(acceptanceRounds.ticketId, ticket.id), eq(acceptanceRounds.status, 'open')))
    .orderBy(asc(acceptanceItems.seq));
  const failing = failReason ? items.find((i) => i.measureId) ?? items[0] : undefined;
  for (const item of items) {
    const fail = item === failing;
    await recordAcceptanceItem({
      db: nested(ctx.tx), actor: person(ctx, by).actor, ticketId: ticket.id, itemId: item.id, now: at,
      input: { result: fail ? 'fail' : 'pass', evidenceAttachmentIds: [], ...(fail ? { note: failReason! } : {}) },
    });
  }
}

/**
 * Marks open measures done, spread evenly up to the step's time. Each is completed by its owner
 * when that person can reach the ticket (same department); otherwise the ticket owner records it
 * on their behalf.
 */
async function completeMeasures(
  ctx: PlayContext, ticket: TicketRow, step: Extract<DemoStep, { kind: 'complete_measures' }>, lastAt: Date,
): Promise<TicketRow> {
  const open = await ctx.tx.select({ id: rectMeasures.id, ownerId: rectMeasures.ownerId, seq: rectMeasures.seq }).from(rectMeasures)
    .where(and(eq(rectMeasures.ticketId, ticket.id), inArray(rectMeasures.status, ['todo', 'doing'])))
    .orderBy(asc(rectMeasures.seq));
  const todo = step.count === 'all' ? open : open.slice(0, step.count);
  const span = step.at.getTime() - lastAt.getTime();
  for (const [k, m] of todo.entries()) {
    const at = new Date(lastAt.getTime() + Math.floor((span * (k + 1)) / todo.length));
    const byMeasureOwner = [...ctx.people.values()].find((p) => p.id === m.ownerId);
    const actor = byMeasureOwner && canSeeTicket(byMeasureOwner.actor, ticket)
      ? byMeasureOwner.actor
      : [...ctx.people.values()].find((p) => p.id === ticket.ownerId)!.actor;
    await runMeasureCommand({
      db: nested(ctx.tx), actor, ticketId: ticket.id, measureId: m.id, now: at,
      input: { action: 'complete', evidenceAttachmentIds: [], note: MEASURE_NOTES[m.seq % MEASURE_NOTES.length]! },
    });
  }
  const [current] = await ctx.tx.select(ticketRowColumns).from(tickets).where(eq(tickets.id, ticket.id));
  return current!;
}
