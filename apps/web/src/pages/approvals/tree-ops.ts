/**
 * Pure operations on a flow tree (the designer's data): insert a node after another (or at the
 * head of a branch / of the flow), add and remove condition branches, remove and move nodes,
 * and map the server's validation errors onto node ids. No React here, so it is unit tested.
 *
 * Positions: a node list is addressed by its container — `null` for the flow's top level, or a
 * branch id — and the insert point is "after node X" (`afterId`) or the head (`afterId: null`).
 */
import type {
  ConditionBranchInput, ConditionNodeInput, FlowNodeInput, FlowValidationError,
} from '@closeloop/contract';

export type NewNodeKind = 'approver' | 'cc' | 'handler' | 'condition';
export interface TreeInput { nodes: FlowNodeInput[] }
/** Where to insert: in which list (null = top level, else a branch id), after which node (null = head). */
export interface InsertPoint { container: string | null; afterId: string | null }

let counter = 0;
/** A node / branch id the contract accepts ([A-Za-z0-9_-]), unique enough within one tree. */
export function newId(prefix: string): string {
  counter += 1;
  return `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}${counter.toString(36)}`;
}

export interface DefaultNames { approver: string; cc: string; handler: string; condition: string; branch: (n: number) => string; otherwise: string }

export function makeBranch(name: string, isDefault = false): ConditionBranchInput {
  return { id: newId('b'), name, conditions: [], isDefault, nodes: [] };
}

/** A fresh node of a kind, with the contract's defaults spelled out (so the drawer shows them). */
export function makeNode(kind: NewNodeKind, names: DefaultNames): FlowNodeInput {
  const id = newId(kind === 'condition' ? 'c' : 'n');
  switch (kind) {
    case 'approver':
      return {
        id, name: names.approver, kind, approvers: [], mode: 'any', onEmpty: 'to_admin', onSelf: 'self_approve',
        rejectTo: { kind: 'initiator' }, dedupe: false, timeout: null,
      };
    case 'cc':
      return { id, name: names.cc, kind, recipients: [] };
    case 'handler':
      return { id, name: names.handler, kind, handlers: [], mode: 'any', onEmpty: 'to_admin', timeout: null };
    case 'condition':
      return { id, name: names.condition, kind, branches: [makeBranch(names.branch(1)), makeBranch(names.otherwise, true)] };
  }
}

const isCondition = (n: FlowNodeInput): n is ConditionNodeInput => n.kind === 'condition';

/** Rebuilds every node list of the tree through `fn(list, container)`, children first. */
function mapLists(nodes: FlowNodeInput[], container: string | null, fn: (list: FlowNodeInput[], container: string | null) => FlowNodeInput[]): FlowNodeInput[] {
  const inner = nodes.map((n) => (isCondition(n)
    ? { ...n, branches: n.branches.map((b) => ({ ...b, nodes: mapLists(b.nodes, b.id, fn) })) }
    : n));
  return fn(inner, container);
}

/** Every node of the tree, depth first, with the list (container) it sits in. */
export function walk(nodes: FlowNodeInput[], container: string | null = null): Array<{ node: FlowNodeInput; container: string | null }> {
  const out: Array<{ node: FlowNodeInput; container: string | null }> = [];
  for (const n of nodes) {
    out.push({ node: n, container });
    if (isCondition(n)) for (const b of n.branches) out.push(...walk(b.nodes, b.id));
  }
  return out;
}

export function findNode(tree: TreeInput, id: string): FlowNodeInput | undefined {
  return walk(tree.nodes).find((x) => x.node.id === id)?.node;
}

/** Inserts `node` at `at`; an unknown container or afterId leaves the tree unchanged. */
export function insertNode(tree: TreeInput, at: InsertPoint, node: FlowNodeInput): TreeInput {
  return {
    nodes: mapLists(tree.nodes, null, (list, container) => {
      if (container !== at.container) return list;
      if (at.afterId === null) return [node, ...list];
      const i = list.findIndex((n) => n.id === at.afterId);
      return i < 0 ? list : [...list.slice(0, i + 1), node, ...list.slice(i + 1)];
    }),
  };
}

/** Removes a node (with its branches' contents, for a condition) wherever it is. */
export function removeNode(tree: TreeInput, id: string): TreeInput {
  return { nodes: mapLists(tree.nodes, null, (list) => list.filter((n) => n.id !== id)) };
}

/** Replaces a node by id with `fn(node)`. */
export function updateNode(tree: TreeInput, id: string, fn: (n: FlowNodeInput) => FlowNodeInput): TreeInput {
  return { nodes: mapLists(tree.nodes, null, (list) => list.map((n) => (n.id === id ? fn(n) : n))) };
}

