/**
 * A signed-in user changes their own password: the current one is checked (under the same
 * failed-login limits as sign-in), every other session of the user ends.
 */
import { eq } from 'drizzle-orm';
import type { PasswordChange } from '@closeloop/contract';
import type { Db } from '../db/client.js';
import { users } from '../db/schema.js';
import { forbidden, invalidField, notFound } from '../http/app-error.js';
import { updateUser } from '../people/update-user.js';
import type { Actor } from './actor.js';
import { markLoginSucceeded, reserveLoginAttempt } from './login-limits.js';
import { verifyPassword } from './password.js';

export async function changePassword(opts: { db: Db; actor: Actor; input: PasswordChange; ip: string }): Promise<void> {
  const { db, actor, input } = opts;
  // A token must not be able to take over its user's account.
  if (actor.kind !== 'user' || !actor.userId) throw forbidden('sign in with your password to change it');
  const [user] = await db.select({ username: users.username, passwordHash: users.passwordHash })
    .from(users).where(eq(users.id, actor.userId)).limit(1);
  if (!user) throw notFound('user');
  const attemptId = await reserveLoginAttempt({ db, username: user.username, ip: opts.ip });
  if (!await verifyPassword(user.passwordHash, input.currentPassword)) {
    throw invalidField('currentPassword', 'wrong password');
  }
  await markLoginSucceeded(db, attemptId);
  await updateUser({
    db, actor, id: actor.userId, patch: { password: input.newPassword }, keepSessionId: actor.sessionId,
  });
}
