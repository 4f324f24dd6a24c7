/** Words for flow parts (assignee sources, conditions, nodes), shared by the designer and the ticket card. */
import type { TFunction } from 'i18next';
import type { AssigneeSource, ConditionBranchInput, FlowField, FlowNodeInput } from '@closeloop/contract';

export interface Names { user: (id: string) => string; department: (id: string) => string }

type SourceIn = Partial<AssigneeSource> & { kind: AssigneeSource['kind'] };

export function sourceText(t: TFunction, s: SourceIn, names: Names): string {
  switch (s.kind) {
    case 'users': return (s.userIds ?? []).map(names.user).join('、') || t('approvals.source.usersEmpty');
    case 'role': return s.departmentId
      ? t('approvals.source.roleInDept', { role: t(`role.${s.role}`), dept: names.department(s.departmentId) })
      : t('approvals.source.roleAll', { role: t(`role.${s.role}`) });
    case 'department_head': return s.levelsUp ? t('approvals.source.deptHeadUp', { n: s.levelsUp }) : t('approvals.source.deptHead');
    case 'initiator_manager': return s.levelsUp ? t('approvals.source.managerUp', { n: s.levelsUp }) : t('approvals.source.manager');
    case 'person_field': return t('approvals.source.fieldOf', { field: s.field ?? '' });
  }
}

/** The one-line summary a node card shows; null when the node still needs its people. */
export function nodeSummary(t: TFunction, n: FlowNodeInput, names: Names): string | null {
  if (n.kind === 'condition') return null;
  const sources = (n.kind === 'approver' ? n.approvers : n.kind === 'cc' ? n.recipients : n.handlers) ?? [];
  if (!sources.length) return null;
  const who = sources.map((s) => sourceText(t, s as SourceIn, names)).join('；');
  if (n.kind === 'cc') return who;
  const single = sources.length === 1 && sources[0]!.kind === 'users' && ((sources[0] as { userIds?: string[] }).userIds?.length ?? 0) === 1;
  if (single) return who;
  const mode = n.mode ?? 'any';
  return `${who}（${t(`approvals.mode.${mode}`)}）`;
}

export function fieldLabel(f: FlowField | undefined, path: string, en: boolean): string {
  if (!f) return path;
  return en && f.labelEn ? f.labelEn : f.label;
}

/** The summary of a branch's conditions ("优先级 属于 P1 且 金额 > 1000"). */
export function branchSummary(t: TFunction, b: ConditionBranchInput, fields: FlowField[], names: Names, en: boolean): string | null {
  if (b.isDefault) return t('approvals.branch.defaultSummary');
  const cs = b.conditions ?? [];
  if (!cs.length) return null;
  return cs.map((c) => {
    const f = fields.find((x) => x.path === c.field);
    const label = fieldLabel(f, c.field, en);
    const op = t(`approvals.op.${c.op}`);
    let value: string;
    if (c.type === 'number') value = Array.isArray(c.value) ? `${c.value[0]} ~ ${c.value[1]}` : String(c.value);
    else if (c.type === 'select') value = c.value.map((v) => f?.options?.find((o) => o.value === v)?.label ?? v).join('、');
    else if (c.type === 'person') value = c.value.map(names.user).join('、');
    else value = `“${c.value}”`;
    return `${label} ${op} ${value}`;
  }).join(t('approvals.branch.and'));
}
