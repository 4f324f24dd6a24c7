/** Renames, re-codes, moves a department or changes its head, with the audit event. */
import { forgetCallers } from '../auth/resolve-actor.js';
import { forgetPeople } from './people-cache.js';
import { eq } from 'drizzle-orm';
import type { Department, DepartmentUpdate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db, Tx } from '../db/client.js';
import { departments } from '../db/schema.js';
import { isUniqueViolation } from '../db/util.js';
import { notFound } from '../http/app-error.js';
import { checkHead, checkParent, codeExists, codeTaken, syncHead } from './department-rules.js';
import { departmentSnapshot, listDepartmentViews } from './department-view.js';

export async function updateDepartment(opts: {
  db: Db | Tx; actor: Actor; id: string; patch: DepartmentUpdate;
}): Promise<Department> {
  const { db, actor, id, patch } = opts;
  try {
    const view = await db.transaction(async (tx) => {
      const [before] = await tx.select().from(departments).where(eq(departments.id, id)).for('update');
      if (!before) throw notFound('department');
      if (patch.code !== undefined && patch.code !== before.code && await codeExists(tx, patch.code, id)) throw codeTaken();
      if (patch.parentId) await checkParent(tx, patch.parentId, id);
      if (patch.headUserId) await checkHead(tx, patch.headUserId);
      const [after] = await tx.update(departments).set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.nameEn !== undefined && { nameEn: patch.nameEn || null }),
        ...(patch.code !== undefined && { code: patch.code }),
        ...(patch.parentId !== undefined && { parentId: patch.parentId }),
        ...(patch.headUserId !== undefined && { headUserId: patch.headUserId }),
      }).where(eq(departments.id, id)).returning();
      const snapshots = { before: departmentSnapshot(before), after: departmentSnapshot(after!) };
      if (JSON.stringify(snapshots.before) !== JSON.stringify(snapshots.after)) {
        await appendEvent({ tx, actor, chain: `department:${id}`, type: 'department.updated', ...snapshots });
      }
      if (after!.headUserId !== before.headUserId) {
        await syncHead({ tx, actor, departmentId: id, oldHead: before.headUserId, newHead: after!.headUserId });
      }
      const [out] = await listDepartmentViews(tx, id);
      return out!;
    });
    // Heads are members: the caller cache holds departments, names show in ticket views.
    forgetCallers();
    forgetPeople();
    return view;
  } catch (err) {
    if (isUniqueViolation(err)) throw codeTaken();
    throw err;
  }
}
