/**
 * Demo tag library (问题标签库, seed 003 §2.1 (3)): two levels, each leaf with the words an
 * after-sales desk hears for it. `cases` names the demo cases (demo/cases.ts) the tag is the
 * right answer for: the tagger's precision test scores suggestions against them.
 */
export interface DemoTag {
  name: string;
  keywords?: string[];
  synonyms?: string[];
  cases?: string[];
  children?: DemoTag[];
}

export const DEMO_TAGS: readonly DemoTag[] = [
  {
    name: '安装问题',
    children: [
      { name: '支架不牢固', keywords: ['支架', '膨胀螺栓'], synonyms: ['支架晃动', '支架松动', '外机晃动'], cases: ['bracket-loose'] },
      { name: '接口漏水', keywords: ['接头漏水', '接口漏水', '接头处'], synonyms: ['阀门滴水', '进水口'], cases: ['heater-leak-install'] },
      { name: '安装不平', keywords: ['调平', '底脚'], synonyms: ['整机晃动', '剧烈晃动'], cases: ['washer-shaking'] },
      { name: '排水不畅', keywords: ['排水管', '坡度'], synonyms: ['室内机滴水', '水渍'], cases: ['drain-slope'] },
      { name: '安装乱收费', keywords: ['收费标准', '安装费'], synonyms: ['高空作业', '铜管加长'], cases: ['install-fee'] },
    ],
  },
  {
    name: '质量故障',
    children: [
      { name: '电机异响', keywords: ['异响', '摩擦声'], synonyms: ['咔咔', '嗡嗡响', '噪音大'], cases: ['ac-noise'] },
      { name: '制冷效果差', keywords: ['制冷效果差', '制冷差'], synonyms: ['不够凉', '室温仍'], cases: ['ac-weak-cooling'] },
      { name: '不制冷', keywords: ['不制冷', '压缩机不启动'], synonyms: ['化冻', '不冷'], cases: ['fridge-no-cooling'] },
      { name: '漏电', keywords: ['漏电', '麻手'], synonyms: ['电到', '跳闸'], cases: ['heater-leakage-current'] },
      { name: '不排水不脱水', keywords: ['不排水', '不脱水'], synonyms: ['筒内积水', 'E21'], cases: ['washer-no-spin'] },
    ],
  },
  {
    name: '烹饪效果异常',
    children: [
      { name: '夹生', keywords: ['夹生'], synonyms: ['中间硬', '米饭半生'], cases: ['cooker-undercooked'] },
    ],
  },
  {
    name: '物流问题',
    children: [
      { name: '外包装破损', keywords: ['破损', '压塌'], synonyms: ['外壳凹陷', '箱子烂了'], cases: ['damaged-parcel'] },
      { name: '配送延迟', keywords: ['未收到货', '物流信息'], synonyms: ['没有更新', '还没到'], cases: ['late-delivery'] },
      { name: '发错货', keywords: ['发错', '实际收到'], synonyms: ['型号不对'], cases: ['wrong-model'] },
    ],
  },
  {
    name: '软件问题',
    children: [
      { name: '配网失败', keywords: ['配网', '连接超时'], synonyms: ['连不上'], cases: ['app-connect'] },
      { name: 'App闪退', keywords: ['闪退'], synonyms: ['崩溃'], cases: ['app-crash'] },
      { name: '升级失败', keywords: ['升级失败', '固件升级'], synonyms: ['反复重启'], cases: ['ota-fail'] },
    ],
  },
  {
    name: '操作疑问',
    keywords: ['怎么', '如何', '咨询'],
    synonyms: ['不清楚', '想了解'],
    cases: ['filter-cleaning', 'cooker-timer', 'heater-eco', 'trade-in', 'warranty-query'],
  },
];
