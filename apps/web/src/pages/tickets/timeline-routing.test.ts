import { describe, expect, it } from 'vitest';
import { routingLines } from './timeline.js';
import { translator } from '../../test-i18n.js';

const DEPT = '01a20a21-f959-76d1-9c23-5f9146e0313c';
const GROUP = '01a20a21-f959-76d1-9c23-5f9146e0313d';
const names: Record<string, string> = { [DEPT]: '研发部-技术支持组', [GROUP]: '研发技术支持组' };

describe('routing lines in the timeline', () => {
  it("names a rule firing's changes, leaving the before → after fields to the change list", async () => {
    const t = await translator('zh-CN');
    const lines = routingLines(t, {
      type: 'ticket.rule_fired', after: { priority: 'P1' },
      data: { name: '软件Bug→研发', changes: { departmentId: DEPT, skillGroupId: GROUP, priority: 'P1', stop: true } },
    }, (id) => names[id]);
    expect(lines).toEqual(['部门：研发部-技术支持组', '技能组：研发技术支持组', '停止后续规则']);
    expect(t('rules.fired', { name: '软件Bug→研发' })).toBe('规则『软件Bug→研发』已执行');
  });

  it('lists suggested and decided tags by path', async () => {
    const t = await translator('zh-CN');
    expect(routingLines(t, { type: 'ticket.tags_suggested', after: null, data: { tags: [{ path: '质量故障 › 电机异响' }] } }, () => undefined))
      .toEqual(['质量故障 › 电机异响']);
    expect(routingLines(t, { type: 'ticket.tags_decided', after: null, data: { confirmed: [{ path: 'A' }], removed: [], added: [{ path: 'B' }] } }, () => undefined))
      .toEqual(['确认：A', '添加：B']);
  });
});