/** Moves a node to a new insert point (not into its own branches). */
export function moveNode(tree: TreeInput, id: string, to: InsertPoint): TreeInput {
  const node = findNode(tree, id);
  if (!node || to.afterId === id) return tree;
  if (isCondition(node) && to.container && node.branches.some((b) => b.id === to.container || walk(b.nodes, b.id).some((x) => x.container === to.container))) return tree;
  const without = removeNode(tree, id);
  const back = insertNode(without, to, node);
  // An insert point that vanished with the node (or never existed): keep the tree as it was.
  return findNode(back, id) ? back : tree;
}

/** Moves a node one step up or down within its own list. */
export function shiftNode(tree: TreeInput, id: string, delta: -1 | 1): TreeInput {
  return {
    nodes: mapLists(tree.nodes, null, (list) => {
      const i = list.findIndex((n) => n.id === id);
      const j = i + delta;
      if (i < 0 || j < 0 || j >= list.length) return list;
      const copy = [...list];
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      return copy;
    }),
  };
}

/** Adds a branch before the default branch (the default, 其他情况, stays last). */
export function addBranch(tree: TreeInput, conditionId: string, name: string): TreeInput {
  return updateNode(tree, conditionId, (n) => {
    if (!isCondition(n)) return n;
    const branch = makeBranch(name);
    const d = n.branches.findIndex((b) => b.isDefault);
    const branches = d < 0 ? [...n.branches, branch] : [...n.branches.slice(0, d), branch, ...n.branches.slice(d)];
    return { ...n, branches };
  });
}

/**
 * Removes a branch; a condition left with one branch dissolves into that branch's nodes
 * (as DingTalk does), so the tree never holds a one-way condition.
 */
export function removeBranch(tree: TreeInput, conditionId: string, branchId: string): TreeInput {
  return {
    nodes: mapLists(tree.nodes, null, (list) => list.flatMap((n) => {
      if (n.id !== conditionId || !isCondition(n)) return [n];
      const branches = n.branches.filter((b) => b.id !== branchId);
      if (branches.length === n.branches.length) return [n];
      if (branches.length >= 2) return [{ ...n, branches }];
      return branches[0]?.nodes ?? [];
    })),
  };
}

/** Moves a (non-default) branch one step left or right; the default branch stays last. */
export function shiftBranch(tree: TreeInput, conditionId: string, branchId: string, delta: -1 | 1): TreeInput {
  return updateNode(tree, conditionId, (n) => {
    if (!isCondition(n)) return n;
    const i = n.branches.findIndex((b) => b.id === branchId);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= n.branches.length || n.branches[i]!.isDefault || n.branches[j]!.isDefault) return n;
    const copy = [...n.branches];
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    return { ...n, branches: copy };
  });
}

export function updateBranch(tree: TreeInput, branchId: string, fn: (b: ConditionBranchInput) => ConditionBranchInput): TreeInput {
  return {
    nodes: mapLists(tree.nodes, null, (list) => list.map((n) => (isCondition(n)
      ? { ...n, branches: n.branches.map((b) => (b.id === branchId ? fn(b) : b)) }
      : n))),
  };
}

/** The approver nodes before `id` on any path to it (the targets 驳回至 指定节点 may name). */
export function earlierApproverNodes(tree: TreeInput, id: string): FlowNodeInput[] {
  const search = (nodes: FlowNodeInput[], before: FlowNodeInput[]): FlowNodeInput[] | null => {
    const acc = [...before];
    for (const n of nodes) {
      if (n.id === id) return acc;
      if (isCondition(n)) {
        for (const b of n.branches) {
          const found = search(b.nodes, acc);
          if (found) return found;
        }
      } else if (n.kind === 'approver') {
        acc.push(n);
      }
    }
    return null;
  };
  return search(tree.nodes, []) ?? [];
}

/**
 * Validation errors (from POST validate, or the 422 of publish) grouped by node / branch id;
 * errors without a known id go under `''` (shown above the tree).
 */
export function errorsByNode(tree: TreeInput, errors: ReadonlyArray<Pick<FlowValidationError, 'nodeId' | 'code' | 'message'>>): Map<string, Array<Pick<FlowValidationError, 'code' | 'message'>>> {
  const ids = new Set<string>();
  for (const { node } of walk(tree.nodes)) {
    ids.add(node.id);
    if (isCondition(node)) for (const b of node.branches) ids.add(b.id);
  }
  const out = new Map<string, Array<Pick<FlowValidationError, 'code' | 'message'>>>();
  for (const e of errors) {
    const key = e.nodeId && ids.has(e.nodeId) ? e.nodeId : '';
    const list = out.get(key) ?? [];
    list.push({ code: e.code, message: e.message });
    out.set(key, list);
  }
  return out;
}

/** The VALIDATION_FAILED of publish carries `fields[{path: 'draft.<node id>', message, code}]`: read as validate's errors. */
export function fieldsToErrors(fields: ReadonlyArray<{ path: string; message: string; code?: string }>): FlowValidationError[] {
  return fields.map((f) => ({
    nodeId: f.path.replace(/^draft\.?/, '') || null,
    code: (f.code ?? 'bad_value') as FlowValidationError['code'],
    message: f.message,
  }));
}
