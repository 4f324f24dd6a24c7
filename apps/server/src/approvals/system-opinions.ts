/** Opinions the system writes on a plan it approves; staff read them as they are (Chinese first). */
export const NO_FLOW_OPINION = '该分类未配置方案审批流程，自动通过';
export const FLOW_APPROVED_OPINION = '审批流程已通过';
