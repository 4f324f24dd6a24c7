/**
 * The organisation of the read-benchmark database (bench:seed): ten departments of an appliance
 * maker's after-sales loop, about eighty staff, ten problem categories routed to departments, and
 * the probe words the read bench searches for. Pure data: the seed and its workers import it.
 * The demo's departments, categories and texts (apps/server/src/demo) are reused where they fit.
 */
import type { Priority, ProcessTemplate, Role } from '@closeloop/contract';
import { DEMO_CATEGORIES } from '../apps/server/src/demo/categories.js';
import type { CategoryCode } from '../apps/server/src/demo/categories.js';
import { DEMO_DEPARTMENTS } from '../apps/server/src/demo/org.js';

export interface BenchDepartment { code: string; name: string }

export const BENCH_DEPARTMENTS: readonly BenchDepartment[] = [
  ...DEMO_DEPARTMENTS,
  { code: 'east-service', name: '华东服务中心' },
  { code: 'south-service', name: '华南服务中心' },
  { code: 'install', name: '安装服务部' },
  { code: 'parts', name: '备件中心' },
  { code: 'ecommerce', name: '电商客服部' },
];

export interface BenchStaff {
  username: string;
  displayName: string;
  role: Exclude<Role, 'customer'>;
  departments: string[];
  head: boolean;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '建华', '晓东', '海燕', '志强', '文静'];

/** A Chinese name for the n-th person; different n give different names for n < 400. */
export function personName(n: number): string {
  return `${SURNAMES[n % SURNAMES.length]}${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]}`;
}

/** Handlers per department: the busy front-line departments get more. */
const HANDLERS: Record<string, number> = {
  cs: 5, 'rd-support': 4, qa: 7, production: 5, logistics: 5,
  'east-service': 7, 'south-service': 6, install: 5, parts: 3, ecommerce: 5,
};

function buildStaff(): BenchStaff[] {
  const out: BenchStaff[] = [];
  let n = 0;
  out.push({ username: 'bench_admin', displayName: '系统管理员', role: 'admin', departments: [], head: false });
  BENCH_DEPARTMENTS.forEach((d, i) => {
    out.push({
      username: `bench_manager${String(i + 1).padStart(2, '0')}`, displayName: personName(n++), role: 'manager',
      departments: [d.code], head: true,
    });
  });
  let h = 0;
  for (const d of BENCH_DEPARTMENTS) {
    for (let k = 0; k < HANDLERS[d.code]!; k++) {
      out.push({
        username: `bench_handler${String(++h).padStart(2, '0')}`, displayName: personName(n++), role: 'handler',
        departments: [d.code], head: false,
      });
    }
  }
  for (let k = 0; k < 12; k++) {
    out.push({
      username: `bench_agent${String(k + 1).padStart(2, '0')}`, displayName: personName(n++), role: 'agent',
      departments: [k < 9 ? 'cs' : 'ecommerce'], head: false,
    });
  }
  // Platform and API intake files tickets through an integration's token.
  out.push({ username: 'bench_integration', displayName: '电商平台对接', role: 'agent', departments: [], head: false });
  out.push({ username: 'bench_verifier01', displayName: personName(n++), role: 'verifier', departments: ['qa'], head: false });
  out.push({ username: 'bench_verifier02', displayName: personName(n++), role: 'verifier', departments: ['qa'], head: false });
  return out;
}

export const BENCH_STAFF: readonly BenchStaff[] = buildStaff();

/** Whose API tokens the read bench uses: a manager and a handler of the busiest department. */
export const BENCH_LOGINS = {
  admin: 'bench_admin',
  manager: 'bench_manager03',
  handler: BENCH_STAFF.find((s) => s.role === 'handler' && s.departments[0] === 'qa')!.username,
  customer: 'bench_customer',
} as const;

export interface BenchCategory {
  code: string;
  name: string;
  nameEn: string;
  processTemplate: ProcessTemplate;
  /** Routed at intake; none = a dispatcher (客服) routes each ticket by hand. */
  defaultDepartment: string | null;
  /** Where its tickets end up, with weights (the default department first when there is one). */
  departments: ReadonlyArray<readonly [string, number]>;
  defaultPriority: Priority;
  /** Which demo case texts describe its problems. */
  cases: readonly CategoryCode[];
  weight: number;
  sort: number;
}

const demo = (code: CategoryCode) => DEMO_CATEGORIES.find((c) => c.code === code)!;

export const BENCH_CATEGORIES: readonly BenchCategory[] = [
  { ...demo('consult'), defaultDepartment: null, departments: [['cs', 8], ['ecommerce', 2]], cases: ['consult'], weight: 22 },
  { ...demo('installation'), defaultDepartment: null, departments: [['install', 6], ['production', 2], ['cs', 1]], cases: ['installation'], weight: 12 },
  { ...demo('quality'), defaultDepartment: 'qa', departments: [['qa', 5], ['east-service', 3], ['south-service', 2]], cases: ['quality'], weight: 20 },
  { ...demo('logistics'), defaultDepartment: 'logistics', departments: [['logistics', 1]], cases: ['logistics'], weight: 9 },
  { ...demo('return'), defaultDepartment: 'cs', departments: [['cs', 3], ['ecommerce', 1]], cases: ['return'], weight: 8 },
  { ...demo('software-bug'), defaultDepartment: 'rd-support', departments: [['rd-support', 1]], cases: ['software-bug'], weight: 6 },
  {
    code: 'repair', name: '上门维修', nameEn: 'Home repair', processTemplate: 'full', defaultDepartment: 'east-service',
    departments: [['east-service', 3], ['south-service', 2]], defaultPriority: 'P2', cases: ['quality', 'installation'], weight: 10, sort: 70,
  },
  {
    code: 'parts', name: '配件咨询', nameEn: 'Spare parts', processTemplate: 'quick', defaultDepartment: 'parts',
    departments: [['parts', 1]], defaultPriority: 'P3', cases: ['consult'], weight: 5, sort: 80,
  },
  {
    code: 'complaint', name: '服务投诉', nameEn: 'Complaint', processTemplate: 'full', defaultDepartment: null,
    departments: [['cs', 2], ['east-service', 1], ['south-service', 1]], defaultPriority: 'P2', cases: ['return', 'installation'], weight: 4, sort: 90,
  },
  {
    code: 'platform-order', name: '电商订单问题', nameEn: 'Marketplace order', processTemplate: 'full', defaultDepartment: 'ecommerce',
    departments: [['ecommerce', 1]], defaultPriority: 'P3', cases: ['logistics', 'return'], weight: 4, sort: 100,
  },
];

/**
 * Words the read bench searches for. Common ones come with the texts (each in well over 10 % of
 * tickets); rare ones are planted into a few tickets each, so a search for them has a known answer.
 */
export const COMMON_WORDS = ['异响', '漏水'] as const;
export const TWO_WORDS = '空调 漏水';
export const ONE_CHARACTER = '响';
export const RARE_WORDS = ['琥珀色冷凝', '钛合金铰链'] as const;
/** A serial number planted the same way: latin/digit words are matched as prefixes. */
export const RARE_SERIAL = 'QZX7731K';
/** Tickets that carry each rare word (spread over the whole history). */
export const RARE_TICKETS = 50;
/** Tickets of the known customer (the one with a portal login and the known phone). */
export const KNOWN_CUSTOMER_TICKETS = 24;
