/** The demo library with the short words an admin first writes (制冷, 漏水, 型号): the tagger's hard case. */
import type { DemoTag } from '../demo/tags.js';

export const SHORT_WORD_TAGS: readonly DemoTag[] = [
  {
    name: '安装问题',
    children: [
      { name: '支架不牢固', keywords: ['支架', '膨胀螺栓', '晃动'], synonyms: ['支架松动', '外机晃动'], cases: ['bracket-loose'] },
      { name: '接口漏水', keywords: ['漏水', '接头', '滴水'], synonyms: ['渗水', '进水口'], cases: ['heater-leak-install'] },
      { name: '安装不平', keywords: ['调平', '底脚', '晃动'], synonyms: ['移位', '不平'], cases: ['washer-shaking'] },
      { name: '排水不畅', keywords: ['排水管', '坡度', '滴水'], synonyms: ['水渍', '倒坡'], cases: ['drain-slope'] },
      { name: '安装乱收费', keywords: ['收费', '安装费'], synonyms: ['高空作业', '乱收费'], cases: ['install-fee'] },
    ],
  },
  {
    name: '质量故障',
    children: [
      { name: '电机异响', keywords: ['异响', '摩擦声', '噪音'], synonyms: ['咔咔', '嗡嗡响'], cases: ['ac-noise'] },
      { name: '制冷效果差', keywords: ['制冷', '制冷效果差'], synonyms: ['不够凉', '不凉快'], cases: ['ac-weak-cooling'] },
      { name: '不制冷', keywords: ['不制冷', '压缩机'], synonyms: ['化冻', '不冷'], cases: ['fridge-no-cooling'] },
      { name: '漏电', keywords: ['漏电', '麻手'], synonyms: ['电到人', '跳闸'], cases: ['heater-leakage-current'] },
      { name: '不排水不脱水', keywords: ['排水', '脱水'], synonyms: ['积水', 'E21'], cases: ['washer-no-spin'] },
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
      { name: '外包装破损', keywords: ['破损', '压塌', '凹陷'], synonyms: ['裂纹', '箱子烂了'], cases: ['damaged-parcel'] },
      { name: '配送延迟', keywords: ['物流', '未收到'], synonyms: ['没有更新', '还没到'], cases: ['late-delivery'] },
      { name: '发错货', keywords: ['发错', '型号'], synonyms: ['型号不对', '实际收到'], cases: ['wrong-model'] },
    ],
  },
  {
    name: '软件问题',
    children: [
      { name: '配网失败', keywords: ['配网', '连接'], synonyms: ['连不上', '超时'], cases: ['app-connect'] },
      { name: 'App闪退', keywords: ['闪退'], synonyms: ['崩溃'], cases: ['app-crash'] },
      { name: '升级失败', keywords: ['升级', '固件'], synonyms: ['重启'], cases: ['ota-fail'] },
    ],
  },
  {
    name: '操作疑问',
    keywords: ['怎么', '如何', '咨询'],
    synonyms: ['不清楚', '想了解'],
    cases: ['filter-cleaning', 'cooker-timer', 'heater-eco', 'trade-in', 'warranty-query'],
  },
];
