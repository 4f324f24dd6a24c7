/**
 * Checks and side effects shared by creating and changing departments: the parent must exist
 * without making a loop, the head must be a staff user, and the head is a member of the department.
 */
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Tx } from '../db/client.js';
import { departments, userDepartments, users } from '../db/schema.js';
import { AppError, invalidField } from '../http/app-error.js';
import { membershipIds } from './memberships.js';
import { userSnapshot } from './user-view.js';

export const codeTaken = () =>
  new AppError('CONFLICT', 'code: already taken', [{ path: 'code', message: 'already taken' }]);

export async function codeExists(tx: Tx, code: string, exceptId?: string): Promise<boolean> {
  const [row] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.code, code)).limit(1);
  return !!row && row.id !== exceptId;
}

/** The parent exists and, for an existing department, is not the department or one below it. */
export async function checkParent(tx: Tx, parentId: string, selfId?: string): Promise<void> {
  let cursor: string | null = parentId;
  for (let depth = 0; cursor; depth++) {
    if (cursor === selfId) throw invalidField('parentId', 'a department cannot sit below itself');
    if (depth > 50) throw invalidField('parentId', 'department tree too deep');
    const [row]: { parentId: string | null }[] = await tx.select({ parentId: departments.parentId })
      .from(departments).where(eq(departments.id, cursor)).limit(1);
    if (!row) {
      if (cursor === parentId) throw invalidField('parentId', 'no such department');
      break;
    }
    cursor = row.parentId;
  }
}

export async function checkHead(tx: Tx, userId: string): Promise<void> {
  const [u] = await tx.select({ role: users.role }).from(users).where(eq(users.id, userId)).limit(1);
  if (!u) throw invalidField('headUserId', 'no such user');
  if (u.role === 'customer') throw invalidField('headUserId', 'a customer cannot head a department');
}

/** Moves the head flag; a new head who was not yet a member joins (recorded on their chain). */
export async function syncHead(opts: {
  tx: Tx; actor: Actor; departmentId: string; oldHead: string | null; newHead: string | null;
}): Promise<void> {
  const { tx, actor, departmentId, oldHead, newHead } = opts;
  if (oldHead && oldHead !== newHead) {
    await tx.update(userDepartments).set({ isHead: false })
      .where(and(eq(userDepartments.departmentId, departmentId), eq(userDepartments.userId, oldHead)));
  }
  if (!newHead) return;
  const updated = await tx.update(userDepartments).set({ isHead: true })
    .where(and(eq(userDepartments.departmentId, departmentId), eq(userDepartments.userId, newHead)))
    .returning({ userId: userDepartments.userId });
  if (updated.length) return;
  const before = await membershipIds(tx, newHead);
  await tx.insert(userDepartments).values({ userId: newHead, departmentId, isHead: true });
  const [u] = await tx.select().from(users).where(eq(users.id, newHead)).limit(1);
  await appendEvent({
    tx, actor, chain: `user:${newHead}`, type: 'user.updated',
    before: userSnapshot(u!, before),
    after: userSnapshot(u!, [...before, departmentId]),
    data: { reason: 'made head of department', departmentId },
  });
}
