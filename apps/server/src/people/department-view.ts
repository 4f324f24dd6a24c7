/** The API shape of departments, with their member counts, and the audit snapshot of one. */
import { asc, eq, sql } from 'drizzle-orm';
import type { Department } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { departments, userDepartments, users } from '../db/schema.js';
import { toNumber } from '../db/util.js';

export type DepartmentRow = typeof departments.$inferSelect;

/** Every department, or one; members are active users. */
export async function listDepartmentViews(db: DbOrTx, id?: string): Promise<Department[]> {
  const members = db
    .select({ departmentId: userDepartments.departmentId, n: sql<number>`count(*)`.as('n') })
    .from(userDepartments)
    .innerJoin(users, eq(users.id, userDepartments.userId))
    .where(eq(users.active, true))
    .groupBy(userDepartments.departmentId)
    .as('members');
  const rows = await db
    .select({ d: departments, n: members.n })
    .from(departments)
    .leftJoin(members, eq(members.departmentId, departments.id))
    .where(id ? eq(departments.id, id) : undefined)
    .orderBy(asc(departments.code));
  return rows.map(({ d, n }) => ({
    id: d.id, name: d.name, nameEn: d.nameEn, code: d.code, parentId: d.parentId, headUserId: d.headUserId,
    memberCount: toNumber(n),
  }));
}

export function departmentSnapshot(d: DepartmentRow): Record<string, unknown> {
  return { name: d.name, code: d.code, parentId: d.parentId, headUserId: d.headUserId };
}
