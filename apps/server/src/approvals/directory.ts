/**
 * The engine's Directory from the database: only what a flow tree can ask for — the named
 * users, the members of the roles it names, the departments (a company has tens to hundreds),
 * the initiator's department and the people in person fields. Three small statements.
 */
import { and, eq, inArray, ne, or } from 'drizzle-orm';
import type { AssigneeSource, FlowNode, FlowTree, Role } from '@closeloop/contract';
import type { Tx } from '../db/client.js';
import { departments, userDepartments, users } from '../db/schema.js';
import type { Directory, FieldValues } from './engine/types.js';

export function sourcesOf(tree: FlowTree): AssigneeSource[] {
  const out: AssigneeSource[] = [];
  const walk = (nodes: readonly FlowNode[]) => {
    for (const n of nodes) {
      if (n.kind === 'approver') out.push(...n.approvers);
      else if (n.kind === 'handler') out.push(...n.handlers);
      else if (n.kind === 'cc') out.push(...n.recipients);
      else for (const b of n.branches) walk(b.nodes);
    }
  };
  walk(tree.nodes);
  return out;
}

export async function loadDirectory(tx: Tx, opts: {
  tree: FlowTree; fields: FieldValues; initiatorId: string; adminUserId: string; extraUserIds?: readonly string[];
}): Promise<Directory> {
  const sources = sourcesOf(opts.tree);
  const ids = new Set<string>([opts.initiatorId, opts.adminUserId, ...(opts.extraUserIds ?? [])]);
  const roles = new Set<Role>();
  for (const s of sources) {
    if (s.kind === 'users') s.userIds.forEach((u) => ids.add(u));
    else if (s.kind === 'role') roles.add(s.role);
    else if (s.kind === 'person_field') {
      const v = opts.fields[s.field];
      for (const u of Array.isArray(v) ? v : typeof v === 'string' ? [v] : []) if (/^[0-9a-f-]{36}$/i.test(u)) ids.add(u);
    }
  }
  const depts = await tx.select({ id: departments.id, parentId: departments.parentId, headUserId: departments.headUserId }).from(departments);
  for (const d of depts) if (d.headUserId) ids.add(d.headUserId);
  const people = await tx.select({ id: users.id, role: users.role, active: users.active }).from(users).where(and(
    ne(users.role, 'customer'),
    roles.size ? or(inArray(users.id, [...ids]), inArray(users.role, [...roles])) : inArray(users.id, [...ids]),
  )).orderBy(users.username);
  const memberships = await tx.select({ userId: userDepartments.userId, departmentId: userDepartments.departmentId, isHead: userDepartments.isHead })
    .from(userDepartments).where(inArray(userDepartments.userId, people.map((p) => p.id).concat(opts.initiatorId)));
  const byId = new Map(people.map((p) => [p.id, p]));
  const deptById = new Map(depts.map((d) => [d.id, d]));
  const deptsOf = new Map<string, string[]>();
  const headOf = new Map<string, string>();
  for (const d of depts) if (d.headUserId) headOf.set(d.id, d.headUserId);
  for (const m of memberships) {
    deptsOf.set(m.userId, [...(deptsOf.get(m.userId) ?? []), m.departmentId]);
    if (m.isHead && !headOf.has(m.departmentId)) headOf.set(m.departmentId, m.userId);
  }
  return {
    usersWithRole: (role, departmentId) => people
      .filter((p) => p.role === role && p.active && (!departmentId || (deptsOf.get(p.id) ?? []).includes(departmentId)))
      .map((p) => p.id),
    departmentHead: (id, levelsUp) => {
      let d = deptById.get(id);
      for (let i = 0; i < levelsUp && d; i++) d = d.parentId ? deptById.get(d.parentId) : undefined;
      return d ? headOf.get(d.id) ?? null : null;
    },
    departmentOf: (userId) => deptsOf.get(userId)?.[0] ?? null,
    isActiveStaff: (userId) => !!byId.get(userId)?.active,
  };
}

/** Active staff among these ids (transfer and add-signer targets are checked before the engine runs). */
export async function activeStaff(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await tx.select({ id: users.id }).from(users)
    .where(and(inArray(users.id, [...ids]), eq(users.active, true), ne(users.role, 'customer')));
  return new Set(rows.map((r) => r.id));
}
