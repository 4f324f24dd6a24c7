/** Staff's user list with filters; small enough to answer without pages (at most 500). */
import { and, asc, eq, ilike, inArray, or, type SQL } from 'drizzle-orm';
import type { User, UserListQuery } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { userDepartments, users } from '../db/schema.js';
import { toUsers } from './user-view.js';

export const USER_LIST_LIMIT = 500;

/** `%` and `_` typed by a user are literal characters, not wildcards. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listUsers(opts: { db: DbOrTx; query: UserListQuery }): Promise<User[]> {
  const { db, query } = opts;
  const conds: SQL[] = [];
  if (query.role) conds.push(eq(users.role, query.role));
  if (query.active) conds.push(eq(users.active, query.active === 'true'));
  if (query.q) {
    const p = likePattern(query.q);
    conds.push(or(ilike(users.username, p), ilike(users.displayName, p))!);
  }
  if (query.departmentId) {
    conds.push(inArray(users.id, db.select({ id: userDepartments.userId }).from(userDepartments)
      .where(eq(userDepartments.departmentId, query.departmentId))));
  }
  const rows = await db.select().from(users).where(and(...conds))
    .orderBy(asc(users.username)).limit(USER_LIST_LIMIT);
  return toUsers(db, rows);
}
