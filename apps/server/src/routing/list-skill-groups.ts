/** Skill groups with their members, on-duty flags, capacities and open tickets (settings page). */
import { asc, eq, sql } from 'drizzle-orm';
import type { SkillGroup } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { departments, skillGroupMembers, skillGroups, users } from '../db/schema.js';
import { toNumber } from '../db/util.js';

export async function listSkillGroups(opts: { db: DbOrTx; id?: string }): Promise<SkillGroup[]> {
  const { db } = opts;
  const groups = await db.select({ g: skillGroups, departmentName: departments.name }).from(skillGroups)
    .innerJoin(departments, eq(departments.id, skillGroups.departmentId))
    .where(opts.id ? eq(skillGroups.id, opts.id) : undefined)
    .orderBy(asc(skillGroups.name));
  const members = await db.select({
    groupId: skillGroupMembers.groupId, userId: skillGroupMembers.userId, displayName: users.displayName,
    onDuty: skillGroupMembers.onDuty, capacity: skillGroupMembers.capacity, lastAssignedAt: skillGroupMembers.lastAssignedAt,
    // Served by tickets_owner_status_idx: a range of one owner's rows.
    openTickets: sql<number>`(select count(*) from tickets t where t.owner_id = ${skillGroupMembers.userId}
      and t.status not in ('closed', 'cancelled'))`,
  }).from(skillGroupMembers).innerJoin(users, eq(users.id, skillGroupMembers.userId))
    .where(opts.id ? eq(skillGroupMembers.groupId, opts.id) : undefined)
    .orderBy(asc(users.displayName));
  return groups.map(({ g, departmentName }) => ({
    id: g.id, name: g.name, departmentId: g.departmentId, departmentName, strategy: g.strategy, active: g.active,
    members: members.filter((m) => m.groupId === g.id).map((m) => ({
      userId: m.userId, displayName: m.displayName, onDuty: m.onDuty, capacity: m.capacity,
      openTickets: toNumber(m.openTickets), lastAssignedAt: m.lastAssignedAt?.toISOString() ?? null,
    })),
  }));
}
