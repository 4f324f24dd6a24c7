/**
 * Password sign-in: checks the failed-login limits, the password (argon2; a dummy hash for unknown
 * users so timing does not tell which usernames exist) and opens a session. Unknown user,
 * inactive user and wrong password fail alike.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { sessions, users } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { markLoginSucceeded, reserveLoginAttempt } from './login-limits.js';
import { verifyDummy, verifyPassword } from './password.js';
import { SESSION_IDLE_MS } from './resolve-actor.js';
import { randomSecret, sha256 } from './secrets.js';

export const wrongCredentials = () => new AppError('UNAUTHENTICATED', 'wrong username or password');

export interface SignInOptions {
  db: Db;
  username: string;
  password: string;
  ip: string;
  userAgent?: string;
}

export interface SignInResult {
  /** The cookie value; only its sha256 is stored. */
  secret: string;
  userId: string;
}

export async function signIn(opts: SignInOptions): Promise<SignInResult> {
  const { db, username, password } = opts;
  const attemptId = await reserveLoginAttempt({ db, username, ip: opts.ip });
  const [user] = await db.select({ id: users.id, passwordHash: users.passwordHash, active: users.active })
    .from(users).where(eq(sql`lower(${users.username})`, username.toLowerCase())).limit(1);
  const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyDummy(password);
  if (!user || !ok || !user.active) throw wrongCredentials();

  const secret = randomSecret();
  const now = new Date();
  await db.insert(sessions).values({
    id: sha256(secret),
    userId: user.id,
    expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
    lastSeenAt: now,
    ip: opts.ip,
    userAgent: opts.userAgent?.slice(0, 300) ?? null,
  });
  await markLoginSucceeded(db, attemptId);
  return { secret, userId: user.id };
}
