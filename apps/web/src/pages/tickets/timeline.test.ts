import { describe, expect, it } from 'vitest';
import { eventChanges, formatValue } from './timeline.js';
import { translator } from '../../test-i18n.js';

const HANDLER = '01a20a21-f959-76d1-9c23-5f9146e0313c';

describe('timeline lines from audit events', () => {
  it('says what an accept changed, in words', async () => {
    const t = await translator('zh-CN');
    const changes = eventChanges(t, {
      type: 'ticket.accept',
      before: { status: 'assigned', ownerId: null, version: 2 },
      after: { status: 'analyzing', ownerId: HANDLER, version: 3 },
    }, (id) => (id === HANDLER ? '工程师老郑' : undefined));
    expect(changes.map((c) => `${c.label}:${c.before}→${c.after}`)).toEqual([
      '状态:已分派→原因分析',
      '负责人:（空）→工程师老郑',
    ]);
  });

  it('keeps a new ticket\'s line to the essentials', async () => {
    const t = await translator('en-US');
    const changes = eventChanges(t, {
      type: 'ticket.created',
      before: null,
      after: { number: 'SH-1', title: 'x', status: 'registered', priority: 'P1', customerId: HANDLER, product: { model: 'A' } },
    });
    expect(changes.map((c) => `${c.label}=${c.after}`)).toEqual(['Status=Registered', 'Priority=P1 Urgent']);
  });

  it('formats plans, times and unknown ids readably', async () => {
    const t = await translator('zh-CN');
    expect(formatValue(t, 'plan', { summary: '更换弹簧', measures: [{}, {}] })).toBe('更换弹簧（2 项措施）');
    expect(formatValue(t, 'departmentId', '01a20a21-fd0a-784b-92b1-93022f0dd165')).toBe('#0dd165');
    expect(formatValue(t, 'reason', 'category_default')).toBe('按问题分类默认分派');
    expect(formatValue(t, 'waiting', true)).toBe('是');
  });
});
