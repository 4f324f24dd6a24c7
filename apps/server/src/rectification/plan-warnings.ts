/**
 * The vague-wording check of a submitted plan (issue #8): "尽快 / 加强 / 注意 / 及时 …" without a
 * concrete object says neither what is done nor how it is verified. A word counts as vague
 * unless the action also names something checkable: a number (a date, a quantity, a limit), a
 * document or system in capitals (SOP, FMEA, ECN), or one of the concrete objects below.
 * Training alone (培训) without error-proofing (防错) gets a hint: people forget, fixtures do not.
 * Pure: unit-tested beside it.
 */
import type { PlanInput, PlanWarning } from '@closeloop/contract';

export const VAGUE_WORDS = ['尽快', '加强', '注意', '及时', '进一步', '适当', '尽量', '做好', '严格', '提高意识', '重视'] as const;

/** Nouns that make an action concrete enough to verify (a thing one can point at). */
const CONCRETE = [
  '治具', '工装', '夹具', '检具', '防错', '防呆', '传感器', '参数', '程序', '标准', '作业指导书', '检验', '图纸', '规格',
  '物料', '供应商', '型号', '批次', '工序', '设备', '模具', '螺丝', '扭矩', '温度', '压力', '版本', '补丁', '测试用例',
];

const hasConcreteObject = (action: string) =>
  /\d/.test(action) || /[A-Z]{2,}/.test(action) || CONCRETE.some((w) => action.includes(w));

export function planWarnings(plan: PlanInput): PlanWarning[] {
  const out: PlanWarning[] = [];
  plan.measures.forEach((m, i) => {
    const path = `plan.measures.${i}.action`;
    const concrete = hasConcreteObject(m.action);
    for (const word of VAGUE_WORDS) {
      if (!m.action.includes(word) || concrete) continue;
      out.push({
        path, kind: 'vague', word,
        message: `"${word}" without a concrete object: say what is changed, by whom, and how it is checked`,
      });
    }
    if (m.action.includes('培训') && !m.action.includes('防错') && !m.action.includes('防呆')) {
      out.push({
        path, kind: 'prefer_error_proofing', word: '培训',
        message: 'training alone relies on people remembering: consider error-proofing (防错) instead or as well',
      });
    }
  });
  return out;
}
