/** Demo problem categories (问题分类): which process template, department and priority each gets. */
import type { CustomFieldDef, Priority, ProcessTemplate } from '@closeloop/contract';
import type { DeptCode } from './org.js';
import { CARRIERS } from './catalog.js';

export type CategoryCode = 'consult' | 'installation' | 'quality' | 'logistics' | 'return' | 'software-bug';

export interface DemoCategory {
  code: CategoryCode;
  name: string;
  nameEn: string;
  processTemplate: ProcessTemplate;
  /** Routed here at intake; none = a dispatcher (客服) routes each ticket by hand. */
  defaultDepartment?: DeptCode;
  /** Where dispatchers usually send tickets of a category without a default department. */
  dispatchTo: DeptCode;
  defaultPriority: Priority;
  customFields: CustomFieldDef[];
  sort: number;
}

export const DEMO_CATEGORIES: readonly DemoCategory[] = [
  {
    code: 'consult', name: '咨询', nameEn: 'Consultation', processTemplate: 'quick',
    dispatchTo: 'cs', defaultPriority: 'P3', customFields: [], sort: 10,
  },
  {
    code: 'installation', name: '安装问题', nameEn: 'Installation', processTemplate: 'full',
    // 客服部 or 生产部 depending on the case: dispatched by hand.
    dispatchTo: 'production', defaultPriority: 'P3', sort: 20,
    customFields: [
      { key: 'installType', label: '安装方式', labelEn: 'Installed by', type: 'select', required: false, options: ['品牌安装', '第三方安装', '自行安装'] },
      { key: 'installDate', label: '安装日期', labelEn: 'Installation date', type: 'date', required: false },
    ],
  },
  {
    code: 'quality', name: '质量故障', nameEn: 'Quality fault', processTemplate: 'full',
    defaultDepartment: 'qa', dispatchTo: 'qa', defaultPriority: 'P2', sort: 30,
    customFields: [
      {
        key: 'faultyPart', label: '故障部件', labelEn: 'Faulty part', type: 'select', required: false,
        options: ['压缩机', '风扇电机', '电源板', '温控器', '加热管', '密封件', '排水泵', '其他'],
      },
    ],
  },
  {
    code: 'logistics', name: '物流问题', nameEn: 'Logistics', processTemplate: 'full',
    defaultDepartment: 'logistics', dispatchTo: 'logistics', defaultPriority: 'P3', sort: 40,
    customFields: [
      { key: 'waybillNo', label: '运单号', labelEn: 'Waybill no.', type: 'text', required: false },
      { key: 'carrier', label: '承运商', labelEn: 'Carrier', type: 'select', required: false, options: [...CARRIERS] },
    ],
  },
  {
    code: 'return', name: '退换货', nameEn: 'Return / exchange', processTemplate: 'full',
    defaultDepartment: 'cs', dispatchTo: 'cs', defaultPriority: 'P3', sort: 50,
    customFields: [
      { key: 'remedy', label: '退换类型', labelEn: 'Remedy', type: 'select', required: false, options: ['仅退款', '退货退款', '换货', '补发', '维修'] },
    ],
  },
  {
    code: 'software-bug', name: '软件Bug', nameEn: 'Software bug', processTemplate: 'full',
    defaultDepartment: 'rd-support', dispatchTo: 'rd-support', defaultPriority: 'P2', sort: 60,
    customFields: [
      { key: 'appVersion', label: 'App 版本', labelEn: 'App version', type: 'text', required: false },
      { key: 'phoneOs', label: '手机系统', labelEn: 'Phone OS', type: 'select', required: false, options: ['Android', 'iOS', 'HarmonyOS'] },
    ],
  },
];
