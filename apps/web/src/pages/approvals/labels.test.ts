import { describe, expect, it } from 'vitest';
import type { FlowField } from '@closeloop/contract';
import { branchSummary, nodeSummary } from './labels.js';
import { translator } from '../../test-i18n.js';

const names = { user: (id: string) => ({ u1: '老陈', u2: '小林' })[id] ?? '?', department: () => '质量部' };
const fields: FlowField[] = [
  { path: 'ticket.priority', type: 'select', label: '优先级', options: [{ value: 'P1', label: 'P1 紧急' }] },
  { path: 'subject.amount', type: 'number', label: '补偿金额（元）' },
];

describe('flow labels', () => {
  it('summarises a branch: typed operators, option labels, AND', async () => {
    const t = await translator('zh-CN');
    expect(branchSummary(t, { id: 'b', name: 'x', nodes: [], conditions: [
      { type: 'select', field: 'ticket.priority', op: 'in', value: ['P1'] },
      { type: 'number', field: 'subject.amount', op: 'between', value: [1000, 5000] },
    ] }, fields, names, false)).toBe('优先级 属于 P1 紧急 且 补偿金额（元） 介于 1000 ~ 5000');
    expect(branchSummary(t, { id: 'd', name: '其他情况', isDefault: true, nodes: [] }, fields, names, false)).toBe('未满足其他条件时进入此分支');
    expect(branchSummary(t, { id: 'e', name: 'x', nodes: [], conditions: [] }, fields, names, false)).toBeNull();
  });
  it('summarises a node: people, and the mode only when several may act', async () => {
    const t = await translator('zh-CN');
    const base = { id: 'n', name: 'n', kind: 'approver' as const };
    expect(nodeSummary(t, { ...base, approvers: [] }, names)).toBeNull();
    expect(nodeSummary(t, { ...base, approvers: [{ kind: 'users', userIds: ['u1'] }] }, names)).toBe('老陈');
    expect(nodeSummary(t, { ...base, mode: 'all', approvers: [{ kind: 'users', userIds: ['u1', 'u2'] }] }, names)).toBe('老陈、小林（会签）');
    expect(nodeSummary(t, { ...base, approvers: [{ kind: 'department_head', levelsUp: 1 }] }, names)).toBe('工单所属部门的第 1 级上级负责人（或签）');
  });
});
