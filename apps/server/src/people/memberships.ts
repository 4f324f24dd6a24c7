/** A user's department memberships: checked against existing departments and written as a set. */
import { eq, inArray } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { departments, userDepartments } from '../db/schema.js';
import { invalidField } from '../http/app-error.js';

/** Fails with 400 naming `departmentIds` when one of the ids is not a department. */
export async function checkDepartments(tx: Tx, ids: string[]): Promise<Map<string, string | null>> {
  const unique = [...new Set(ids)];
  const heads = new Map<string, string | null>();
  if (unique.length === 0) return heads;
  const rows = await tx.select({ id: departments.id, headUserId: departments.headUserId })
    .from(departments).where(inArray(departments.id, unique));
  for (const r of rows) heads.set(r.id, r.headUserId);
  const missing = unique.filter((id) => !heads.has(id));
  if (missing.length) throw invalidField('departmentIds', `no department ${missing.join(', ')}`);
  return heads;
}

export async function membershipIds(tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx.select({ id: userDepartments.departmentId }).from(userDepartments)
    .where(eq(userDepartments.userId, userId));
  return rows.map((r) => r.id);
}

/** Replaces the user's memberships; `heads` comes from checkDepartments. */
export async function setMemberships(tx: Tx, userId: string, heads: Map<string, string | null>): Promise<void> {
  await tx.delete(userDepartments).where(eq(userDepartments.userId, userId));
  if (heads.size === 0) return;
  await tx.insert(userDepartments).values(
    [...heads].map(([departmentId, headUserId]) => ({ userId, departmentId, isHead: headUserId === userId })),
  );
}
