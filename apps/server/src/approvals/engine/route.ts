/** Conditions and the route: which nodes an instance runs through, given its field values. */
import type { ConditionBranch, FlowCondition, FlowNode, FlowTree } from '@closeloop/contract';
import type { FieldValue, FieldValues } from './types.js';

function asNumber(v: FieldValue | undefined): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}
function asStrings(v: FieldValue | undefined): string[] {
  if (Array.isArray(v)) return v;
  if (v === null || v === undefined || v === '') return [];
  return [String(v)];
}

/** One typed comparison; a missing value never matches (the default branch takes it). */
export function conditionHolds(c: FlowCondition, fields: FieldValues): boolean {
  const raw = fields[c.field];
  switch (c.type) {
    case 'number': {
      const n = asNumber(raw);
      if (n === null) return false;
      const v = c.value;
      if (c.op === 'between') return Array.isArray(v) && n >= v[0] && n <= v[1];
      if (Array.isArray(v)) return false;
      switch (c.op) {
        case 'eq': return n === v;
        case 'ne': return n !== v;
        case 'gt': return n > v;
        case 'gte': return n >= v;
        case 'lt': return n < v;
        case 'lte': return n <= v;
      }
      return false;
    }
    case 'text': {
      if (raw === null || raw === undefined) return false;
      const s = String(raw);
      if (c.op === 'eq') return s === c.value;
      if (c.op === 'ne') return s !== c.value;
      return s.includes(c.value);
    }
    case 'select':
    case 'person': {
      const have = asStrings(raw);
      if (!have.length) return false;
      const hit = have.some((h) => c.value.includes(h));
      return c.op === 'in' ? hit : !hit;
    }
  }
}

/** The branch taken: the first non-default whose conditions all hold, else the default. */
export function chooseBranch(branches: readonly ConditionBranch[], fields: FieldValues): ConditionBranch | null {
  for (const b of branches) {
    if (!b.isDefault && b.conditions.every((c) => conditionHolds(c, fields))) return b;
  }
  return branches.find((b) => b.isDefault) ?? null;
}

/** The ordered ids of the approver, handler and cc nodes the instance runs through. */
export function computeRoute(tree: FlowTree, fields: FieldValues): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly FlowNode[]) => {
    for (const n of nodes) {
      if (n.kind === 'condition') {
        const b = chooseBranch(n.branches, fields);
        if (b) walk(b.nodes);
      } else out.push(n.id);
    }
  };
  walk(tree.nodes);
  return out;
}

/** Every node by id (condition nodes and branches included). */
export function indexNodes(tree: FlowTree): Map<string, FlowNode> {
  const map = new Map<string, FlowNode>();
  const walk = (nodes: readonly FlowNode[]) => {
    for (const n of nodes) {
      map.set(n.id, n);
      if (n.kind === 'condition') for (const b of n.branches) walk(b.nodes);
    }
  };
  walk(tree.nodes);
  return map;
}
