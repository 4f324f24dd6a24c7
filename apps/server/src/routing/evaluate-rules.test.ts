import { describe, expect, it } from 'vitest';
import { zRuleDefinition, type RuleCondition, type RuleDefinition } from '@closeloop/contract';
import { evaluateRules, matchCondition, normalizeRuleText, type LoadedRule, type RuleFacts } from './evaluate-rules.js';
import { compileCalendar, isWorkingInstant } from '../calendars/business-time.js';
import { standardDefinition } from '../calendars/ensure-calendars.js';

const BUG = '00000000-0000-4000-8000-000000000001';
const QUALITY = '00000000-0000-4000-8000-000000000002';
const RD = '00000000-0000-4000-8000-0000000000d1';
const QA = '00000000-0000-4000-8000-0000000000d2';
const GROUP = '00000000-0000-4000-8000-0000000000a1';
const TAG = '00000000-0000-4000-8000-0000000000f1';

const standard = compileCalendar(standardDefinition([2026]));
const isBusinessTime = (at: Date) => isWorkingInstant(standard, at);
const env = { groupDepartment: (id: string) => (id === GROUP ? QA : null), isBusinessTime };

function facts(over: Partial<RuleFacts> = {}): RuleFacts {
  return {
    categoryId: QUALITY, channel: 'phone', priority: 'P3', urgency: 'medium', customerTier: 'regular',
    productModel: 'KFR-35GW/A1', text: normalizeRuleText(['空调异响', '运行时有异响']), tagIds: new Set(),
    customFields: {}, at: new Date('2026-11-24T03:00:00Z'), ...over,
  };
}
const rule = (name: string, definition: RuleDefinition): LoadedRule => ({ id: null, name, version: 1, definition });

describe('evaluateRules', () => {
  it('routes by category, and a later rule sees what an earlier one set', () => {
    const rules = [
      rule('质量→P2', { trigger: 'intake', conditions: { field: 'category', op: 'in', value: [QUALITY] }, actions: [{ type: 'setCategory', categoryId: BUG }] }),
      rule('软件Bug→研发', { trigger: 'intake', conditions: { field: 'category', op: 'in', value: [BUG] }, actions: [{ type: 'setDepartment', departmentId: RD }] }),
    ];
    const { outcome, results } = evaluateRules({ rules, facts: facts(), env });
    expect(results.map((r) => r.matched)).toEqual([true, true]);
    expect(outcome).toMatchObject({ categoryId: BUG, departmentId: RD, routed: true });
  });

  it('all/any/not nest; A系列 by model pattern', () => {
    const c = { all: [
      { field: 'productModel', op: 'matches', value: 'A\\d+$' },
      { any: [{ field: 'category', op: 'in', value: [QUALITY] }, { field: 'keywords', op: 'any', value: ['硬件'] }] },
      { not: { field: 'channel', op: 'in', value: ['api'] } },
    ] } satisfies RuleCondition;
    expect(matchCondition(c, facts(), env)).toBe(true);
    expect(matchCondition(c, facts({ productModel: 'KFR-26GW/B2' }), env)).toBe(false);
    expect(matchCondition(c, facts({ channel: 'api' }), env)).toBe(false);
  });

  it('stop ends the run; later rules are reported skipped', () => {
    const rules = [
      rule('安全→P1', { trigger: 'intake', conditions: { field: 'keywords', op: 'any', value: ['异响'] }, actions: [{ type: 'setPriority', priority: 'P1' }, { type: 'stop' }] }),
      rule('P3', { trigger: 'intake', conditions: { field: 'category', op: 'in', value: [QUALITY] }, actions: [{ type: 'setPriority', priority: 'P3' }] }),
    ];
    const { outcome, results } = evaluateRules({ rules, facts: facts(), env });
    expect(outcome.priority).toBe('P1');
    expect(results[1]).toMatchObject({ matched: false, skipped: true });
  });

  it('a skill group brings its department; tags add up and feed later conditions', () => {
    const rules = [
      rule('tag', { trigger: 'intake', conditions: { field: 'keywords', op: 'any', value: ['异响'] }, actions: [{ type: 'addTags', tagIds: [TAG] }] }),
      rule('group', { trigger: 'intake', conditions: { field: 'tags', op: 'any', value: [TAG] }, actions: [{ type: 'assignGroup', skillGroupId: GROUP }] }),
    ];
    const { outcome } = evaluateRules({ rules, facts: facts(), env });
    expect(outcome).toMatchObject({ skillGroupId: GROUP, departmentId: QA, ownerId: null, tagIds: [TAG] });
  });

  it('no match changes nothing and routes nowhere', () => {
    const rules = [rule('x', { trigger: 'intake', conditions: { field: 'customerTier', op: 'in', value: ['vip'] }, actions: [{ type: 'setPriority', priority: 'P1' }] })];
    const { outcome } = evaluateRules({ rules, facts: facts(), env });
    expect(outcome).toMatchObject({ priority: 'P3', routed: false, departmentId: null });
  });

  it('hour of day and business hours are Shanghai local time', () => {
    // 2026-11-24 is a Tuesday; 03:00Z = 11:00 in Shanghai, 14:00Z = 22:00.
    const night: RuleCondition = { field: 'hourOfDay', op: 'between', value: [22, 6] };
    expect(matchCondition(night, facts(), env)).toBe(false);
    expect(matchCondition(night, facts({ at: new Date('2026-11-24T14:00:00Z') }), env)).toBe(true);
    expect(matchCondition({ field: 'businessHours', op: 'inside' }, facts(), env)).toBe(true);
    expect(matchCondition({ field: 'businessHours', op: 'inside' }, facts({ at: new Date('2026-11-28T03:00:00Z') }), env)).toBe(false);
    // The calendar's working time, not fixed hours: lunch break, 国庆 and its 调休 Saturday.
    const inside = (iso: string) => matchCondition({ field: 'businessHours', op: 'inside' }, facts({ at: new Date(iso) }), env);
    expect(inside('2026-11-24T04:30:00Z')).toBe(false); // 12:30, lunch
    expect(inside('2026-10-01T03:00:00Z')).toBe(false); // Thursday 11:00, 国庆
    expect(inside('2026-10-10T03:00:00Z')).toBe(true); // Saturday 11:00, 调休 working day
  });

  it('custom fields compare by value and number', () => {
    const f = facts({ customFields: { faultyPart: '压缩机', amount: 1200 } });
    expect(matchCondition({ field: 'customField', key: 'faultyPart', op: 'in', value: ['压缩机'] }, f, env)).toBe(true);
    expect(matchCondition({ field: 'customField', key: 'amount', op: 'gt', value: 1000 }, f, env)).toBe(true);
    expect(matchCondition({ field: 'customField', key: 'missing', op: 'isSet' }, f, env)).toBe(false);
  });
});

describe('zRuleDefinition', () => {
  it('names the path of a bad field', () => {
    const r = zRuleDefinition.safeParse({ trigger: 'intake', conditions: { all: [{ field: 'priority', op: 'contains', value: ['P1'] }] }, actions: [{ type: 'setPriority', priority: 'P9' }] });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths.some((p) => p.startsWith('actions.0'))).toBe(true);
  });
  it('refuses a catastrophic pattern', () => {
    const r = zRuleDefinition.safeParse({ trigger: 'intake', conditions: { field: 'productModel', op: 'matches', value: '(a+)+$' }, actions: [{ type: 'stop' }] });
    expect(r.success).toBe(false);
  });
});
