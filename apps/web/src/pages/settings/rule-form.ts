/**
 * The rule editor's form values ⇄ a rule definition. The form edits one level of conditions
 * (all 且 / any 或 of comparisons); a definition nested deeper is edited as JSON.
 */
import type { RuleAction, RuleCondition, RuleDefinition, RuleLeaf, RuleTrigger } from '@closeloop/contract';

export interface LeafValues {
  field?: RuleLeaf['field'];
  op?: string;
  values?: string[];
  text?: string;
  key?: string;
  from?: number;
  to?: number;
}
export interface ActionValues { type?: RuleAction['type']; ids?: string[]; id?: string; text?: string }

export interface RuleFormValues {
  name?: string;
  description?: string;
  position?: number;
  active?: boolean;
  trigger?: RuleTrigger;
  match?: 'all' | 'any';
  leaves?: LeafValues[];
  actions?: ActionValues[];
  /** Set when the definition is edited as JSON. */
  json?: string;
}

export const OPS: Record<RuleLeaf['field'], string[]> = {
  category: ['in', 'notIn'], channel: ['in', 'notIn'], priority: ['in', 'notIn'], urgency: ['in', 'notIn'],
  customerTier: ['in', 'notIn'], productModel: ['in', 'prefix', 'contains', 'matches'], keywords: ['any', 'none'],
  tags: ['any', 'all', 'none'], customField: ['in', 'contains', 'gt', 'lt', 'isSet'], hourOfDay: ['between'],
  businessHours: ['inside', 'outside'],
};

export function isFlat(c: RuleCondition): boolean {
  const flat = (x: RuleCondition) => !('all' in x) && !('any' in x) && !('not' in x);
  if ('all' in c) return c.all.every(flat);
  if ('any' in c) return c.any.every(flat);
  return flat(c);
}

export function leafToValues(l: RuleLeaf): LeafValues {
  switch (l.field) {
    case 'productModel': return typeof l.value === 'string' ? { field: l.field, op: l.op, text: l.value } : { field: l.field, op: l.op, values: l.value };
    case 'customField': {
      const v = l.value;
      return { field: l.field, op: l.op, key: l.key, ...(Array.isArray(v) ? { values: v.map(String) } : v === undefined ? {} : { text: String(v) }) };
    }
    case 'hourOfDay': return { field: l.field, op: l.op, from: l.value[0], to: l.value[1] };
    case 'businessHours': return { field: l.field, op: l.op };
    default: return { field: l.field, op: l.op, values: [...l.value] as string[] };
  }
}

function valuesToLeaf(v: LeafValues): RuleLeaf {
  const field = v.field!;
  const op = v.op ?? OPS[field][0]!;
  switch (field) {
    case 'productModel': return (op === 'matches' ? { field, op, value: v.text ?? '' } : { field, op, value: v.values ?? [] }) as RuleLeaf;
    case 'customField': {
      const n = Number(v.text);
      const value = op === 'in' ? (v.values ?? []) : op === 'gt' || op === 'lt' ? (Number.isFinite(n) ? n : v.text) : op === 'isSet' ? undefined : v.text;
      return { field, op, key: v.key ?? '', ...(value === undefined ? {} : { value }) } as RuleLeaf;
    }
    case 'hourOfDay': return { field, op: 'between', value: [v.from ?? 0, v.to ?? 24] };
    case 'businessHours': return { field, op } as RuleLeaf;
    default: return { field, op, value: v.values ?? [] } as RuleLeaf;
  }
}

export function actionToValues(a: RuleAction): ActionValues {
  switch (a.type) {
    case 'assignGroup': return { type: a.type, id: a.skillGroupId };
    case 'setDepartment': return { type: a.type, id: a.departmentId };
    case 'setOwner': return { type: a.type, id: a.userId };
    case 'setPriority': return { type: a.type, id: a.priority };
    case 'setCategory': return { type: a.type, id: a.categoryId };
    case 'setSlaPolicy': return { type: a.type, id: a.slaPolicyId };
    case 'addTags': return { type: a.type, ids: a.tagIds };
    case 'notify': return { type: a.type, ids: a.userIds, text: a.message };
    case 'addWatchers': return { type: a.type, ids: a.userIds };
    case 'stop': return { type: a.type };
  }
}

function valuesToAction(v: ActionValues): RuleAction {
  const id = v.id ?? '';
  switch (v.type) {
    case 'assignGroup': return { type: v.type, skillGroupId: id };
    case 'setDepartment': return { type: v.type, departmentId: id };
    case 'setOwner': return { type: v.type, userId: id };
    case 'setPriority': return { type: v.type, priority: id as 'P1' };
    case 'setCategory': return { type: v.type, categoryId: id };
    case 'setSlaPolicy': return { type: v.type, slaPolicyId: id };
    case 'addTags': return { type: v.type, tagIds: v.ids ?? [] };
    case 'notify': return { type: v.type, userIds: v.ids ?? [], ...(v.text?.trim() ? { message: v.text.trim() } : {}) };
    case 'addWatchers': return { type: v.type, userIds: v.ids ?? [] };
    default: return { type: 'stop' };
  }
}

export function definitionToValues(d: RuleDefinition): Pick<RuleFormValues, 'trigger' | 'match' | 'leaves' | 'actions' | 'json'> {
  const c = d.conditions;
  if (!isFlat(c)) return { trigger: d.trigger, json: JSON.stringify({ conditions: c, actions: d.actions }, null, 2), actions: d.actions.map(actionToValues) };
  const match = 'any' in c ? 'any' : 'all';
  const leaves = ('all' in c ? c.all : 'any' in c ? c.any : [c]) as RuleLeaf[];
  return { trigger: d.trigger, match, leaves: leaves.map(leafToValues), actions: d.actions.map(actionToValues) };
}

/** The definition the form describes; a JSON that does not parse throws (shown on the field). */
export function valuesToDefinition(v: RuleFormValues): RuleDefinition {
  const trigger = v.trigger ?? 'intake';
  if (v.json !== undefined) {
    const parsed = JSON.parse(v.json) as Pick<RuleDefinition, 'conditions' | 'actions'>;
    return { trigger, conditions: parsed.conditions, actions: parsed.actions };
  }
  const leaves = (v.leaves ?? []).filter((l) => l.field).map(valuesToLeaf);
  const conditions: RuleCondition = v.match === 'any' ? { any: leaves } : { all: leaves };
  return { trigger, conditions, actions: (v.actions ?? []).filter((a) => a.type).map(valuesToAction) };
}
