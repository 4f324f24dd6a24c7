/**
 * Demo organisation: the departments of an appliance maker's after-sales loop and the staff who
 * work it. Usernames are plain ASCII so they are easy to type on the login page.
 */
import type { Role } from '@closeloop/contract';

export type DeptCode = 'cs' | 'rd-support' | 'qa' | 'production' | 'logistics';

export interface DemoDepartment {
  code: DeptCode;
  name: string;
}

export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  { code: 'cs', name: '客服部' },
  { code: 'rd-support', name: '研发部-技术支持组' },
  { code: 'qa', name: '质量部' },
  { code: 'production', name: '生产部' },
  { code: 'logistics', name: '仓储物流部' },
];

export interface DemoStaff {
  username: string;
  displayName: string;
  role: Exclude<Role, 'customer' | 'admin'>;
  departments: DeptCode[];
  /** Head (负责人) of its first department. */
  head?: boolean;
  email: string;
  phone: string;
}

const staff = (
  username: string, displayName: string, role: DemoStaff['role'], departments: DeptCode[], phone: string, head = false,
): DemoStaff => ({ username, displayName, role, departments, head, phone, email: `${username}@demo.example.com` });

export const DEMO_STAFF: readonly DemoStaff[] = [
  staff('manager01', '王建国', 'manager', ['cs'], '13801010001', true),
  staff('manager02', '李志强', 'manager', ['rd-support'], '13801010002', true),
  staff('manager03', '陈立新', 'manager', ['qa'], '13801010003', true),
  staff('manager04', '赵文斌', 'manager', ['production'], '13801010004', true),
  staff('manager05', '孙海涛', 'manager', ['logistics'], '13801010005', true),
  // Approvers the seeds name (approvals, demo/approvals.ts): 技术总监 and 财务总监; 质量经理 is
  // manager03 (head of 质量部), 客服主管 manager01 (head of 客服部).
  staff('manager06', '张国栋', 'manager', ['rd-support'], '13801010006'),
  staff('manager07', '钱丽华', 'manager', [], '13801010007'),
  staff('agent01', '刘晓燕', 'agent', ['cs'], '13801020001'),
  staff('agent02', '周婷', 'agent', ['cs'], '13801020002'),
  staff('agent03', '吴佳怡', 'agent', ['cs'], '13801020003'),
  staff('handler01', '郑浩', 'handler', ['rd-support'], '13801030001'),
  staff('handler02', '冯磊', 'handler', ['rd-support'], '13801030002'),
  staff('handler03', '何俊', 'handler', ['qa'], '13801030003'),
  staff('handler04', '韩雪', 'handler', ['qa'], '13801030004'),
  staff('handler05', '马超', 'handler', ['production'], '13801030005'),
  staff('handler06', '高峰', 'handler', ['production'], '13801030006'),
  staff('handler07', '罗军', 'handler', ['logistics'], '13801030007'),
  staff('handler08', '梁宇', 'handler', ['logistics'], '13801030008'),
  staff('handler09', '唐慧', 'handler', ['cs'], '13801030009'),
  staff('handler10', '许文静', 'handler', ['cs'], '13801030010'),
  staff('qa01', '林静', 'verifier', ['qa'], '13801040001'),
  staff('qa02', '谢婷婷', 'verifier', ['qa'], '13801040002'),
];

/** Role names as printed in the start-up banner. */
export const ROLE_LABELS: Record<DemoStaff['role'], string> = {
  agent: '客服',
  handler: '工程师',
  verifier: '验收人',
  manager: '主管',
};

export interface DemoCustomerLogin {
  username: string;
  /** Index into DEMO_CUSTOMERS: the customer record this login belongs to. */
  customerIndex: number;
}

export const DEMO_CUSTOMER_LOGINS: readonly DemoCustomerLogin[] = [
  { username: 'customer01', customerIndex: 0 },
  { username: 'customer02', customerIndex: 1 },
  { username: 'customer03', customerIndex: 2 },
];
