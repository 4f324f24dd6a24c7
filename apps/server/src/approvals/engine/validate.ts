/**
 * validateFlow: what the designer shows before publishing and what publish enforces.
 * Errors name the node (or branch) and a code: unreachable_branch, no_approvers, missing_field,
 * no_default_branch, …
 */
import {
  CONDITION_OPERATORS, type AssigneeSource, type ConditionBranch, type FlowCondition, type FlowField,
  type FlowNode, type FlowTree, type FlowValidation, type FlowValidationError,
} from '@closeloop/contract';

export function validateFlow(tree: FlowTree, catalog: readonly FlowField[]): FlowValidation {
  const errors: FlowValidationError[] = [];
  const err = (nodeId: string | null, code: FlowValidationError['code'], message: string) =>
    errors.push({ nodeId, code, message });
  const fields = new Map(catalog.map((f) => [f.path, f]));
  const seen = new Set<string>();
  const claim = (id: string) => {
    if (seen.has(id)) err(id, 'duplicate_node_id', `node id ${id} is used twice`);
    seen.add(id);
  };

  const checkSources = (nodeId: string, sources: readonly AssigneeSource[], what: string) => {
    if (!sources.length) err(nodeId, 'no_approvers', `${what}: choose at least one person, role or rule`);
    for (const s of sources) {
      if (s.kind !== 'person_field') continue;
      const f = fields.get(s.field);
      if (!f) err(nodeId, 'missing_field', `${what}: there is no field ${s.field}`);
      else if (f.type !== 'person') err(nodeId, 'wrong_field_type', `${what}: field ${s.field} is not a person field`);
    }
  };

  const checkCondition = (branchId: string, c: FlowCondition) => {
    const f = fields.get(c.field);
    if (!f) return err(branchId, 'missing_field', `condition on ${c.field}: there is no such field`);
    if (f.type !== c.type) return err(branchId, 'wrong_field_type', `condition on ${c.field}: the field is ${f.type}, not ${c.type}`);
    if (!(CONDITION_OPERATORS[c.type] as readonly string[]).includes(c.op)) {
      return err(branchId, 'bad_operator', `condition on ${c.field}: ${c.op} is not an operator for ${c.type}`);
    }
    if (c.type === 'number') {
      const tuple = Array.isArray(c.value);
      if ((c.op === 'between') !== tuple) return err(branchId, 'bad_value', `condition on ${c.field}: between takes [low, high], the others one number`);
      if (tuple && (c.value as [number, number])[0] > (c.value as [number, number])[1]) {
        return err(branchId, 'bad_value', `condition on ${c.field}: low is above high`);
      }
    }
    if (c.type === 'select' && f.options) {
      const ok = new Set(f.options.map((o) => o.value));
      const bad = c.value.filter((v) => !ok.has(v));
      if (bad.length) err(branchId, 'bad_value', `condition on ${c.field}: no option ${bad.join(', ')}`);
    }
    return undefined;
  };

  /** approver nodes before this point on the current path (for reject targets). */
  const walk = (nodes: readonly FlowNode[], before: string[]) => {
    const path = [...before];
    for (const n of nodes) {
      claim(n.id);
      if (n.kind === 'approver') {
        checkSources(n.id, n.approvers, n.name);
        if (n.rejectTo.kind === 'nodes') {
          for (const t of n.rejectTo.nodeIds) {
            if (!path.includes(t)) err(n.id, 'bad_reject_target', `reject target ${t} is not an approver node before ${n.name}`);
          }
        }
        path.push(n.id);
      } else if (n.kind === 'handler') {
        checkSources(n.id, n.handlers, n.name);
      } else if (n.kind === 'cc') {
        checkSources(n.id, n.recipients, n.name);
      } else {
        checkBranches(n.id, n.branches);
        for (const b of n.branches) {
          claim(b.id);
          walk(b.nodes, path);
        }
      }
    }
  };

  const checkBranches = (nodeId: string, branches: readonly ConditionBranch[]) => {
    const defaults = branches.filter((b) => b.isDefault).length;
    if (defaults === 0) err(nodeId, 'no_default_branch', 'a condition needs one default branch (其他情况)');
    if (defaults > 1) err(nodeId, 'many_default_branches', 'a condition has exactly one default branch');
    const earlier: string[] = [];
    let alwaysTaken: ConditionBranch | null = null;
    for (const b of branches) {
      if (b.isDefault) continue;
      for (const c of b.conditions) checkCondition(b.id, c);
      const key = conditionKey(b.conditions);
      if (alwaysTaken) err(b.id, 'unreachable_branch', `${b.name} is never reached: ${alwaysTaken.name} has no conditions and is tried first`);
      else if (earlier.includes(key)) err(b.id, 'unreachable_branch', `${b.name} is never reached: an earlier branch has the same conditions`);
      else if (contradictory(b.conditions)) err(b.id, 'unreachable_branch', `${b.name} is never reached: its conditions cannot all hold`);
      if (!b.conditions.length && !alwaysTaken) alwaysTaken = b;
      earlier.push(key);
    }
    const def = branches.find((b) => b.isDefault);
    if (def && alwaysTaken) err(def.id, 'unreachable_branch', `${def.name} is never reached: ${alwaysTaken.name} has no conditions`);
  };

  if (!tree.nodes.length) err(null, 'no_nodes', 'the flow has no nodes: add an approver');
  walk(tree.nodes, []);
  return { ok: errors.length === 0, errors };
}

function conditionKey(cs: readonly FlowCondition[]): string {
  return cs.map((c) => JSON.stringify([c.field, c.type, c.op, c.value])).sort().join('|');
}

/** Number conditions on one field whose ranges do not meet, or select in-sets with nothing in common. */
function contradictory(cs: readonly FlowCondition[]): boolean {
  const ranges = new Map<string, { lo: number; loIn: boolean; hi: number; hiIn: boolean }>();
  const sets = new Map<string, Set<string>>();
  for (const c of cs) {
    if (c.type === 'number') {
      const r = ranges.get(c.field) ?? { lo: -Infinity, loIn: true, hi: Infinity, hiIn: true };
      const tighten = (lo: number | null, loIn: boolean, hi: number | null, hiIn: boolean) => {
        if (lo !== null && (lo > r.lo || (lo === r.lo && !loIn))) { r.lo = lo; r.loIn = loIn; }
        if (hi !== null && (hi < r.hi || (hi === r.hi && !hiIn))) { r.hi = hi; r.hiIn = hiIn; }
      };
      const v = c.value;
      if (Array.isArray(v)) { if (c.op === 'between') tighten(v[0], true, v[1], true); } else if (c.op === 'gt') tighten(v, false, null, true);
      else if (c.op === 'gte') tighten(v, true, null, true);
      else if (c.op === 'lt') tighten(null, true, v, false);
      else if (c.op === 'lte') tighten(null, true, v, true);
      else if (c.op === 'eq') tighten(v, true, v, true);
      ranges.set(c.field, r);
    } else if ((c.type === 'select' || c.type === 'person') && c.op === 'in') {
      const prev = sets.get(c.field);
      sets.set(c.field, prev ? new Set(c.value.filter((v) => prev.has(v))) : new Set(c.value));
    }
  }
  for (const r of ranges.values()) {
    if (r.lo > r.hi || (r.lo === r.hi && !(r.loIn && r.hiIn))) return true;
  }
  for (const s of sets.values()) if (!s.size) return true;
  return false;
}
