/** Creates or changes a skill group (admin); its department must exist. */
import { eq } from 'drizzle-orm';
import type { SkillGroup, SkillGroupCreate, SkillGroupUpdate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { departments, skillGroupMembers, skillGroups, userDepartments } from '../db/schema.js';
import { isUniqueViolation, newId } from '../db/util.js';
import { AppError, invalidField, notFound } from '../http/app-error.js';
import { and, notInArray } from 'drizzle-orm';
import { listSkillGroups } from './list-skill-groups.js';
import { forgetRouting } from './routing-cache.js';

export async function saveSkillGroup(opts: { db: Db; actor: Actor; id?: string; input: SkillGroupCreate | SkillGroupUpdate }): Promise<SkillGroup> {
  const { db, actor, input } = opts;
  if (input.departmentId) {
    const [d] = await db.select({ id: departments.id }).from(departments).where(eq(departments.id, input.departmentId));
    if (!d) throw invalidField('departmentId', 'no such department');
  }
  const id = opts.id ?? newId();
  try {
    await db.transaction(async (tx) => {
      if (opts.id) {
        const [before] = await tx.select().from(skillGroups).where(eq(skillGroups.id, id)).for('update');
        if (!before) throw notFound('skill group');
        const [after] = await tx.update(skillGroups).set(input).where(eq(skillGroups.id, id)).returning();
        if (input.departmentId && input.departmentId !== before.departmentId) {
          // Members must see the group's tickets: those outside the new department leave the group.
          await tx.delete(skillGroupMembers).where(and(eq(skillGroupMembers.groupId, id), notInArray(skillGroupMembers.userId,
            tx.select({ u: userDepartments.userId }).from(userDepartments).where(eq(userDepartments.departmentId, input.departmentId)))));
        }
        await appendEvent({ tx, actor, chain: `skill_group:${id}`, type: 'skill_group.updated', before, after: after! });
      } else {
        const c = input as SkillGroupCreate;
        const [row] = await tx.insert(skillGroups).values({ id, name: c.name, departmentId: c.departmentId, strategy: c.strategy, active: c.active }).returning();
        await appendEvent({ tx, actor, chain: `skill_group:${id}`, type: 'skill_group.created', after: row! });
      }
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'a skill group of this name exists', [{ path: 'name', message: 'already used', code: 'conflict' }]);
    throw err;
  }
  forgetRouting();
  const [group] = await listSkillGroups({ db, id });
  return group!;
}
