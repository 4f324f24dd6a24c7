/** Test helpers for the engine: a small directory and a context builder. */
import { compileCalendar, addBusinessMinutes } from '../../calendars/business-time.js';
import type { FlowNodeInput, FlowTree, Role } from '@closeloop/contract';
import { zFlowTree } from '@closeloop/contract';
import type { Directory, EngineContext, FieldValues } from './types.js';

export interface Person { id: string; role: Role; dept: string | null; active?: boolean }
export interface Dept { id: string; parent: string | null; head: string | null }

export function directory(people: Person[], depts: Dept[] = []): Directory {
  const byId = new Map(people.map((p) => [p.id, p]));
  const dById = new Map(depts.map((d) => [d.id, d]));
  return {
    usersWithRole: (role, dept) => people.filter((p) => p.role === role && p.active !== false && (!dept || p.dept === dept)).map((p) => p.id),
    departmentHead: (id, up) => {
      let d = dById.get(id);
      for (let i = 0; i < up && d; i++) d = d.parent ? dById.get(d.parent) : undefined;
      return d?.head ?? null;
    },
    departmentOf: (u) => byId.get(u)?.dept ?? null,
    isActiveStaff: (u) => { const p = byId.get(u); return !!p && p.active !== false && p.role !== 'customer'; },
  };
}

/**
 * Parses a tree (defaults filled in) whose user ids are short test names: they are swapped for
 * uuids for the schema and back afterwards.
 */
export function tree(nodes: FlowNodeInput[]): FlowTree {
  const names = new Map<string, string>();
  const swap = (v: unknown, to: (s: string) => string): unknown => {
    if (Array.isArray(v)) return v.map((x) => swap(x, to));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'userIds' || (k === 'value' && Array.isArray(x) && x.every((y) => typeof y === 'string')) ? (x as string[]).map(to) : swap(x, to)]));
    }
    return v;
  };
  const toUuid = (name: string) => {
    const id = `00000000-0000-4000-8000-${(names.size + 1).toString(16).padStart(12, '0')}`;
    for (const [u, n] of names) if (n === name) return u;
    names.set(id, name);
    return id;
  };
  const parsed = zFlowTree.parse(swap({ nodes }, toUuid));
  return swap(parsed, (u) => names.get(u) ?? u) as FlowTree;
}

/** Mon–Fri 09:00–18:00 Asia/Shanghai, no holidays. */
const day = [{ start: '09:00', end: '18:00' }];
export const weekdays = compileCalendar({ timezone: 'Asia/Shanghai', week: [day, day, day, day, day, [], []] });

export function context(t: FlowTree, dir: Directory, opts: { fields?: FieldValues; dept?: string | null; now?: Date } = {}): EngineContext {
  let n = 0;
  return {
    tree: t, directory: dir, fields: opts.fields ?? {}, ticketDepartmentId: opts.dept ?? null,
    now: opts.now ?? new Date('2026-12-02T02:00:00Z'),
    newId: () => `t${++n}`,
    dueAt: (from, hours) => addBusinessMinutes(weekdays, from, hours * 60),
  };
}
