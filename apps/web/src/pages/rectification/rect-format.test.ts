import { describe, expect, it } from 'vitest';
import type { RectMeasure } from '@closeloop/contract';
import { criterionText, daysOverdue, diffPlans, dueText, minutesText, warningText } from './rect-format.js';

// A t() that shows the key and its options, so the tests see what would be translated.
const t = (key: string, o?: Record<string, unknown>) => (o ? `${key}${JSON.stringify(o)}` : key);

const measure = (id: string, over: Partial<RectMeasure> = {}): RectMeasure => ({
  id, planId: 'p', previousId: null, seq: 1, type: 'corrective', preventiveKind: null,
  owner: { id: 'u1', displayName: '张工' }, action: '更换压缩机减震垫', dueDate: '2026-12-10',
  criterion: { kind: 'metric', metric: '噪音', operator: '<', target: 45, unit: 'dB', duration: '24h' },
  status: null, overdue: false, evidenceAttachmentIds: [], note: null, startedAt: null, completedAt: null,
  completedBy: null, onBehalf: false, cancelReason: null, comments: [], ...over,
});

describe('criterionText', () => {
  it('writes a metric with operator, target, unit and duration', () => {
    expect(criterionText({ kind: 'metric', metric: '噪音', operator: '<', target: 45, unit: 'dB', duration: '24h' }, t))
      .toBe('噪音 < 45 dB，rectification.criterion.durationText{"value":"24h"}');
  });
  it('puts % right after the number and shows ≥', () => {
    expect(criterionText({ kind: 'metric', metric: '良率', operator: '>=', target: 99.5, unit: '%', sample: '3批×1000' }, t))
      .toBe('良率 ≥ 99.5%，rectification.criterion.sampleText{"value":"3批×1000"}');
  });
  it('without unit or extras is just the comparison', () => {
    expect(criterionText({ kind: 'metric', metric: '错误次数', operator: '=', target: 0, unit: '' }, t)).toBe('错误次数 = 0');
  });
  it('a check or a template text reads as its text', () => {
    expect(criterionText({ kind: 'check', text: '客户确认无异响' }, t)).toBe('客户确认无异响');
    expect(criterionText({ kind: 'text', text: '按SOP检验' }, t)).toBe('按SOP检验');
  });
});

describe('diffPlans', () => {
  it('finds added, removed, changed and unchanged measures by previousId', () => {
    const v1 = { measures: [measure('a'), measure('b', { action: '加强培训' }), measure('c')] };
    const v2 = {
      measures: [
        measure('a2', { previousId: 'a' }),
        measure('b2', { previousId: 'b', action: '装配工位加防错治具', owner: { id: 'u2', displayName: '李工' } }),
        measure('d', { action: '更新SOP' }),
      ],
    };
    const d = diffPlans(v1, v2);
    expect(d.map((x) => [x.kind, x.measure.id])).toEqual([['same', 'a2'], ['changed', 'b2'], ['added', 'd'], ['removed', 'c']]);
    expect(d[1]!.fields).toEqual(['owner', 'action']);
    expect(d[1]!.before?.action).toBe('加强培训');
  });
  it('sees a changed criterion and due date', () => {
    const d = diffPlans(
      { measures: [measure('a')] },
      { measures: [measure('a2', { previousId: 'a', dueDate: '2026-12-20', criterion: { kind: 'metric', metric: '噪音', operator: '<', target: 40, unit: 'dB', duration: '24h' } })] },
    );
    expect(d[0]!.fields).toEqual(['dueDate', 'criterion']);
  });
});

describe('overdue wording', () => {
  const today = new Date(2026, 11, 5, 15, 0);
  it('counts whole days', () => {
    expect(daysOverdue('2026-12-02', today)).toBe(3);
    expect(daysOverdue('2026-12-05', today)).toBe(0);
    expect(daysOverdue('2026-12-09', today)).toBe(0);
  });
  it('says overdue N days, due today or N days left', () => {
    expect(dueText('2026-12-02', t, today)).toEqual({ text: 'rectification.due.overdue{"count":3}', overdue: true });
    expect(dueText('2026-12-05', t, today).text).toBe('rectification.due.today');
    expect(dueText('2026-12-07', t, today).text).toBe('rectification.due.left{"count":2}');
    expect(dueText(null, t, today).text).toBe('rectification.due.none');
  });
});

describe('minutesText', () => {
  it('picks minutes or hours (no 24-hour days in business time)', () => {
    expect(minutesText(45, t)).toBe('rectification.duration.minutes{"count":45}');
    expect(minutesText(120, t)).toBe('rectification.duration.hours{"count":2}');
    expect(minutesText(135, t)).toBe('rectification.duration.hoursMinutes{"h":2,"m":15}');
    expect(minutesText(60 * 50, t)).toBe('rectification.duration.hours{"count":50}');
  });
});

describe('warningText', () => {
  it('words a vague-wording hint from the 422 field (code + quoted word) or a stored warning', () => {
    expect(warningText({ code: 'vague', message: '"加强" without a concrete object: say what' }, t)).toBe('rectification.warning.vague{"word":"加强"}');
    expect(warningText({ kind: 'vague', word: '尽快', message: 'x' }, t)).toBe('rectification.warning.vague{"word":"尽快"}');
    expect(warningText({ code: 'prefer_error_proofing', message: 'training alone' }, t)).toBe('rectification.warning.prefer_error_proofing');
    expect(warningText({ message: 'something else' }, t)).toBe('something else');
  });
});
