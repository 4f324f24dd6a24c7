/**
 * The column mapping a person starts from: each header of the legacy sheet matched to a ticket
 * field by its name or a synonym (客户 / 客户名称 / 姓名 …). Unmatched headers map to nothing;
 * the person adjusts the proposal and may save it as a named template.
 */
export const IMPORT_FIELDS = ['customer', 'phone', 'model', 'description', 'registeredAt', 'status', 'owner', 'resolution', 'title', 'serial'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const REQUIRED_FIELDS: readonly ImportField[] = ['customer', 'description', 'registeredAt'];

const SYNONYMS: Record<ImportField, string[]> = {
  customer: ['客户', '客户名称', '客户姓名', '姓名', '用户', '联系人', '顾客'],
  phone: ['电话', '联系电话', '手机', '手机号', '手机号码', '客户电话', '联系方式'],
  model: ['型号', '产品型号', '机型', '规格型号'],
  description: ['问题描述', '故障描述', '问题', '故障现象', '投诉内容', '反馈内容', '描述'],
  registeredAt: ['登记时间', '登记日期', '日期', '受理时间', '反馈时间', '投诉日期', '创建时间'],
  status: ['状态', '处理状态', '进度', '当前状态'],
  owner: ['处理人', '负责人', '责任人', '经办人', '跟进人'],
  resolution: ['处理结果', '处理意见', '解决方案', '结果', '处理措施'],
  title: ['标题', '主题', '问题标题'],
  serial: ['序列号', '机身号', 'SN', '条码'],
};

const norm = (s: string) => s.replace(/[\s:：*（）()]/g, '').toLowerCase();

/** header index → field (or null); each field is taken by at most one column, the first that names it. */
export function proposeMapping(headers: string[]): Array<ImportField | null> {
  const taken = new Set<ImportField>();
  return headers.map((h) => {
    const n = norm(h);
    // "客户信息-电话" (a merged group title joined with its column): the part after the dash decides.
    const last = norm(h.split('-').pop() ?? h);
    for (const candidate of [n, last]) {
      const field = IMPORT_FIELDS.find((f) => !taken.has(f) && SYNONYMS[f].some((s) => norm(s) === candidate));
      if (field) { taken.add(field); return field; }
    }
    return null;
  });
}
