/**
 * Access by ticket number + one-time code. A request always answers the same (nothing tells
 * whether the number exists); when it does, a 6-digit code goes to the phone or e-mail on the
 * ticket's customer. The code is stored as an HMAC, lives 10 minutes, dies after 5 wrong tries,
 * works once, and a newer code replaces the older one. Requests are limited per ticket and per
 * address through the table itself, so every instance counts the same rows.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { customers, portalAccessCodes, portalSessions, serverSecrets, tickets } from '../db/schema.js';
import { newId, toNumber } from '../db/util.js';
import { AppError } from '../http/app-error.js';
import { randomSecret, sha256 } from '../auth/secrets.js';
import { enqueueEmail } from '../mail/enqueue-email.js';
import { smsSender } from './sms.js';

export const CODE_TTL_SECONDS = 600;
export const CODE_MAX_ATTEMPTS = 5;
export const REQUESTS_PER_TICKET_PER_HOUR = 5;
export const REQUESTS_PER_IP_PER_HOUR = 20;
export const PORTAL_SESSION_MS = 24 * 60 * 60 * 1000;

const SECRET_NAME = 'portal_code_hmac';
const PRUNE_SHARE = 0.01;

/** Codes older than a day (past every limit window) and ended sessions go, now and then. */
export async function prunePortalTables(db: Db, now = new Date()): Promise<void> {
  await db.delete(portalAccessCodes).where(lt(portalAccessCodes.createdAt, new Date(now.getTime() - 24 * 3600_000)));
  await db.delete(portalSessions).where(lt(portalSessions.expiresAt, now));
}
const secrets = new WeakMap<object, string>();

async function codeSecret(db: Db): Promise<string> {
  const cached = secrets.get(db);
  if (cached) return cached;
  await db.insert(serverSecrets).values({ name: SECRET_NAME, value: randomSecret(32) })
    .onConflictDoNothing({ target: serverSecrets.name });
  const [row] = await db.select({ value: serverSecrets.value }).from(serverSecrets).where(eq(serverSecrets.name, SECRET_NAME));
  secrets.set(db, row!.value);
  return row!.value;
}

/** The code is bound to its row: the same digits of another request hash differently. */
const codeHash = (secret: string, id: string, code: string) =>
  createHmac('sha256', secret).update(`${id}:${code}`).digest('hex');

const rateLimited = (message: string) => new AppError('RATE_LIMITED', message, undefined, { 'retry-after': '600' });

export interface LogLike { info(obj: object, msg: string): void; warn(obj: object, msg: string): void }

export async function requestAccessCode(opts: {
  db: Db; ticketNumber: string; via: 'phone' | 'email'; ip: string; log: LogLike; now?: Date;
}): Promise<void> {
  const { db, ip, via } = opts;
  const now = opts.now ?? new Date();
  const hourAgo = new Date(now.getTime() - 3600_000);
  const [byIp] = await db.select({ n: sql`count(*)` }).from(portalAccessCodes)
    .where(and(eq(portalAccessCodes.ip, ip), gt(portalAccessCodes.createdAt, hourAgo)));
  if (toNumber(byIp?.n) >= REQUESTS_PER_IP_PER_HOUR) throw rateLimited('too many code requests from this address; try again later');

  const [ticket] = await db.select({
    id: tickets.id, number: tickets.number, title: tickets.title, phone: customers.phone, email: customers.email, name: customers.name,
  }).from(tickets).innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(eq(tickets.number, opts.ticketNumber.toUpperCase())).limit(1);
  const destination = ticket ? (via === 'phone' ? ticket.phone : ticket.email) : null;
  if (!ticket || !destination) return; // the same answer: nothing leaks

  if (Math.random() < PRUNE_SHARE) await prunePortalTables(db, now);
  const secret = await codeSecret(db);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const id = newId(now.getTime());
  await db.transaction(async (tx) => {
    // One request per ticket at a time: the count and the insert cannot interleave.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`portal-code:${ticket.id}`}))`);
    const [byTicket] = await tx.select({ n: sql`count(*)` }).from(portalAccessCodes)
      .where(and(eq(portalAccessCodes.ticketId, ticket.id), gt(portalAccessCodes.createdAt, hourAgo)));
    if (toNumber(byTicket?.n) >= REQUESTS_PER_TICKET_PER_HOUR) throw rateLimited('too many codes requested for this ticket; try again later');
    await tx.update(portalAccessCodes).set({ endedAt: now })
      .where(and(eq(portalAccessCodes.ticketId, ticket.id), isNull(portalAccessCodes.endedAt)));
    await tx.insert(portalAccessCodes).values({
      id, ticketId: ticket.id, codeHash: codeHash(secret, id, code), via, ip, createdAt: now,
      expiresAt: new Date(now.getTime() + CODE_TTL_SECONDS * 1000),
    });
    if (via === 'email') {
      await enqueueEmail({
        tx, to: { address: destination, name: ticket.name }, locale: 'zh-CN', kind: 'notice', ticketId: ticket.id,
        sourceKey: `portal-code:${id}`,
        data: {
          title: `工单 ${ticket.number} 查询验证码`,
          body: `您的验证码是 ${code}，${CODE_TTL_SECONDS / 60} 分钟内有效，仅可使用一次。如非本人操作请忽略。`,
        },
      });
    }
  });
  if (via === 'phone') {
    // After the commit: the code exists when the message arrives.
    await smsSender().send(db, {
      phone: destination, ticketId: ticket.id,
      body: `【售后服务】您查询工单 ${ticket.number} 的验证码是 ${code}，${CODE_TTL_SECONDS / 60} 分钟内有效。`,
    }, opts.log);
  }
}

