import { describe, expect, it } from 'vitest';
import { zFlowTree, type ConditionNodeInput, type FlowNodeInput } from '@closeloop/contract';
import {
  addBranch, earlierApproverNodes, errorsByNode, fieldsToErrors, findNode, insertNode, makeNode, moveNode,
  removeBranch, removeNode, shiftBranch, shiftNode, type DefaultNames, type TreeInput,
} from './tree-ops.js';

const names: DefaultNames = { approver: '审批人', cc: '抄送人', handler: '办理人', condition: '条件分支', branch: (n) => `条件${n}`, otherwise: '其他情况' };
const ids = (nodes: FlowNodeInput[]) => nodes.map((n) => n.id);
const approver = (id: string): FlowNodeInput => ({ ...makeNode('approver', names), id } as FlowNodeInput);
const cond = (t: TreeInput, id: string) => findNode(t, id) as ConditionNodeInput;

function sample(): TreeInput {
  return {
    nodes: [
      approver('a'),
      {
        id: 'c', name: '条件分支', kind: 'condition', branches: [
          { id: 'b1', name: 'P1', conditions: [{ type: 'select', field: 'ticket.priority', op: 'in', value: ['P1'] }], nodes: [approver('x')] },
          { id: 'bd', name: '其他情况', isDefault: true, nodes: [] },
        ],
      },
      approver('z'),
    ],
  };
}

describe('flow tree operations', () => {
  it('makes nodes the contract accepts, a condition with one branch and the default last', () => {
    const t: TreeInput = { nodes: (['approver', 'cc', 'handler', 'condition'] as const).map((k) => makeNode(k, names)) };
    expect(zFlowTree.safeParse(t).success).toBe(true);
    const c = t.nodes[3] as ConditionNodeInput;
    expect(c.branches.map((b) => b.isDefault)).toEqual([false, true]);
    expect(new Set(t.nodes.map((n) => n.id)).size).toBe(4);
  });

  it('inserts after a node, at the head, and inside a branch', () => {
    let t = insertNode(sample(), { container: null, afterId: 'a' }, approver('n1'));
    expect(ids(t.nodes)).toEqual(['a', 'n1', 'c', 'z']);
    t = insertNode(t, { container: null, afterId: null }, approver('n0'));
    expect(ids(t.nodes)).toEqual(['n0', 'a', 'n1', 'c', 'z']);
    t = insertNode(t, { container: 'bd', afterId: null }, approver('d1'));
    t = insertNode(t, { container: 'b1', afterId: 'x' }, approver('x2'));
    expect(ids(cond(t, 'c').branches[0]!.nodes)).toEqual(['x', 'x2']);
    expect(ids(cond(t, 'c').branches[1]!.nodes)).toEqual(['d1']);
  });

  it('leaves the tree alone for an unknown insert point', () => {
    const t = sample();
    expect(insertNode(t, { container: null, afterId: 'nope' }, approver('q'))).toEqual(t);
    expect(insertNode(t, { container: 'nope', afterId: null }, approver('q'))).toEqual(t);
  });

  it('adds a branch before the default one', () => {
    const t = addBranch(sample(), 'c', '条件2');
    const b = cond(t, 'c').branches;
    expect(b.map((x) => x.name)).toEqual(['P1', '条件2', '其他情况']);
    expect(b[2]!.isDefault).toBe(true);
  });

  it('removes a node with everything under it', () => {
    const t = removeNode(sample(), 'c');
    expect(ids(t.nodes)).toEqual(['a', 'z']);
    expect(findNode(t, 'x')).toBeUndefined();
    expect(ids(removeNode(sample(), 'x').nodes)).toEqual(['a', 'c', 'z']);
    expect(cond(removeNode(sample(), 'x'), 'c').branches[0]!.nodes).toEqual([]);
  });

  it('removing a branch of two dissolves the condition into the other branch', () => {
    const t = removeBranch(sample(), 'c', 'bd');
    expect(ids(t.nodes)).toEqual(['a', 'x', 'z']);
    const three = removeBranch(addBranch(sample(), 'c', '条件2'), 'c', 'b1');
    expect(cond(three, 'c').branches.map((b) => b.name)).toEqual(['条件2', '其他情况']);
  });

  it('moves a node into a branch and back, never into itself', () => {
    let t = moveNode(sample(), 'z', { container: 'b1', afterId: 'x' });
    expect(ids(t.nodes)).toEqual(['a', 'c']);
    expect(ids(cond(t, 'c').branches[0]!.nodes)).toEqual(['x', 'z']);
    t = moveNode(t, 'x', { container: null, afterId: null });
    expect(ids(t.nodes)).toEqual(['x', 'a', 'c']);
    expect(moveNode(sample(), 'c', { container: 'b1', afterId: null })).toEqual(sample());
    expect(moveNode(sample(), 'a', { container: null, afterId: 'a' })).toEqual(sample());
  });

  it('shifts nodes and branches by one, keeping the default branch last', () => {
    expect(ids(shiftNode(sample(), 'z', -1).nodes)).toEqual(['a', 'z', 'c']);
    expect(ids(shiftNode(sample(), 'a', -1).nodes)).toEqual(['a', 'c', 'z']);
    const t = addBranch(sample(), 'c', '条件2');
    const b2 = cond(t, 'c').branches[1]!.id;
    expect(cond(shiftBranch(t, 'c', b2, -1), 'c').branches.map((b) => b.name)).toEqual(['条件2', 'P1', '其他情况']);
    expect(cond(shiftBranch(t, 'c', b2, 1), 'c').branches.map((b) => b.name)).toEqual(['P1', '条件2', '其他情况']);
  });

  it('lists the approver nodes before a node on its path', () => {
    expect(ids(earlierApproverNodes(sample(), 'z'))).toEqual(['a']);
    expect(ids(earlierApproverNodes(sample(), 'x'))).toEqual(['a']);
    const t = insertNode(sample(), { container: 'b1', afterId: 'x' }, approver('x2'));
    expect(ids(earlierApproverNodes(t, 'x2'))).toEqual(['a', 'x']);
  });
});

describe('validation error mapping', () => {
  it('groups errors by node and branch; unknown or null ids go to the flow', () => {
    const m = errorsByNode(sample(), [
      { nodeId: 'x', code: 'no_approvers', message: 'm1' },
      { nodeId: 'b1', code: 'missing_field', message: 'm2' },
      { nodeId: 'x', code: 'bad_reject_target', message: 'm3' },
      { nodeId: null, code: 'no_nodes', message: 'm4' },
      { nodeId: 'gone', code: 'unreachable_branch', message: 'm5' },
    ]);
    expect(m.get('x')?.map((e) => e.code)).toEqual(['no_approvers', 'bad_reject_target']);
    expect(m.get('b1')?.map((e) => e.code)).toEqual(['missing_field']);
    expect(m.get('')?.map((e) => e.message)).toEqual(['m4', 'm5']);
    expect(m.has('a')).toBe(false);
  });
  it('reads the 422 field errors of publish as validation errors', () => {
    expect(fieldsToErrors([{ path: 'draft.c', message: 'no default', code: 'no_default_branch' }, { path: 'draft', message: 'x' }])).toEqual([
      { nodeId: 'c', code: 'no_default_branch', message: 'no default' },
      { nodeId: null, code: 'bad_value', message: 'x' },
    ]);
  });
});
