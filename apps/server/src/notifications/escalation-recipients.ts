/** Who hears of an escalated ticket: its department's heads and managers (active ones). */
import { and, eq, or } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { departments, userDepartments, users } from '../db/schema.js';

export async function escalationRecipients(db: DbOrTx, departmentId: string | null): Promise<string[]> {
  if (!departmentId) return [];
  const members = await db.selectDistinct({ id: users.id }).from(userDepartments)
    .innerJoin(users, eq(users.id, userDepartments.userId))
    .where(and(
      eq(userDepartments.departmentId, departmentId), eq(users.active, true),
      or(eq(userDepartments.isHead, true), eq(users.role, 'manager')),
    ));
  const [dept] = await db.select({ headUserId: departments.headUserId }).from(departments).where(eq(departments.id, departmentId));
  const ids = new Set(members.map((m) => m.id));
  if (dept?.headUserId && !ids.has(dept.headUserId)) {
    const [head] = await db.select({ id: users.id }).from(users).where(and(eq(users.id, dept.headUserId), eq(users.active, true)));
    if (head) ids.add(head.id);
  }
  return [...ids].sort();
}
