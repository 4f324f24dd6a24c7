/**
 * Demo acceptance templates (验收清单模板): the acceptance table of seed 000, item by item, on
 * the categories its rows belong to. Every acceptance of the category adds these items to the
 * plan's own criteria.
 */
import type { CategoryCode } from './categories.js';

export interface DemoTemplateItem { item: string; criterion: string; method: string }

export const DEMO_ACCEPTANCE_TEMPLATES: Partial<Record<CategoryCode, DemoTemplateItem[]>> = {
  'software-bug': [
    {
      item: '软件功能BUG修复', criterion: '在测试环境下连续执行相关操作100次，错误率为0%',
      method: '研发部进行单元测试，测试部进行集成测试与回归测试；附测试报告编号（如 TR-2023-088）',
    },
  ],
  quality: [
    {
      item: '设备异响', criterion: '设备在标准工况下运行24小时，噪音低于45 dB',
      method: '现场使用分贝仪测量，并录制运行视频上传附件',
    },
    {
      item: '生产线工艺参数', criterion: '优化后生产的产品良率稳定在99.5%以上',
      method: '连续抽取3个批次，每批次1000件产品全检；良率数据见QMS系统',
    },
    {
      item: '客户满意度回访', criterion: '客户对此问题处理结果的评价为"满意"或"非常满意"',
      method: '客服部门电话回访，并记录客户原话',
    },
  ],
};
