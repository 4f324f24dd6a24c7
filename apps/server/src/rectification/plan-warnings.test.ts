import { describe, expect, it } from 'vitest';
import type { PlanInput } from '@closeloop/contract';
import { planWarnings } from './plan-warnings.js';

const plan = (...actions: string[]): PlanInput => ({
  summary: 's',
  measures: actions.map((action) => ({
    type: 'corrective', ownerId: '00000000-0000-7000-8000-000000000001', action, dueDate: '2026-12-10',
    criterion: { kind: 'check', text: 'ok' },
  })),
});

describe('planWarnings', () => {
  it('flags vague words without a concrete object, naming the field', () => {
    const w = planWarnings(plan('更换压缩机减震垫为 B 型（图号 AC-2231）', '尽快处理，加强注意'));
    expect(w.map((x) => [x.path, x.word])).toEqual([
      ['plan.measures.1.action', '尽快'], ['plan.measures.1.action', '加强'], ['plan.measures.1.action', '注意'],
    ]);
  });

  it('accepts a vague word when the action names something checkable', () => {
    expect(planWarnings(plan('加强来料检验：每批抽检 50 台'))).toEqual([]);
    expect(planWarnings(plan('及时更新 SOP 第 3 节'))).toEqual([]);
  });

  it('hints at error-proofing for training alone', () => {
    const w = planWarnings(plan('加强培训'));
    expect(w.map((x) => x.kind)).toEqual(['vague', 'prefer_error_proofing']);
    expect(planWarnings(plan('培训装配工并加装防错治具')).map((x) => x.kind)).toEqual([]);
  });
});
