/** Creates a department (optionally below another, optionally with its head) and its audit event. */
import { forgetCallers } from '../auth/resolve-actor.js';
import { forgetPeople } from './people-cache.js';
import type { Department, DepartmentCreate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db, Tx } from '../db/client.js';
import { departments } from '../db/schema.js';
import { isUniqueViolation, newId } from '../db/util.js';
import { checkHead, checkParent, codeExists, codeTaken, syncHead } from './department-rules.js';
import { departmentSnapshot, listDepartmentViews } from './department-view.js';

export async function createDepartment(opts: { db: Db | Tx; actor: Actor; input: DepartmentCreate }): Promise<Department> {
  const { db, actor, input } = opts;
  try {
    const view = await db.transaction(async (tx) => {
      if (await codeExists(tx, input.code)) throw codeTaken();
      if (input.parentId) await checkParent(tx, input.parentId);
      if (input.headUserId) await checkHead(tx, input.headUserId);
      const [row] = await tx.insert(departments).values({
        id: newId(),
        name: input.name,
        nameEn: input.nameEn || null,
        code: input.code,
        parentId: input.parentId ?? null,
        headUserId: input.headUserId ?? null,
      }).returning();
      await appendEvent({ tx, actor, chain: `department:${row!.id}`, type: 'department.created', after: departmentSnapshot(row!) });
      await syncHead({ tx, actor, departmentId: row!.id, oldHead: null, newHead: row!.headUserId });
      const [out] = await listDepartmentViews(tx, row!.id);
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
