/**
 * Adds a member to a skill group or changes their on-duty flag and capacity (admin, or the
 * department's manager setting 在岗/离岗). Members must belong to the group's department, so
 * the group's tickets (in that department) are in their queue and visible to them.
 */
import { and, eq, ne } from 'drizzle-orm';
import type { SkillGroup, SkillGroupMemberInput } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { skillGroupMembers, skillGroups, userDepartments, users } from '../db/schema.js';
import { forbidden, invalidField, notFound } from '../http/app-error.js';
import { listSkillGroups } from './list-skill-groups.js';

export async function setGroupMember(opts: { db: Db; actor: Actor; groupId: string; input: SkillGroupMemberInput }): Promise<SkillGroup> {
  const { db, actor, groupId, input } = opts;
  await db.transaction(async (tx) => {
    const [group] = await tx.select().from(skillGroups).where(eq(skillGroups.id, groupId));
    if (!group) throw notFound('skill group');
    if (actor.role !== 'admin' && !(actor.role === 'manager' && actor.departmentIds.includes(group.departmentId))) {
      throw forbidden("only an admin or the group department's manager may change its members");
    }
    const [u] = await tx.select({ id: users.id }).from(users)
      .innerJoin(userDepartments, and(eq(userDepartments.userId, users.id), eq(userDepartments.departmentId, group.departmentId)))
      .where(and(eq(users.id, input.userId), eq(users.active, true), ne(users.role, 'customer')));
    if (!u) throw invalidField('userId', "not an active staff member of the group's department");
    await tx.insert(skillGroupMembers).values({ groupId, userId: input.userId, onDuty: input.onDuty, capacity: input.capacity })
      .onConflictDoUpdate({ target: [skillGroupMembers.groupId, skillGroupMembers.userId], set: { onDuty: input.onDuty, capacity: input.capacity } });
    await appendEvent({ tx, actor, chain: `skill_group:${groupId}`, type: 'skill_group.member_set', data: input });
  });
  const [g] = await listSkillGroups({ db, id: groupId });
  return g!;
}

export async function removeGroupMember(opts: { db: Db; actor: Actor; groupId: string; userId: string }): Promise<SkillGroup> {
  const { db, actor, groupId, userId } = opts;
  await db.transaction(async (tx) => {
    const gone = await tx.delete(skillGroupMembers)
      .where(and(eq(skillGroupMembers.groupId, groupId), eq(skillGroupMembers.userId, userId))).returning();
    if (!gone.length) throw notFound('skill group member');
    await appendEvent({ tx, actor, chain: `skill_group:${groupId}`, type: 'skill_group.member_removed', data: { userId } });
  });
  const [g] = await listSkillGroups({ db, id: groupId });
  if (!g) throw notFound('skill group');
  return g;
}
