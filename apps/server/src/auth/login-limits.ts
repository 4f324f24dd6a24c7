/**
 * Failed-login limits shared by every app instance through the login_attempts table: at most
 * 10 failures per account and 30 per address within a minute. An attempt first reserves its row,
 * so a burst of parallel guesses sees its own earlier members and cannot slip past the count.
 */
import { and, eq, gt, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { loginAttempts, sessions } from '../db/schema.js';
import { rowsOf, toNumber } from '../db/util.js';
import { AppError } from '../http/app-error.js';

export const LOGIN_WINDOW_SECONDS = 60;
export const ACCOUNT_LIMIT = 10;
export const ADDRESS_LIMIT = 30;
const PRUNE_SHARE = 0.01;

const recentFailures = (who: SQL, beforeId: number) => and(
  who,
  eq(loginAttempts.succeeded, false),
  lt(loginAttempts.id, beforeId),
  gt(loginAttempts.at, sql`now() - make_interval(secs => ${LOGIN_WINDOW_SECONDS})`),
);

/** Seconds until the failures counted against `who` fall below `limit`; null when not limited. */
async function limitedFor(db: Db, who: SQL, beforeId: number, limit: number): Promise<number | null> {
  const [c] = await db.select({ n: sql`count(*)` }).from(loginAttempts).where(recentFailures(who, beforeId));
  const n = toNumber(c?.n);
  if (n < limit) return null;
  // The limit lifts when the (n - limit + 1)-th oldest counted failure leaves the window.
  const rows = rowsOf<{ s: unknown }>(await db.execute(sql`
    select ceil(extract(epoch from (${loginAttempts.at} + make_interval(secs => ${LOGIN_WINDOW_SECONDS}) - now()))) as s
    from ${loginAttempts} where ${recentFailures(who, beforeId)}
    order by ${loginAttempts.at}, ${loginAttempts.id} offset ${n - limit} limit 1`));
  return Math.max(1, toNumber(rows[0]?.s));
}

/**
 * Records an attempt (as failed until markLoginSucceeded) and answers 429 RATE_LIMITED with
 * Retry-After when the account or the address is over its limit; a refused attempt checks no
 * password and leaves no row behind, so waiting out Retry-After is enough.
 */
export async function reserveLoginAttempt(opts: { db: Db; username: string; ip: string }): Promise<number> {
  const { db, ip } = opts;
  const username = opts.username.toLowerCase();
  const [row] = await db.insert(loginAttempts).values({ username, ip, succeeded: false })
    .returning({ id: loginAttempts.id });
  const id = row!.id;
  const wait = Math.max(
    (await limitedFor(db, eq(loginAttempts.username, username), id, ACCOUNT_LIMIT)) ?? 0,
    (await limitedFor(db, eq(loginAttempts.ip, ip), id, ADDRESS_LIMIT)) ?? 0,
  );
  if (wait > 0) {
    await db.delete(loginAttempts).where(eq(loginAttempts.id, id));
    throw new AppError('RATE_LIMITED', `too many failed sign-ins; try again in ${wait} s`, undefined, {
      'retry-after': String(wait),
    });
  }
  if (Math.random() < PRUNE_SHARE) await pruneSignInTables(db);
  return id;
}

export async function markLoginSucceeded(db: Db, attemptId: number): Promise<void> {
  await db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attemptId));
}

/** Keeps the attempt log and the session table small: a day of attempts, live sessions. */
export async function pruneSignInTables(db: Db): Promise<void> {
  await db.delete(loginAttempts).where(lt(loginAttempts.at, sql`now() - interval '1 day'`));
  await db.delete(sessions).where(lt(sessions.expiresAt, sql`now()`));
}