export const invalidCode = () => new AppError('UNAUTHENTICATED', 'wrong, used or expired code; request a new one', [
  { path: 'code', message: 'wrong, used or expired code', code: 'invalid_code' },
]);

/** Checks the code; on success opens a portal session for the ticket and returns its cookie value. */
export async function verifyAccessCode(opts: {
  db: Db; ticketNumber: string; code: string; now?: Date;
}): Promise<{ secret: string; ticketId: string; customerId: string }> {
  const { db } = opts;
  const now = opts.now ?? new Date();
  const secret = await codeSecret(db);
  const result = await db.transaction(async (tx) => {
    const [row] = await tx.select({ code: portalAccessCodes, customerId: tickets.customerId })
      .from(portalAccessCodes).innerJoin(tickets, eq(tickets.id, portalAccessCodes.ticketId))
      .where(and(eq(tickets.number, opts.ticketNumber.toUpperCase()), isNull(portalAccessCodes.endedAt)))
      .orderBy(desc(portalAccessCodes.createdAt)).limit(1).for('update', { of: portalAccessCodes });
    if (!row || row.code.expiresAt <= now) return null;
    const want = Buffer.from(row.code.codeHash, 'hex');
    const got = Buffer.from(codeHash(secret, row.code.id, opts.code), 'hex');
    if (!timingSafeEqual(want, got)) {
      const attempts = row.code.attempts + 1;
      await tx.update(portalAccessCodes).set({ attempts, ...(attempts >= CODE_MAX_ATTEMPTS ? { endedAt: now } : {}) })
        .where(eq(portalAccessCodes.id, row.code.id));
      return null;
    }
    await tx.update(portalAccessCodes).set({ endedAt: now }).where(eq(portalAccessCodes.id, row.code.id));
    const cookie = randomSecret();
    await tx.insert(portalSessions).values({
      id: sha256(cookie), ticketId: row.code.ticketId, customerId: row.customerId, createdAt: now,
      expiresAt: new Date(now.getTime() + PORTAL_SESSION_MS),
    });
    return { secret: cookie, ticketId: row.code.ticketId, customerId: row.customerId };
  });
  // A wrong try is counted (committed) before the refusal.
  if (!result) throw invalidCode();
  return result;
}

export async function openPortalSession(db: Db, ticketId: string, customerId: string): Promise<string> {
  const cookie = randomSecret();
  const now = new Date();
  await db.insert(portalSessions).values({
    id: sha256(cookie), ticketId, customerId, createdAt: now, expiresAt: new Date(now.getTime() + PORTAL_SESSION_MS),
  });
  return cookie;
}

export async function resolvePortalSession(db: Db, cookie: string): Promise<{ id: string; ticketId: string; customerId: string } | null> {
  const id = sha256(cookie);
  const [row] = await db.select({ id: portalSessions.id, ticketId: portalSessions.ticketId, customerId: portalSessions.customerId })
    .from(portalSessions).where(and(eq(portalSessions.id, id), gt(portalSessions.expiresAt, new Date()))).limit(1);
  return row ?? null;
}

export async function endPortalSession(db: Db, cookie: string): Promise<void> {
  await db.delete(portalSessions).where(eq(portalSessions.id, sha256(cookie)));
}
