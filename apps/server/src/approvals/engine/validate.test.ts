import { describe, expect, it } from 'vitest';
import type { FlowField, FlowNodeInput } from '@closeloop/contract';
import { tree } from './fixtures.js';
import { validateFlow } from './validate.js';

const catalog: FlowField[] = [
  { path: 'subject.amount', type: 'number', label: '金额' },
  { path: 'ticket.priority', type: 'select', label: '优先级', options: [{ value: 'high', label: '高' }, { value: 'low', label: '低' }] },
  { path: 'form.reviewer', type: 'person', label: '复核人' },
];
const ok: FlowNodeInput = { id: 'a1', name: 'A', kind: 'approver', approvers: [{ kind: 'users', userIds: ['x'] }] };
const codes = (nodes: FlowNodeInput[]) => validateFlow(tree(nodes), catalog).errors.map((e) => [e.nodeId, e.code]);

describe('validateFlow', () => {
  it('a good flow has no errors', () => {
    expect(validateFlow(tree([ok]), catalog)).toEqual({ ok: true, errors: [] });
  });
  it('no nodes, no approvers, duplicate ids', () => {
    expect(codes([])).toEqual([[null, 'no_nodes']]);
    expect(codes([{ id: 'a1', name: 'A', kind: 'approver', approvers: [] }])).toEqual([['a1', 'no_approvers']]);
    expect(codes([ok, { ...ok }])).toEqual([['a1', 'duplicate_node_id']]);
  });
  it('conditions: missing field, wrong type, no default branch, unreachable branches', () => {
    const cond = (branches: unknown[]): FlowNodeInput => ({ id: 'c', name: 'C', kind: 'condition', branches } as FlowNodeInput);
    expect(codes([cond([
      { id: 'b1', name: 'B1', conditions: [{ type: 'number', field: 'form.nothing', op: 'gt', value: 1 }], nodes: [] },
      { id: 'b2', name: 'B2', conditions: [{ type: 'number', field: 'ticket.priority', op: 'gt', value: 1 }], nodes: [] },
    ])])).toEqual([['c', 'no_default_branch'], ['b1', 'missing_field'], ['b2', 'wrong_field_type']]);
    expect(codes([cond([
      { id: 'b1', name: 'B1', conditions: [{ type: 'number', field: 'subject.amount', op: 'gt', value: 1000 }], nodes: [] },
      { id: 'b2', name: 'B2', conditions: [{ type: 'number', field: 'subject.amount', op: 'gt', value: 1000 }], nodes: [] },
      { id: 'b3', name: 'B3', conditions: [{ type: 'number', field: 'subject.amount', op: 'gt', value: 10 }, { type: 'number', field: 'subject.amount', op: 'lt', value: 5 }], nodes: [] },
      { id: 'd', name: 'D', isDefault: true, nodes: [] },
    ])])).toEqual([['b2', 'unreachable_branch'], ['b3', 'unreachable_branch']]);
    expect(codes([cond([
      { id: 'b1', name: 'B1', conditions: [], nodes: [] },
      { id: 'b2', name: 'B2', conditions: [{ type: 'select', field: 'ticket.priority', op: 'in', value: ['urgent'] }], nodes: [] },
      { id: 'd', name: 'D', isDefault: true, nodes: [] },
      { id: 'd2', name: 'D2', isDefault: true, nodes: [] },
    ])])).toEqual([['c', 'many_default_branches'], ['b2', 'bad_value'], ['b2', 'unreachable_branch'], ['d', 'unreachable_branch']]);
  });
  it('person fields and reject targets', () => {
    expect(codes([{ id: 'p', name: 'P', kind: 'approver', approvers: [{ kind: 'person_field', field: 'subject.amount' }] }]))
      .toEqual([['p', 'wrong_field_type']]);
    expect(codes([ok, { id: 'a2', name: 'A2', kind: 'approver', approvers: [{ kind: 'users', userIds: ['y'] }], rejectTo: { kind: 'nodes', nodeIds: ['a1', 'a3'] } }]))
      .toEqual([['a2', 'bad_reject_target']]);
  });
});
