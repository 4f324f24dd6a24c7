/**
 * The words an exported sheet shows for codes (status, priority, channel …) and its column
 * headers, in zh-CN and en-US. The web app has its own locale files; this is the server's one
 * table, used by every export (and by the import to read Chinese status words back).
 * The code words must equal the web app's (test/spreadsheets/labels.test.ts compares them).
 */
export type SheetLocale = 'zh-CN' | 'en-US';

type Table = Record<string, Record<SheetLocale, string>>;

const l = (zh: string, en: string) => ({ 'zh-CN': zh, 'en-US': en });

export const CODE_LABELS: Record<string, Table> = {
  status: {
    registered: l('已登记', 'Registered'), assigned: l('已分派', 'Assigned'), analyzing: l('原因分析', 'Analyzing'),
    plan_review: l('方案审批', 'Plan review'), rectifying: l('整改中', 'Rectifying'), accepting: l('待验收', 'Acceptance'),
    follow_up: l('待回访', 'Follow-up'), closed: l('已关闭', 'Closed'), cancelled: l('已撤销', 'Cancelled'),
  },
  priority: { P1: l('P1 紧急', 'P1 Urgent'), P2: l('P2 重要', 'P2 High'), P3: l('P3 一般', 'P3 Normal') },
  channel: {
    phone: l('电话', 'Phone'), web: l('网页', 'Web'), email: l('邮件', 'E-mail'), store: l('门店', 'Store'),
    wechat: l('微信', 'WeChat'), api: l('接口', 'API'), platform: l('电商平台', 'Marketplace'),
  },
  urgency: { low: l('不急', 'Low'), medium: l('一般', 'Medium'), high: l('较急', 'High'), critical: l('非常紧急', 'Critical') },
  measureStatus: { todo: l('待开始', 'To do'), doing: l('进行中', 'In progress'), done: l('已完成', 'Done'), cancelled: l('已取消', 'Cancelled') },
  measureType: { corrective: l('纠正措施', 'Corrective'), preventive: l('预防措施', 'Preventive') },
  slaState: { active: l('计时中', 'Running'), warned: l('即将超时', 'Warning'), breached: l('已超时', 'Breached'), paused: l('已暂停', 'Paused') },
  tier: { vip: l('VIP 客户', 'VIP'), potential: l('潜力客户', 'Potential'), regular: l('普通客户', 'Regular') },
  articleStatus: { draft: l('草稿', 'Draft'), published: l('已发布', 'Published') },
  flowStatus: {
    running: l('审批中', 'Running'), approved: l('已通过', 'Approved'), rejected: l('已驳回', 'Rejected'),
    cancelled: l('已撤回', 'Withdrawn'), passed: l('已通过', 'Passed'), skipped: l('已跳过', 'Skipped'),
    transferred: l('已转交', 'Transferred'), done: l('已完成', 'Done'), waiting: l('等待中', 'Waiting'),
  },
  box: { todo: l('待我审批', 'To do'), done: l('我已审批', 'Done'), cc: l('抄送我的', 'CC') },
  bool: { true: l('是', 'Yes'), false: l('否', 'No') },
};

/** A code's label; an unknown code shows as itself. */
export function codeLabel(kind: keyof typeof CODE_LABELS | string, code: string | null | undefined, locale: SheetLocale): string {
  if (code === null || code === undefined) return '';
  return CODE_LABELS[kind]?.[code]?.[locale] ?? code;
}

export const HEADERS: Table = {
  number: l('工单号', 'Ticket no.'), title: l('标题', 'Title'), status: l('状态', 'Status'), priority: l('优先级', 'Priority'),
  urgency: l('客户紧急程度', 'Urgency'), channel: l('受理渠道', 'Channel'), category: l('问题分类', 'Category'),
  customer: l('客户', 'Customer'), phone: l('电话', 'Phone'), email: l('邮箱', 'E-mail'), department: l('责任部门', 'Department'),
  owner: l('处理人', 'Owner'), createdAt: l('登记时间', 'Created'), updatedAt: l('更新时间', 'Updated'),
  expectedBy: l('期望解决时间', 'Expected by'), slaDueAt: l('SLA 到期', 'SLA due'), slaState: l('SLA 状态', 'SLA state'),
  escalated: l('已升级', 'Escalated'), waiting: l('等待客户', 'Waiting on customer'),
  action: l('措施内容', 'Action'), measureType: l('措施类型', 'Type'), dueDate: l('完成期限', 'Due date'),
  overdue: l('已逾期', 'Overdue'), criterion: l('验收标准', 'Criterion'), ticketStatus: l('工单状态', 'Ticket status'),
  round: l('验收轮次', 'Round'), startedAt: l('开始时间', 'Started'), items: l('验收项', 'Items'), recorded: l('已记录', 'Recorded'),
  box: l('分类', 'Box'), flow: l('审批流程', 'Flow'), node: l('节点', 'Step'), taskStatus: l('任务状态', 'Task status'),
  instanceStatus: l('流程状态', 'Flow status'), initiator: l('发起人', 'Initiator'), at: l('时间', 'Time'),
  problem: l('问题现象', 'Problem'), cause: l('原因', 'Cause'), solution: l('解决方法', 'Solution'), models: l('适用型号', 'Models'),
  isPublic: l('公开', 'Public'), revision: l('版本', 'Revision'), publishedAt: l('发布时间', 'Published'),
  name: l('名称', 'Name'), tier: l('客户等级', 'Tier'), externalId: l('外部编号', 'External id'), address: l('地址', 'Address'),
};

export function header(key: string, locale: SheetLocale): string {
  return HEADERS[key]?.[locale] ?? key;
}

/** The sheet's locale: `?locale=`, else the first Accept-Language that is English, else zh-CN. */
export function sheetLocale(query: string | undefined, acceptLanguage: string | undefined): SheetLocale {
  if (query === 'en-US' || query === 'zh-CN') return query;
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en-US' : 'zh-CN';
}
