/**
 * The API shape of users (never the password hash) and the audit snapshot of one, read with
 * their departments in one extra query.
 */
import { eq, inArray } from 'drizzle-orm';
import type { User } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { departments, userDepartments, users } from '../db/schema.js';

export type UserRow = typeof users.$inferSelect;

export async function departmentsOfUsers(db: DbOrTx, userIds: string[]): Promise<Map<string, User['departments']>> {
  const byUser = new Map<string, User['departments']>();
  if (userIds.length === 0) return byUser;
  const rows = await db
    .select({ userId: userDepartments.userId, id: departments.id, name: departments.name, headUserId: departments.headUserId })
    .from(userDepartments)
    .innerJoin(departments, eq(departments.id, userDepartments.departmentId))
    .where(inArray(userDepartments.userId, userIds))
    .orderBy(departments.name);
  for (const r of rows) {
    const list = byUser.get(r.userId) ?? [];
    list.push({ id: r.id, name: r.name, isHead: r.headUserId === r.userId });
    byUser.set(r.userId, list);
  }
  return byUser;
}

export function toUser(row: UserRow, depts: User['departments']): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    email: row.email,
    phone: row.phone,
    role: row.role,
    active: row.active,
    locale: row.locale,
    customerId: row.customerId,
    calendarId: row.calendarId,
    departments: depts,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function toUsers(db: DbOrTx, rows: UserRow[]): Promise<User[]> {
  const depts = await departmentsOfUsers(db, rows.map((r) => r.id));
  return rows.map((r) => toUser(r, depts.get(r.id) ?? []));
}

export async function getUserView(db: DbOrTx, id: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  if (!row) return null;
  const [user] = await toUsers(db, [row]);
  return user ?? null;
}

/** What the audit log keeps of a user: public fields and department ids, never the hash. */
export function userSnapshot(row: UserRow, departmentIds: string[]): Record<string, unknown> {
  return {
    username: row.username,
    displayName: row.displayName,
    email: row.email,
    phone: row.phone,
    role: row.role,
    active: row.active,
    locale: row.locale,
    customerId: row.customerId,
    calendarId: row.calendarId,
    departmentIds: [...departmentIds].sort(),
  };
}
