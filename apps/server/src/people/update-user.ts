/**
 * Changes a user: profile, role, active flag, departments or a password reset. Deactivating or
 * resetting the password ends the user's sessions (API tokens stay; an inactive user's tokens
 * stop working anyway). An admin cannot lock themselves out by deactivating or demoting themselves.
 */
import { eq } from 'drizzle-orm';
import type { User, UserUpdate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { endSessions } from '../auth/end-sessions.js';
import { hashPassword } from '../auth/password.js';
import { forgetCallers } from '../auth/resolve-actor.js';
import { forgetPeople } from './people-cache.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db, Tx } from '../db/client.js';
import { users } from '../db/schema.js';
import { AppError, invalidField, notFound } from '../http/app-error.js';
import { checkDepartments, membershipIds, setMemberships } from './memberships.js';
import { checkCalendar } from './check-calendar.js';
import { toUsers, userSnapshot } from './user-view.js';

export interface UpdateUserOptions {
  db: Db | Tx;
  actor: Actor;
  id: string;
  patch: UserUpdate;
  /** Keep this session alive when the password changes (the caller's own). */
  keepSessionId?: string;
}

export async function updateUser(opts: UpdateUserOptions): Promise<User> {
  const { db, actor, id, patch } = opts;
  if (actor.userId === id && patch.active === false) {
    throw new AppError('CONFLICT', 'you cannot deactivate yourself', [{ path: 'active', message: 'cannot deactivate yourself' }]);
  }
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  const updated = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!before) throw notFound('user');
    if (actor.userId === id && before.role === 'admin' && patch.role && patch.role !== 'admin') {
      throw new AppError('CONFLICT', 'you cannot take the admin role from yourself', [{ path: 'role', message: 'cannot demote yourself' }]);
    }
    if (patch.role && patch.role !== before.role && (patch.role === 'customer' || before.role === 'customer')) {
      throw invalidField('role', 'a customer login cannot become staff or the other way round; create a new user');
    }
    if (patch.calendarId) await checkCalendar(tx, patch.calendarId);
    const beforeDepts = await membershipIds(tx, id);
    let afterDepts = beforeDepts;
    if (patch.departmentIds) {
      afterDepts = [...new Set(patch.departmentIds)];
      if (before.role === 'customer' && afterDepts.length) throw invalidField('departmentIds', 'customers belong to no department');
      await setMemberships(tx, id, await checkDepartments(tx, afterDepts));
    }
    const [after] = await tx.update(users).set({
      ...(patch.displayName !== undefined && { displayName: patch.displayName }),
      ...(patch.role !== undefined && { role: patch.role }),
      ...(patch.email !== undefined && { email: patch.email }),
      ...(patch.phone !== undefined && { phone: patch.phone }),
      ...(patch.locale !== undefined && { locale: patch.locale }),
      ...(patch.active !== undefined && { active: patch.active }),
      ...(patch.calendarId !== undefined && { calendarId: patch.calendarId }),
      ...(passwordHash !== undefined && { passwordHash }),
      updatedAt: new Date(),
    }).where(eq(users.id, id)).returning();
    const deactivated = before.active && !after!.active;
    if (deactivated || passwordHash !== undefined) {
      await endSessions({ tx, userId: id, exceptSessionId: deactivated ? undefined : opts.keepSessionId });
    }
    const snapshots = { before: userSnapshot(before, beforeDepts), after: userSnapshot(after!, afterDepts) };
    // Saving an unchanged form leaves no event behind.
    if (passwordHash !== undefined || JSON.stringify(snapshots.before) !== JSON.stringify(snapshots.after)) {
      await appendEvent({
        tx, actor, chain: `user:${id}`, type: 'user.updated', ...snapshots,
        ...(passwordHash !== undefined && { data: { passwordChanged: true } }),
      });
    }
    const [user] = await toUsers(tx, [after!]);
    return user!;
  });
  forgetCallers();
  forgetPeople();
  return updated;
}
