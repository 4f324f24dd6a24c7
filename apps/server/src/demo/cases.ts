/**
 * Demo problem cases, written from the seed documents (shared/seeds) and typical household
 * appliance after-sales work. Each case gives the intake texts and, for the full loop, coherent
 * solutions: root-cause analysis with a 5-Why chain, measures with one owner department, a due
 * date and a quantified criterion, and what the verifier found. `{x}` marks are filled per ticket.
 */
import type { Priority, RootCauseClass, Urgency } from '@closeloop/contract';
import type { CategoryCode } from './categories.js';
import type { ProductKind } from './catalog.js';
import type { DeptCode } from './org.js';

export interface DemoMeasure {
  action: string;
  criterion: string;
  dept: DeptCode;
  dueDays: number;
}

export interface DemoSolution {
  directCause: string;
  rootCause: string;
  rootCauseClass: RootCauseClass;
  fiveWhys: string[];
  responsible: DeptCode;
  summary: string;
  measures: DemoMeasure[];
  /** The verifier's note on passing. */
  acceptance: string;
  /** Why a first acceptance failed (rework). */
  failReason: string;
}

export interface DemoCase {
  key: string;
  category: CategoryCode;
  products: ProductKind[];
  /** Relative frequency within its category. */
  weight: number;
  priority: Priority;
  urgency: Urgency[];
  /** Department that takes it instead of the category's default (reassigned at intake). */
  route?: DeptCode;
  titles: string[];
  scenes: string[];
  phenomena: string[];
  tried: string[];
  /** Custom-field values; keys as in categories.ts. */
  fields?: Record<string, string[]>;
  /** Quick path: the answer given. */
  resolutions?: string[];
  solutions?: DemoSolution[];
}

export const DEMO_CASES: readonly DemoCase[] = [
  // ---- 咨询 (quick) -------------------------------------------------------------------------
  {
    key: 'filter-cleaning', category: 'consult', products: ['ac', 'robot'], weight: 3, priority: 'P3', urgency: ['low'],
    titles: ['{product}滤网怎么清洗', '咨询{product} {model} 的滤网清洁方法'],
    scenes: ['客户家中{product}使用约一年，准备入夏前自行保养。'],
    phenomena: ['用了一段时间效果变差，想了解滤网清洗步骤和周期。', '说明书丢失，不清楚滤网拆卸方法。'],
    tried: ['在网上搜索过视频，但型号不一致。', '暂未尝试。'],
    resolutions: [
      '已电话指导：断电后掀开面板，向下取出滤网，用清水冲洗、阴干后装回；建议每两周清洗一次。已通过短信发送图文教程链接，客户表示明白。',
      '已发送 {model} 保养视频，并告知滤网可在官方商城购买（配件号 FL-{n}），清洗后如异味仍在可预约深度清洗服务。',
    ],
  },
  {
    key: 'warranty-query', category: 'consult', products: ['ac', 'heater', 'washer', 'fridge', 'cooker'], weight: 3, priority: 'P3', urgency: ['low'],
    titles: ['{product}保修期多久', '查询 {model} 保修政策'],
    scenes: ['客户准备报修，想先确认是否还在保修期内。'],
    phenomena: ['购买日期为 {purchaseDate}，发票已遗失，询问能否保修。'],
    tried: ['查过保修卡，但字迹模糊。'],
    resolutions: [
      '已告知：整机保修 1 年，压缩机/电机等主要部件保修 {years} 年；发票遗失可凭订单号或机身条码（序列号）确认出厂日期，出厂日期后 3 个月起算保修。',
      '已按序列号查询：该机在保修期内，可免费上门维修，已为客户提供报修入口。',
    ],
  },
  {
    key: 'cooker-timer', category: 'consult', products: ['cooker'], weight: 2, priority: 'P3', urgency: ['low'],
    titles: ['电饭煲预约煮饭怎么设置', '{model} 预约功能使用咨询'],
    scenes: ['客户想早上 7 点吃上热粥，前一晚设置预约。'],
    phenomena: ['按说明书设置后显示的是倒计时时间，不确定是几点煮好。'],
    tried: ['按过“预约”键，但时间设置后又被取消。'],
    resolutions: ['已解释：本机预约时间为“多少小时后煮好”，例如晚上 11 点设置 8 小时即早上 7 点煮好；设置后需再按“开始”键确认。客户现场操作成功。'],
  },
  {
    key: 'heater-eco', category: 'consult', products: ['heater'], weight: 2, priority: 'P3', urgency: ['low'],
    titles: ['热水器节能模式怎么设置', '电热水器温度设多少最省电'],
    scenes: ['冬季电费偏高，客户想调整热水器使用方式。'],
    phenomena: ['不清楚“峰谷电”和“节能”模式的区别。'],
    tried: ['自行调到 75℃ 常开。'],
    resolutions: ['已建议：日常设定 50–55℃，开启峰谷模式在谷电时段加热；长时间外出关闭电源。已发送节能使用指南。'],
  },
  {
    key: 'install-schedule', category: 'consult', products: ['ac', 'heater', 'washer'], weight: 3, priority: 'P3', urgency: ['medium'],
    titles: ['{product}上门安装什么时候能排期', '预约 {model} 安装时间'],
    scenes: ['商品已签收，客户周末在家，希望尽快安装。'],
    phenomena: ['订单 {orderNo} 已签收两天，还没有师傅联系。'],
    tried: ['在 App 上提交过预约，未收到确认短信。'],
    resolutions: ['已为客户预约本周六上午 9:00–12:00 上门安装，安装师傅将提前 1 小时电话联系；预约短信已补发。'],
  },
  {
    key: 'invoice', category: 'consult', products: ['ac', 'fridge', 'washer'], weight: 2, priority: 'P3', urgency: ['low'],
    titles: ['如何开具增值税专用发票', '订单 {orderNo} 发票抬头修改'],
    scenes: ['客户为公司采购，需要报销。'],
    phenomena: ['下单时选了个人抬头，需要改为公司抬头并开专票。'],
    tried: ['在订单页面找不到修改入口。'],
    resolutions: ['已登记公司名称与税号，财务将在 3 个工作日内重开增值税专用发票并以电子形式发送至客户邮箱。'],
  },
  {
    key: 'trade-in', category: 'consult', products: ['ac', 'fridge', 'washer'], weight: 1, priority: 'P3', urgency: ['low'],
    titles: ['以旧换新活动怎么参加', '咨询{product}以旧换新补贴'],
    scenes: ['家中旧{product}使用十年，考虑换新。'],
    phenomena: ['想了解旧机回收价格和补贴叠加规则。'],
    tried: ['看过活动页面，但没看懂补贴规则。'],
    resolutions: ['已说明：旧机按品类统一回收（{product} 150 元），可与国家以旧换新补贴叠加；下单时选择“以旧换新”，送新机时同步拆旧。'],
  },

  // ---- 安装问题 ------------------------------------------------------------------------------
  {
    key: 'bracket-loose', category: 'installation', products: ['ac'], weight: 4, priority: 'P1', urgency: ['critical', 'high'],
    titles: ['空调外机安装支架不牢固', '{model} 外机支架晃动，存在坠落风险'],
    scenes: ['空调外机安装在 {floor} 楼外墙，昨晚刮大风时。', '安装后第 {days} 天，客户开窗时发现。'],
    phenomena: ['外机支架明显晃动，有位移，一颗膨胀螺栓已松脱外露。', '外机运行时整个支架共振，墙面出现裂缝。'],
    tried: ['客户自行拧紧螺栓，但仍然晃动。', '已停止使用空调，外机下方拉了警戒带。'],
    fields: { installType: ['品牌安装', '第三方安装'] },
    solutions: [
      {
        directCause: '膨胀螺栓打入外墙保温层而非承重墙体，锚固深度不足 40 mm。',
        rootCause: '安装作业指导书未要求确认墙体材质，也没有拉拔测试步骤；安装验收只看外观。',
        rootCauseClass: 'installation',
        fiveWhys: [
          '为什么支架晃动？膨胀螺栓松动。',
          '为什么螺栓松动？螺栓只打进了保温层，没有进入承重墙。',
          '为什么没打进承重墙？师傅未确认墙体结构，螺栓长度按常规选 80 mm。',
          '为什么未确认？作业指导书 SOP-AZ-03 没有墙体确认步骤。',
          '为什么 SOP 缺失？外墙保温改造后的楼盘增多，SOP 两年未修订。',
        ],
        responsible: 'production',
        summary: '先消除坠落隐患：重新固定外机并加装斜撑；再修订安装 SOP，增加墙体确认与拉拔测试，并排查同期安装用户。',
        measures: [
          { action: '上门更换 M10×120 不锈钢化学锚栓并加装支架斜撑，外机重新固定。', criterion: '支架静载 200 kg 保持 10 分钟无位移，单颗锚栓拉拔力 ≥ 5 kN。', dept: 'production', dueDays: 1 },
          { action: '修订安装作业指导书 SOP-AZ-03：增加墙体材质确认、锚栓长度选型表和拉拔测试记录。', criterion: 'SOP 发布，30 名安装师傅培训考核合格率 100%。', dept: 'production', dueDays: 10 },
          { action: '回访排查本月同一安装网点的 {n} 户外机安装。', criterion: '排查覆盖率 100%，发现的隐患 48 小时内整改完毕。', dept: 'cs', dueDays: 7 },
        ],
        acceptance: '现场复核：静载 200 kg 无位移，拉拔测试 5.6 kN，斜撑焊点完好；SOP 修订版已发布并附培训签到表。',
        failReason: '拉拔测试仅 3.8 kN，未达到 ≥ 5 kN 的标准，需重新锚固。',
      },
    ],
  },
  {
    key: 'heater-leak-install', category: 'installation', products: ['heater'], weight: 3, priority: 'P2', urgency: ['high', 'medium'],
    titles: ['热水器安装后进水口漏水', '{model} 安装后接头滴水'],
    scenes: ['新装电热水器，第一次加热后。', '安装完成 {days} 天，卫生间吊顶内。'],
    phenomena: ['进水口阀门接头处持续滴水，约每分钟 20 滴，地面积水。'],
    tried: ['关闭了进水总阀，用毛巾包住接头。'],
    fields: { installType: ['品牌安装'] },
    solutions: [
      {
        directCause: '进水口接头未加密封垫圈，只缠了少量生料带。',
        rootCause: '安装完成后未按要求做 0.8 MPa 保压测试，漏点未在现场发现；配件包中垫圈缺装。',
        rootCauseClass: 'installation',
        fiveWhys: [
          '为什么漏水？进水口接头密封失效。',
          '为什么失效？缺少密封垫圈。',
          '为什么缺垫圈？配件包缺装，师傅用生料带替代。',
          '为什么没发现漏点？未做保压测试。',
          '为什么未做？保压测试不在安装完工签字清单里。',
        ],
        responsible: 'production',
        summary: '更换密封件并保压复测；配件包增加称重防错，完工清单加入保压测试。',
        measures: [
          { action: '上门加装密封垫圈、更换安全阀，并清理吊顶积水。', criterion: '0.8 MPa 保压 30 分钟压降为 0，接头无渗漏。', dept: 'production', dueDays: 1 },
          { action: '配件包出库增加称重校验（缺件重量差 ≥ 5 g 自动拦截）。', criterion: '连续 1000 包出库缺件率 0。', dept: 'logistics', dueDays: 14 },
          { action: '安装完工签字清单增加“保压测试”项，App 强制上传压力表照片。', criterion: 'App 版本上线，抽查 50 单照片上传率 100%。', dept: 'rd-support', dueDays: 14 },
        ],
        acceptance: '保压 0.8 MPa 30 分钟无压降，现场照片与压力表读数已上传；配件包称重校验已在仓库启用。',
        failReason: '复查时安全阀泄压口仍有间歇滴水，需更换安全阀后重新验收。',
      },
    ],
  },
  {
    key: 'washer-shaking', category: 'installation', products: ['washer'], weight: 3, priority: 'P3', urgency: ['medium'],
    titles: ['洗衣机脱水时剧烈晃动', '{model} 安装后脱水移位'],
    scenes: ['新机安装后第一次使用脱水程序。'],
    phenomena: ['脱水时整机剧烈晃动并向前移动约 10 cm，噪音很大。'],
    tried: ['在机脚下垫了纸板，效果不明显。'],
    fields: { installType: ['品牌安装', '自行安装'] },
    solutions: [
      {
        directCause: '背部 4 颗运输固定螺栓未拆除，调平脚未锁紧。',
        rootCause: '安装师傅漏拆运输螺栓，完工检查无“空载脱水试机”步骤。',
        rootCauseClass: 'installation',
        fiveWhys: [
          '为什么晃动？滚筒无法自由减振。',
          '为什么无法减振？运输螺栓未拆除。',
          '为什么未拆除？师傅疏漏，客户也不知道需要拆。',
          '为什么没发现？安装后未试机脱水。',
          '为什么没试机？完工流程没有试机要求。',
        ],
        responsible: 'production',
        summary: '拆除运输螺栓、重新调平；完工流程增加空载脱水试机，并在机身贴醒目提示。',
        measures: [
          { action: '上门拆除运输螺栓、调平并锁紧调平脚。', criterion: '水平仪前后左右误差 ≤ 1°，满载脱水不移位。', dept: 'production', dueDays: 2 },
          { action: '在机身背板增加红色“安装前请拆除运输螺栓”标签。', criterion: '新批次产品 100% 贴签，抽检 200 台无漏贴。', dept: 'production', dueDays: 20 },
        ],
        acceptance: '满载 8 kg 脱水 1000 转，整机无移位，振动值 2.1 mm/s（标准 ≤ 4.5 mm/s）。',
        failReason: '高速脱水时仍有轻微移位，调平脚未锁紧，需重新调平。',
      },
    ],
  },
  {
    key: 'drain-slope', category: 'installation', products: ['ac'], weight: 2, priority: 'P3', urgency: ['medium'],
    titles: ['空调室内机滴水', '{model} 室内机漏水打湿墙面'],
    scenes: ['制冷模式连续运行 2 小时后。'],
    phenomena: ['室内机右下角滴水，墙面有水渍。'],
    tried: ['清洗过滤网，仍然滴水。'],
    fields: { installType: ['品牌安装', '第三方安装'] },
    solutions: [
      {
        directCause: '排水管穿墙段倒坡，冷凝水回流。',
        rootCause: '墙孔位置高于室内机出水口，安装时未按要求保持 ≥ 1% 的下坡度。',
        rootCauseClass: 'installation',
        fiveWhys: [
          '为什么滴水？冷凝水无法排出。',
          '为什么无法排出？排水管倒坡。',
          '为什么倒坡？墙孔开在了出水口上方。',
          '为什么这样开孔？原有墙孔复用，师傅未评估坡度。',
          '为什么未评估？安装检查表没有排水坡度项。',
        ],
        responsible: 'production',
        summary: '重新走管保证坡度，安装检查表增加排水坡度与灌水试验。',
        measures: [
          { action: '重新开孔并更换排水管，保证下坡度 ≥ 1%。', criterion: '灌水 1 L 在 2 分钟内全部从室外排出，连续制冷 4 小时室内机无滴水。', dept: 'production', dueDays: 3 },
          { action: '安装检查表增加“排水坡度/灌水试验”项。', criterion: '检查表发布，抽查 30 单记录完整率 100%。', dept: 'production', dueDays: 14 },
        ],
        acceptance: '灌水试验 1 L 于 80 秒内排净；连续制冷 6 小时无滴水，墙面干燥。',
        failReason: '灌水试验排水用时 4 分钟，坡度仍不足，需重新调整。',
      },
    ],
  },
  {
    key: 'install-fee', category: 'installation', products: ['ac', 'heater'], weight: 2, priority: 'P2', urgency: ['high'], route: 'cs',
    titles: ['安装师傅额外收费', '{product}安装被收取高额辅材费'],
    scenes: ['品牌安装师傅上门安装后结算。'],
    phenomena: ['师傅以“铜管加长”“高空作业”为由收取 {money} 元，没有收费标准和发票。'],
    tried: ['客户要求出示收费标准，师傅无法提供。'],
    fields: { installType: ['品牌安装'] },
    solutions: [
      {
        directCause: '安装网点师傅未按公示价目表收费。',
        rootCause: '辅材收费没有线上化，价格靠口头告知，客户无法核对；网点考核缺少收费投诉指标。',
        rootCauseClass: 'service',
        fiveWhys: [
          '为什么多收费？师傅按自己的报价收费。',
          '为什么能自行报价？收费不经系统，现场收现金。',
          '为什么不经系统？辅材收费功能未上线。',
          '为什么客户无法核对？价目表只在官网角落公示。',
          '为什么网点不约束？收费投诉未纳入网点考核。',
        ],
        responsible: 'cs',
        summary: '按价目表退还多收费用并致歉；辅材收费改为 App 扫码支付并展示价目表，收费投诉纳入网点考核。',
        measures: [
          { action: '核对价目表，向客户退还多收费用并由网点负责人致歉。', criterion: '退款到账，客户确认金额无异议。', dept: 'cs', dueDays: 2 },
          { action: '辅材收费改为 App 扫码支付，逐项显示价目表价格。', criterion: '功能上线，试点网点现金收费比例降为 0。', dept: 'rd-support', dueDays: 30 },
          { action: '网点月度考核增加“收费投诉率”，超过 0.5% 扣减派单量。', criterion: '考核办法发布并通知全部合作网点。', dept: 'cs', dueDays: 15 },
        ],
        acceptance: '退款凭证已上传，客户电话确认收到；App 扫码收费已在试点网点上线。',
        failReason: '退款金额与价目表核算差 60 元，客户不认可，需重新核算。',
      },
    ],
  },

  // ---- 质量故障 ------------------------------------------------------------------------------
  {
    key: 'ac-noise', category: 'quality', products: ['ac'], weight: 5, priority: 'P2', urgency: ['high', 'medium'],
    titles: ['空调异响', '{model} 制冷时室内机异响', '空调夜间运行有“咔咔”声'],
    scenes: ['新买的空调在制冷模式下运行，尤其晚上 11 点后明显。', '卧室空调睡眠模式，夜间低风速运行时。'],
    phenomena: ['室内机运行约 15 分钟后出风口有“咔咔”异响，手机测约 50 dB，影响睡眠。', '低风速时有周期性摩擦声，高风速时减弱。'],
    tried: ['重启过空调，清洗了滤网，问题仍在。', '师傅上门一次，当时未复现。'],
    fields: { faultyPart: ['风扇电机'] },
    solutions: [
      {
        directCause: '贯流风扇电机轴承润滑不足，低转速下摩擦异响。',
        rootCause: '供应商该批次轴承润滑脂加注量不足（标准 0.8 g，实测 0.5 g），来料检验未包含加注量抽检。',
        rootCauseClass: 'supplier',
        fiveWhys: [
          '为什么异响？风扇电机轴承摩擦。',
          '为什么摩擦？润滑脂不足。',
          '为什么不足？供应商加注工装定量阀漂移。',
          '为什么没发现？来料检验项目不含加注量。',
          '为什么不含？检验标准未随供应商工艺变更更新（流出原因）。',
        ],
        responsible: 'qa',
        summary: '更换新批次风扇电机消除异响；要求供应商 8D 整改加注工装，更新来料检验标准，横向排查同批次电机。',
        measures: [
          { action: '上门更换新批次风扇电机（批次 {batch}）。', criterion: '标准工况运行 24 小时，室内机 1 m 处噪音 < 45 dB。', dept: 'qa', dueDays: 2 },
          { action: '供应商 8D 整改：加注工装加装定量校验与报警。', criterion: '连续 3 批来料各抽检 50 件，加注量 0.8±0.05 g 合格率 100%。', dept: 'qa', dueDays: 21 },
          { action: '更新来料检验标准 IQC-FM-07，增加轴承加注量抽检。', criterion: '标准发布，检验记录在 QMS 中可追溯。', dept: 'qa', dueDays: 10 },
        ],
        acceptance: '现场分贝仪实测 38 dB，连续运行 24 小时无异响，测量视频已上传；供应商 8D 报告编号 8D-2024-{n}。',
        failReason: '复测噪音 47 dB，高于 45 dB 标准，需重新整改。',
      },
      {
        directCause: '室内机导风板卡扣与面板干涉，热胀冷缩后摩擦发声。',
        rootCause: '模具修模后卡扣尺寸偏大 0.3 mm，首件检验未测该尺寸。',
        rootCauseClass: 'manufacturing',
        fiveWhys: [
          '为什么异响？导风板与面板摩擦。',
          '为什么摩擦？卡扣尺寸偏大。',
          '为什么偏大？模具修模后尺寸漂移。',
          '为什么没发现？首件检验清单未包含卡扣尺寸。',
          '为什么未包含？修模后首件检验只做外观。',
        ],
        responsible: 'production',
        summary: '更换导风板组件；修模后首件检验增加关键尺寸测量。',
        measures: [
          { action: '上门更换导风板组件。', criterion: '冷热循环 3 次后运行 24 小时，噪音 < 45 dB 且无摩擦声。', dept: 'production', dueDays: 3 },
          { action: '修模后首件检验清单增加卡扣尺寸（公差 ±0.1 mm）。', criterion: '连续 3 次修模首件记录完整且合格。', dept: 'production', dueDays: 14 },
        ],
        acceptance: '冷热循环后连续运行 24 小时，噪音 39 dB，无摩擦声。',
        failReason: '低温制热时仍有轻微摩擦声，需进一步排查。',
      },
    ],
  },
  {
    key: 'ac-weak-cooling', category: 'quality', products: ['ac'], weight: 4, priority: 'P2', urgency: ['high'],
    titles: ['空调制冷效果差', '{model} 制冷慢，室温降不下来'],
    scenes: ['室外 36℃，客厅约 25 ㎡，门窗关闭。'],
    phenomena: ['设定 18℃ 运行两小时，室温仍有 29℃，出风口温度约 20℃。'],
    tried: ['清洗滤网，检查遥控器模式为制冷，无改善。'],
    fields: { faultyPart: ['压缩机', '其他'] },
    solutions: [
      {
        directCause: '冷媒泄漏，系统压力偏低（低压 0.35 MPa，正常 0.9 MPa）。',
        rootCause: '蒸发器 U 形弯焊点微漏，出厂氦检工位灵敏度设置过宽，未能检出。',
        rootCauseClass: 'manufacturing',
        fiveWhys: [
          '为什么制冷差？冷媒不足。',
          '为什么不足？焊点微漏。',
          '为什么有微漏？该批次焊接温度偏低。',
          '为什么出厂没检出？氦检灵敏度设为 5 g/年，微漏低于阈值。',
          '为什么设得这么宽？工位参数沿用旧机型，未按 R32 机型评审。',
        ],
        responsible: 'production',
        summary: '补焊并重新充注冷媒；收紧氦检灵敏度，焊接工艺参数纳入首件确认。',
        measures: [
          { action: '补焊漏点，抽真空后按铭牌重新充注 R32 冷媒 {grams} g。', criterion: '出风口温度 ≤ 12℃，室温 1 小时内从 30℃ 降至 26℃。', dept: 'production', dueDays: 2 },
          { action: '氦检工位灵敏度由 5 g/年 调整为 3 g/年，并每班点检标准漏孔。', criterion: '连续 3 个班次标准漏孔检出率 100%。', dept: 'production', dueDays: 7 },
          { action: '焊接温度纳入首件确认，超出 720±20℃ 自动停线。', criterion: '工艺文件更新，连续 2 周无超限生产。', dept: 'qa', dueDays: 14 },
        ],
        acceptance: '补焊后保压 24 小时无压降；出风口 11℃，室温 50 分钟从 30℃ 降至 26℃。',
        failReason: '运行 3 天后低压再次下降至 0.6 MPa，仍有漏点，需复查。',
      },
    ],
  },
  {
    key: 'cooker-undercooked', category: 'quality', products: ['cooker'], weight: 4, priority: 'P2', urgency: ['medium'],
    titles: ['电饭煲煮饭夹生', '{model} 米饭中间是硬的'],
    scenes: ['购买 3 个月，使用“精煮”模式，米水比例 1:1.2（按说明书）。'],
    phenomena: ['煮出的米饭外层软、中间硬，约 3 次中有 2 次夹生。'],
    tried: ['已清洁内锅和感温探头，换过大米品牌，问题仍存在。'],
    fields: { faultyPart: ['温控器', '加热管'] },
    solutions: [
      {
        directCause: '底部温控器 NTC 阻值偏差 +4%，检测温度偏高导致提前转入保温。',
        rootCause: '供应商 NTC 批次一致性差，产线只做抽检，未对阻值 100% 检测。',
        rootCauseClass: 'supplier',
        fiveWhys: [
          '为什么夹生？加热时间不足。',
          '为什么不足？程序提前转入保温。',
          '为什么提前？温控器读数偏高。',
          '为什么偏高？NTC 阻值偏差超出 ±1%。',
          '为什么流出？产线对 NTC 只抽检 5%。',
        ],
        responsible: 'qa',
        summary: '更换温控器组件；产线对 NTC 阻值 100% 全检，供应商提交批次一致性报告。',
        measures: [
          { action: '为客户更换温控器组件（或整机换新）。', criterion: '3 杯米连续煮 5 次，米饭中心温度 ≥ 98℃，无夹生。', dept: 'qa', dueDays: 3 },
          { action: '产线增加 NTC 阻值 100% 全检工位。', criterion: '连续 3 批全检记录完整，阻值偏差 ≤ ±1%。', dept: 'production', dueDays: 14 },
        ],
        acceptance: '换件后连续煮饭 5 次，中心温度 99–101℃，口感正常，客户家中试煮确认。',
        failReason: '第 4 次试煮仍有轻微夹生，中心温度 95℃，需更换整机。',
      },
    ],
  },
  {
    key: 'heater-leakage-current', category: 'quality', products: ['heater'], weight: 3, priority: 'P1', urgency: ['critical'],
    titles: ['热水器漏电', '{model} 洗澡时出水麻手，漏电保护跳闸'],
    scenes: ['晚上洗澡时，手接触花洒出水。'],
    phenomena: ['出水有麻手感，漏电保护插头两天内跳闸两次。'],
    tried: ['已断电停止使用，未自行拆机。'],
    fields: { faultyPart: ['加热管', '密封件'] },
    solutions: [
      {
        directCause: '加热管法兰密封圈老化渗水，绝缘电阻降至 0.8 MΩ。',
        rootCause: '密封圈材质 NBR 耐热老化不足，设计选型时未做 85℃ 长期老化验证。',
        rootCauseClass: 'design',
        fiveWhys: [
          '为什么漏电？加热管绝缘下降。',
          '为什么绝缘下降？密封圈渗水进入接线端。',
          '为什么渗水？密封圈硬化开裂。',
          '为什么硬化？NBR 材料长期 75℃ 以上老化。',
          '为什么选 NBR？设计评审缺少长期热老化试验项目。',
        ],
        responsible: 'qa',
        summary: '安全第一：立即上门更换加热管组件；同批次主动召回检测；密封圈改为 EPDM 并补做老化试验。',
        measures: [
          { action: '立即上门更换加热管组件及密封圈，检测整机绝缘。', criterion: '绝缘电阻 ≥ 50 MΩ，泄漏电流 ≤ 0.25 mA。', dept: 'qa', dueDays: 1 },
          { action: '对同批次 {batch}（{n} 台）发出主动召回检测通知。', criterion: '30 天内检测覆盖率 ≥ 95%。', dept: 'cs', dueDays: 30 },
          { action: '密封圈材质由 NBR 更换为 EPDM，更新 BOM 与设计评审清单。', criterion: '85℃ 热水老化试验 1000 小时无渗漏，绝缘 ≥ 50 MΩ。', dept: 'qa', dueDays: 45 },
        ],
        acceptance: '现场测量绝缘电阻 200 MΩ、泄漏电流 0.05 mA；召回检测已覆盖 96%；EPDM 老化报告 TR-{n} 已上传。',
        failReason: '泄漏电流复测 0.4 mA，超过 0.25 mA 标准，需排查接地。',
      },
    ],
  },
  {
    key: 'washer-no-spin', category: 'quality', products: ['washer'], weight: 4, priority: 'P2', urgency: ['medium', 'high'],
    titles: ['洗衣机不脱水', '{model} 脱水时报 E21'],
    scenes: ['洗涤程序正常，进入脱水阶段时。'],
    phenomena: ['不排水、不脱水，面板显示 E21，筒内积水。'],
    tried: ['断电重启、单独选择脱水程序都无效。'],
    fields: { faultyPart: ['排水泵'] },
    solutions: [
      {
        directCause: '排水泵叶轮被硬币卡滞，排水超时报 E21。',
        rootCause: '用户洗前未掏空口袋，排水过滤器长期未清理；说明书对过滤器清理提示不醒目。',
        rootCauseClass: 'usage',
        fiveWhys: [
          '为什么不脱水？排水未完成，程序不进入脱水。',
          '为什么排水未完成？排水泵卡滞。',
          '为什么卡滞？硬币和纤维缠绕叶轮。',
          '为什么有异物？过滤器 8 个月未清理。',
          '为什么未清理？用户不知道需要定期清理（说明书提示不醒目）。',
        ],
        responsible: 'cs',
        summary: '清理过滤器、更换排水泵；改进说明书与 App 提醒，让用户知道按月清理。',
        measures: [
          { action: '上门清理排水过滤器并更换排水泵。', criterion: '空载、满载各脱水 3 次均正常，无 E21 报警。', dept: 'cs', dueDays: 2 },
          { action: '说明书封二及 App 推送增加“洗前掏空口袋、每月清洗排水过滤器”提示。', criterion: '说明书改版发布，App 推送覆盖该型号全部绑定用户。', dept: 'rd-support', dueDays: 20 },
        ],
        acceptance: '空载、满载各脱水 3 次正常；客户已学会清理过滤器。',
        failReason: '满载脱水第 2 次仍报 E21，排水泵线圈阻值异常，需更换。',
      },
      {
        directCause: '排水泵线圈开路。',
        rootCause: '排水泵供应商漆包线批次绝缘缺陷，高温高湿下开路。',
        rootCauseClass: 'supplier',
        fiveWhys: [
          '为什么报 E21？排水泵不工作。',
          '为什么不工作？线圈开路。',
          '为什么开路？漆包线绝缘层有针孔。',
          '为什么有针孔？供应商漆包线批次缺陷。',
          '为什么流入？来料未做高温高湿耐久抽检。',
        ],
        responsible: 'qa',
        summary: '更换排水泵；供应商整改并增加来料耐久抽检。',
        measures: [
          { action: '上门更换排水泵。', criterion: '空载、满载各脱水 3 次均正常，无 E21。', dept: 'qa', dueDays: 2 },
          { action: '排水泵来料增加 40℃/95%RH 500 小时耐久抽检。', criterion: '连续 3 批抽检 20 件无失效。', dept: 'qa', dueDays: 30 },
        ],
        acceptance: '更换后连续脱水 6 次正常，线圈阻值 180 Ω 在标准范围内。',
        failReason: '新泵运行噪音 62 dB，超出 55 dB 标准，需更换。',
      },
    ],
  },
  {
    key: 'fridge-no-cooling', category: 'quality', products: ['fridge'], weight: 4, priority: 'P1', urgency: ['critical', 'high'],
    titles: ['冰箱不制冷', '{model} 冷藏室不冷，食物变质'],
    scenes: ['周末外出两天回家后发现。'],
    phenomena: ['冷藏室温度 15℃，冷冻室食品化冻，压缩机不启动，偶尔听到“咔嗒”声。'],
    tried: ['拔插电源、调低温度档位，无效。'],
    fields: { faultyPart: ['压缩机', '电源板'] },
    solutions: [
      {
        directCause: '压缩机 PTC 启动器失效，压缩机无法启动（过载保护反复动作）。',
        rootCause: '启动器供应商批次 PTC 元件耐压不足，出厂测试只做常温启动。',
        rootCauseClass: 'supplier',
        fiveWhys: [
          '为什么不制冷？压缩机不运转。',
          '为什么不运转？启动器失效。',
          '为什么失效？PTC 元件击穿。',
          '为什么击穿？该批次耐压不足。',
          '为什么流出？出厂仅做常温启动测试，未做低压启动测试。',
        ],
        responsible: 'qa',
        summary: '更换启动器并检测制冷系统，补偿食材损失；出厂测试增加低电压启动。',
        measures: [
          { action: '上门更换压缩机启动器并检测制冷系统。', criterion: '开机 2 小时冷藏室 ≤ 5℃、冷冻室 ≤ -18℃，连续 24 小时温度记录达标。', dept: 'qa', dueDays: 1 },
          { action: '按补偿政策补偿食材损失 {money} 元。', criterion: '补偿到账并经客户确认。', dept: 'cs', dueDays: 3 },
          { action: '出厂测试增加 187 V 低电压启动测试。', criterion: '测试规范更新，连续 3 天测试记录完整。', dept: 'production', dueDays: 14 },
        ],
        acceptance: '24 小时温度记录：冷藏 3–4℃，冷冻 -19 至 -20℃；补偿已到账，客户确认。',
        failReason: '24 小时记录中冷藏室有 3 小时高于 8℃，需排查温控板。',
      },
    ],
  },

  // ---- 物流问题 ------------------------------------------------------------------------------
  {
    key: 'damaged-parcel', category: 'logistics', products: ['ac', 'cooker', 'washer', 'fridge', 'robot'], weight: 5, priority: 'P2', urgency: ['high', 'medium'],
    titles: ['快递破损', '收到的{product}外壳凹陷', '{model} 到货时包装破损'],
    scenes: ['快递员送货上门，客户当面开箱验货。', '快递放在驿站，客户取回家后开箱。'],
    phenomena: ['外包装箱一角压塌，{product}外壳凹陷约 3 cm，面板有裂纹。'],
    tried: ['已拍照留证，拒绝签收。', '已签收，拍了开箱视频。'],
    fields: { carrier: ['顺丰速运', '京东物流', '中通快递', '德邦物流'] },
    solutions: [
      {
        directCause: '运输途中受重压，缓冲泡沫厚度不足。',
        rootCause: '包装方案按 1.2 m 跌落设计，未覆盖转运中心分拣的挤压工况；承运商分拣操作不规范。',
        rootCauseClass: 'logistics',
        fiveWhys: [
          '为什么破损？外箱受压变形。',
          '为什么受压？转运中心堆码过高。',
          '为什么包装扛不住？缓冲泡沫只有 20 mm。',
          '为什么只有 20 mm？包装设计未考虑堆码挤压。',
          '为什么未考虑？包装验证只做了跌落测试。',
        ],
        responsible: 'logistics',
        summary: '为客户补发新机并取回破损件；包装升级并通过 ISTA 2A；向承运商索赔并纳入考核。',
        measures: [
          { action: '为客户补发新机，上门取回破损件。', criterion: '新机 48 小时内签收，开箱验机无损。', dept: 'logistics', dueDays: 2 },
          { action: '包装改为 EPE 珍珠棉 40 mm + 四角护角。', criterion: '通过 ISTA 2A 测试（跌落 10 次、堆码 24 小时）无破损。', dept: 'logistics', dueDays: 20 },
          { action: '向{carrier}发起理赔，破损率纳入月度考核。', criterion: '理赔到账；承运商月度破损率 ≤ 0.3%。', dept: 'logistics', dueDays: 30 },
        ],
        acceptance: '新机已签收，开箱视频确认无损；ISTA 2A 测试报告已上传；理赔单号 LP-{n}。',
        failReason: '补发新机签收时发现侧板划伤，需再次换货。',
      },
    ],
  },
  {
    key: 'late-delivery', category: 'logistics', products: ['ac', 'cooker', 'heater', 'washer', 'fridge', 'robot'], weight: 4, priority: 'P3', urgency: ['medium', 'high'],
    titles: ['物流超时', '下单 {days} 天仍未收到货', '订单 {orderNo} 物流停滞'],
    scenes: ['客户在官方商城下单，承诺 48 小时发货。'],
    phenomena: ['下单 {days} 天仍未收到货，物流信息停在 {city}转运中心 3 天没有更新。'],
    tried: ['联系快递电话无人接听。'],
    fields: { carrier: ['中通快递', '德邦物流', '京东物流'] },
    solutions: [
      {
        directCause: '仓库 WMS 向承运商推送订单失败，订单未及时下发揽收。',
        rootCause: 'WMS 接口推送失败后无重试和告警，积压订单无人发现。',
        rootCauseClass: 'logistics',
        fiveWhys: [
          '为什么超时？包裹晚揽收 3 天。',
          '为什么晚揽收？承运商没收到订单。',
          '为什么没收到？接口推送失败。',
          '为什么失败未处理？没有重试机制。',
          '为什么没人发现？没有积压告警。',
        ],
        responsible: 'logistics',
        summary: '加急改派并补偿；WMS 推送失败自动重试并告警。',
        measures: [
          { action: '加急改派顺丰特快，并每日向客户同步物流进度。', criterion: '48 小时内签收。', dept: 'logistics', dueDays: 2 },
          { action: '按延迟发货政策发放 {money} 元补偿券。', criterion: '补偿券到账，客户确认。', dept: 'cs', dueDays: 2 },
          { action: 'WMS 推送失败自动重试 3 次，仍失败 5 分钟内企业微信告警。', criterion: '上线后连续 30 天无超过 2 小时的积压订单。', dept: 'rd-support', dueDays: 21 },
        ],
        acceptance: '客户已签收并确认收到补偿券；WMS 告警已上线，30 天积压监控为 0。',
        failReason: '改派后仍超过 48 小时未签收，需再次跟进。',
      },
    ],
  },
  {
    key: 'wrong-model', category: 'logistics', products: ['ac', 'washer', 'fridge', 'cooker'], weight: 3, priority: 'P2', urgency: ['high'],
    titles: ['发错型号', '订购 {model}，收到的是 {otherModel}'],
    scenes: ['客户开箱验货时核对型号发现。', '送货上门时客户当场核对型号发现。'],
    phenomena: ['订单型号 {model}，实际收到 {otherModel}，外箱标签也是 {otherModel}。'],
    tried: ['未拆封，等待换货。'],
    fields: { carrier: ['京东物流', '顺丰速运'] },
    solutions: [
      {
        directCause: '拣货员拣错相邻库位的相似型号。',
        rootCause: '两款型号外箱相似、库位相邻，出库未强制扫码复核 SKU。',
        rootCauseClass: 'logistics',
        fiveWhys: [
          '为什么发错？拣错货。',
          '为什么拣错？两款外箱相似且库位相邻。',
          '为什么没拦截？出库复核只看数量不扫 SKU。',
          '为什么不扫 SKU？复核工位没有扫码枪。',
          '为什么没配？复核流程设计时未考虑相似型号。',
        ],
        responsible: 'logistics',
        summary: '上门换货；调整库位并在出库增加 SKU 强制扫码校验。',
        measures: [
          { action: '上门换货，取回错发商品。', criterion: '客户签收正确型号 {model}。', dept: 'logistics', dueDays: 2 },
          { action: '相似型号间隔存放；出库复核增加 SKU 强制扫码，不符即拦截。', criterion: '连续 30 天错发率为 0。', dept: 'logistics', dueDays: 14 },
        ],
        acceptance: '正确型号已签收安装；扫码复核上线，30 天错发 0 单。',
        failReason: '换货送达的型号颜色仍不对（订单为白色），需重新换货。',
      },
    ],
  },

  // ---- 退换货 --------------------------------------------------------------------------------
  {
    key: 'seven-day-return', category: 'return', products: ['cooker', 'robot', 'heater'], weight: 3, priority: 'P3', urgency: ['low', 'medium'],
    titles: ['申请七天无理由退货', '{model} 尺寸不合适，申请退货'],
    scenes: ['网购签收第 {days} 天，商品未使用。'],
    phenomena: ['实际尺寸比预想大，预留的位置放不下，希望退货退款。'],
    tried: ['已保留完整包装和配件。'],
    fields: { remedy: ['退货退款'] },
    solutions: [
      {
        directCause: '客户未注意商品尺寸。',
        rootCause: '商品详情页只标注了外形尺寸，没有安装/放置所需空间说明。',
        rootCauseClass: 'service',
        fiveWhys: [
          '为什么退货？放不进橱柜。',
          '为什么下单前不知道？详情页没有放置空间说明。',
          '为什么没有？详情页模板只有外形尺寸字段。',
          '为什么模板缺字段？模板沿用三年前版本。',
          '为什么没更新？退货原因没有按类统计反馈给商品运营。',
        ],
        responsible: 'cs',
        summary: '按七天无理由办理退货退款；详情页增加放置空间示意图，退货原因按月反馈商品运营。',
        measures: [
          { action: '上门取件，签收后 24 小时内原路退款。', criterion: '退款到账，客户确认。', dept: 'cs', dueDays: 3 },
          { action: '商品详情页增加放置空间示意图（含散热间距）。', criterion: '页面更新上线，该商品“尺寸不符”退货率下降 50%。', dept: 'cs', dueDays: 20 },
        ],
        acceptance: '退款 {money} 元已原路退回，客户确认到账；详情页已更新。',
        failReason: '退款金额少退了运费险，客户不认可，需补退。',
      },
    ],
  },
  {
    key: 'sanbao-exchange', category: 'return', products: ['washer', 'fridge', 'ac'], weight: 3, priority: 'P2', urgency: ['high'],
    titles: ['三包期内两次维修未修好，要求换新', '{model} 多次维修仍故障，申请换机'],
    scenes: ['购买 {months} 个月，三包有效期内。'],
    phenomena: ['同一故障已维修两次，第三次又出现，客户要求换新机。'],
    tried: ['两次上门维修记录齐全。'],
    fields: { remedy: ['换货'] },
    solutions: [
      {
        directCause: '前两次维修只更换了表面故障件，未找到控制板的根本故障。',
        rootCause: '维修诊断依赖经验，缺少故障码与部件的诊断树，二次维修没有升级到技术支持。',
        rootCauseClass: 'service',
        fiveWhys: [
          '为什么修不好？更换的部件不是根本故障点。',
          '为什么判断错？师傅按经验换件。',
          '为什么按经验？没有诊断树。',
          '为什么二次维修还没升级？没有“同故障二次维修自动升级”规则。',
          '为什么没有规则？维修系统与工单系统没有打通。',
        ],
        responsible: 'cs',
        summary: '按三包规定免费换新；同一故障二次维修自动升级技术支持，编制诊断树。',
        measures: [
          { action: '按三包规定为客户免费换新并上门拆旧装新。', criterion: '新机安装调试正常，客户签字确认。', dept: 'cs', dueDays: 5 },
          { action: '设置规则：同一序列号 90 天内同故障二次报修自动升级研发技术支持组。', criterion: '规则上线，抽查 10 单均正确升级。', dept: 'rd-support', dueDays: 14 },
        ],
        acceptance: '新机序列号已登记，安装调试正常，客户签字确认；升级规则已上线。',
        failReason: '新机送达后客户发现门封条变形，需再次更换。',
      },
    ],
  },
  {
    key: 'refund-delay', category: 'return', products: ['cooker', 'robot', 'heater', 'washer'], weight: 2, priority: 'P2', urgency: ['high'],
    titles: ['退款未到账', '退货已签收 {days} 天，退款还没到'],
    scenes: ['退货已由仓库签收。'],
    phenomena: ['仓库签收已 {days} 天，退款仍显示“处理中”。'],
    tried: ['在线客服催过两次。'],
    fields: { remedy: ['退货退款', '仅退款'] },
    solutions: [
      {
        directCause: '退款单卡在财务人工复核节点。',
        rootCause: '退款流程要求金额超过 1000 元人工复核，复核人休假无人代理。',
        rootCauseClass: 'service',
        fiveWhys: [
          '为什么没退款？退款单未审核。',
          '为什么未审核？卡在人工复核节点。',
          '为什么卡住？复核人休假。',
          '为什么没人代理？流程没有代理人设置。',
          '为什么没有超时处理？审批节点无超时规则。',
        ],
        responsible: 'cs',
        summary: '加急退款并致歉补偿；退款复核节点增加代理人与 24 小时超时自动转交。',
        measures: [
          { action: '财务加急处理退款，并发放 {money} 元致歉券。', criterion: '24 小时内退款到账，客户确认。', dept: 'cs', dueDays: 1 },
          { action: '退款复核节点增加代理人与 24 小时超时自动转交。', criterion: '流程上线后退款平均时长 ≤ 24 小时。', dept: 'cs', dueDays: 14 },
        ],
        acceptance: '退款已于次日到账，客户确认；复核节点超时规则已上线。',
        failReason: '退款到账金额不对，少退 {money} 元，需补退。',
      },
    ],
  },

  // ---- 软件Bug -------------------------------------------------------------------------------
  {
    key: 'app-connect', category: 'software-bug', products: ['ac', 'robot', 'washer'], weight: 4, priority: 'P2', urgency: ['medium', 'high'],
    titles: ['App 无法连接设备', '智家 App 添加 {model} 配网失败'],
    scenes: ['新装{product}，用智家 App 扫码添加设备。', '更换新路由器后重新配网。'],
    phenomena: ['配网进行到 90% 提示“设备连接超时”，重试 5 次均失败。'],
    tried: ['重启路由器和设备、重装 App、关闭 5G 频段，仍然失败。'],
    fields: { appVersion: ['5.2.1', '5.3.0', '5.3.2'], phoneOs: ['Android', 'iOS', 'HarmonyOS'] },
    solutions: [
      {
        directCause: '设备 Wi-Fi 模组固件不支持 WPA2/WPA3 混合加密，握手失败。',
        rootCause: '固件 wifi_connect.c 在 WPA3 过渡模式下未回退 WPA2；兼容性测试路由器清单未覆盖 WPA3 机型。',
        rootCauseClass: 'design',
        fiveWhys: [
          '为什么配网失败？Wi-Fi 握手超时。',
          '为什么超时？路由器为 WPA2/WPA3 混合模式，模组不支持。',
          '为什么不支持？固件握手失败后未回退 WPA2。',
          '为什么没测出来？兼容性测试清单没有 WPA3 路由器。',
          '为什么清单未更新？清单一年未随市场主流路由器更新。',
        ],
        responsible: 'rd-support',
        summary: '修改 wifi_connect.c 第 218 行的握手逻辑，失败后回退 WPA2；发布固件 V2.3.5；兼容性测试清单增加 WPA3 路由器。',
        measures: [
          { action: '修改 wifi_connect.c 第 218 行：WPA3 握手失败后回退 WPA2，发布固件 V2.3.5 OTA。', criterion: '10 款主流路由器各配网 20 次，成功率 100%。', dept: 'rd-support', dueDays: 10 },
          { action: '兼容性测试路由器清单增加 6 款 WPA3 机型，每季度更新。', criterion: '清单发布，回归测试 100 次错误率 0%。', dept: 'rd-support', dueDays: 14 },
        ],
        acceptance: '测试报告 TR-2024-{n}：10 款路由器各 20 次配网全部成功；客户家中升级固件后一次配网成功。',
        failReason: '在华为 AX3 路由器上 20 次中失败 2 次，未达 100%。',
      },
    ],
  },
  {
    key: 'app-timer', category: 'software-bug', products: ['ac', 'washer'], weight: 3, priority: 'P3', urgency: ['medium'],
    titles: ['App 定时开机不生效', '{model} 预约时间总是差 8 小时'],
    scenes: ['在 App 中设置每天 7:00 定时开机。'],
    phenomena: ['设备没有在 7:00 启动，而是在下午 15:00 启动。'],
    tried: ['删除定时重新设置，手机时间正确。'],
    fields: { appVersion: ['5.3.0', '5.3.2'], phoneOs: ['Android', 'iOS'] },
    solutions: [
      {
        directCause: '定时服务按 UTC 下发，未转换为东八区。',
        rootCause: '服务端迁移后定时任务模块未设置时区，单元测试只覆盖 UTC 场景。',
        rootCauseClass: 'design',
        fiveWhys: [
          '为什么差 8 小时？时间按 UTC 执行。',
          '为什么按 UTC？服务器未设置时区。',
          '为什么未设置？迁移到新集群时漏配。',
          '为什么没测出？单元测试只覆盖 UTC。',
          '为什么只覆盖 UTC？测试用例缺少时区维度。',
        ],
        responsible: 'rd-support',
        summary: '定时任务统一存储用户时区并按时区转换下发；补充跨时区测试用例。',
        measures: [
          { action: '修改定时服务 SchedulerService.convert()：按用户时区换算后下发。', criterion: '跨 3 个时区用例，连续 7 天定时执行准确率 100%（误差 ≤ 1 分钟）。', dept: 'rd-support', dueDays: 7 },
          { action: '测试用例库增加时区维度（UTC+8 / UTC / UTC-5）。', criterion: '用例评审通过并纳入 CI。', dept: 'rd-support', dueDays: 10 },
        ],
        acceptance: '7 天监控：定时任务 210 次全部准时执行，最大误差 20 秒。',
        failReason: '夏令时地区用例失败 1 次，需补充修复。',
      },
    ],
  },
  {
    key: 'ota-fail', category: 'software-bug', products: ['robot', 'ac'], weight: 2, priority: 'P2', urgency: ['high'],
    titles: ['固件升级失败，设备反复重启', '{model} OTA 升级卡在 87%'],
    scenes: ['App 提示有新固件，夜间自动升级。'],
    phenomena: ['升级进度停在 87% 后失败，设备反复重启，无法使用。'],
    tried: ['长按复位键 10 秒无效。'],
    fields: { appVersion: ['5.3.2'], phoneOs: ['Android', 'iOS', 'HarmonyOS'] },
    solutions: [
      {
        directCause: '弱网下固件包下载不完整，校验失败后未回滚到旧版本。',
        rootCause: 'OTA 方案只有单分区，没有 A/B 分区回滚和断点续传设计。',
        rootCauseClass: 'design',
        fiveWhys: [
          '为什么反复重启？固件损坏。',
          '为什么损坏？写入了不完整的固件包。',
          '为什么不完整？弱网下载中断。',
          '为什么中断后还写入？校验失败没有阻止写入。',
          '为什么不能恢复？没有 A/B 分区回滚。',
        ],
        responsible: 'rd-support',
        summary: '为客户寄修刷机；OTA 增加断点续传、写入前校验和 A/B 分区回滚。',
        measures: [
          { action: '为客户安排寄修，工厂刷写固件并检测。', criterion: '设备恢复正常并寄回客户，开机自检通过。', dept: 'rd-support', dueDays: 5 },
          { action: 'OTA 增加断点续传、写入前 SHA-256 校验和 A/B 分区回滚。', criterion: '弱网模拟 100 次升级，失败场景 100% 回滚成功。', dept: 'rd-support', dueDays: 30 },
        ],
        acceptance: '寄修设备已签收并正常工作；弱网升级测试 100 次，回滚成功率 100%。',
        failReason: '弱网测试 100 次中 3 次回滚后无法启动，未达标。',
      },
    ],
  },
  {
    key: 'app-crash', category: 'software-bug', products: ['ac', 'robot', 'washer'], weight: 2, priority: 'P3', urgency: ['medium'],
    titles: ['App 闪退', '打开 {model} 设备页面时 App 闪退'],
    scenes: ['设备离线时打开 App 设备详情页。'],
    phenomena: ['进入设备页面 1 秒后 App 闪退，必现。'],
    tried: ['清除缓存、重装 App 无效。'],
    fields: { appVersion: ['5.3.0', '5.3.2'], phoneOs: ['Android', 'HarmonyOS'] },
    solutions: [
      {
        directCause: '设备离线时状态字段为 null，DeviceStatusView.kt 第 87 行未判空。',
        rootCause: '接口约定未写明离线时字段可空，代码评审清单缺少空值检查项。',
        rootCauseClass: 'design',
        fiveWhys: [
          '为什么闪退？空指针异常。',
          '为什么空指针？离线设备状态为 null。',
          '为什么未判空？开发以为字段必有值。',
          '为什么这样以为？接口文档未标注可空。',
          '为什么评审没发现？评审清单无空值检查项。',
        ],
        responsible: 'rd-support',
        summary: '修复 DeviceStatusView.kt 第 87 行空值判断并发布 5.3.3；接口文档标注可空字段，评审清单增加空值检查。',
        measures: [
          { action: '修复 DeviceStatusView.kt 第 87 行空值判断，发布 App 5.3.3。', criterion: '7 天线上崩溃率 < 0.1%，离线设备页面 100 次打开无闪退。', dept: 'rd-support', dueDays: 5 },
          { action: '接口文档标注全部可空字段，代码评审清单增加空值检查项。', criterion: '文档与清单发布，抽查 10 个合并请求执行率 100%。', dept: 'rd-support', dueDays: 14 },
        ],
        acceptance: '5.3.3 上线 7 天，崩溃率 0.03%；客户确认不再闪退。',
        failReason: 'iPad 端仍可复现闪退，需补充修复。',
      },
    ],
  },
];

/** Opinions of an approver rejecting a plan: what a reviewer catches. */
export const REJECT_OPINIONS = [
  '措施中“加强培训”过于模糊，请写明培训对象、课时和考核标准。',
  '缺少量化的验收标准，请为每项措施补充可测量的指标。',
  '5-Why 停留在发生原因，请补充流出原因（为什么检验没拦住）。',
  '补偿金额超出售后补偿政策标准，请按政策重新核算后提交。',
  '横向展开不足：同型号其他批次是否受影响？请补充排查措施。',
] as const;

export const REOPEN_REASONS = [
  '客户回访表示问题未彻底解决：使用一周后再次出现同样现象。',
  '客户来电反映同一问题复发，要求重新处理。',
  '回访时客户表示只解决了一半，仍有{phenomenonShort}。',
] as const;

export const CANCEL_REASONS = [
  '重复工单：客户通过电话和微信重复提交，已在另一工单处理。',
  '客户自行解决，来电要求撤销。',
  '经核实非本公司产品（客户购买的是其他品牌），已告知客户联系原厂。',
  '联系客户 7 天无回应，按无效工单撤销。',
] as const;

export const FEEDBACK = {
  good: [
    '师傅很专业，问题彻底解决了，谢谢！',
    '处理速度很快，全程有人跟进，满意。',
    '客服态度很好，每一步都有通知，点赞。',
    '解决了，还主动告诉我保修延长的事，很贴心。',
  ],
  fair: [
    '问题解决了，但等待时间有点长。',
    '第二次才修好，希望以后一次到位。',
  ],
  poor: [
    '拖了太久，沟通也不顺畅。',
  ],
} as const;

/** Internal notes and customer replies that make a timeline read like real work. */
export const COMMENTS = {
  internal: [
    '已电话联系客户，约好明天上午上门。',
    '备件已申请，预计 2 天到网点。',
    '同型号本月已有 3 起类似反馈，建议关注批次问题。',
    '客户情绪比较激动，已安抚并承诺今天内回电。',
  ],
  public: [
    '您好，您的问题我们已受理，工程师会尽快与您联系。',
    '您好，备件已发出，师傅到货后会提前联系您预约时间。',
    '感谢您的耐心等待，整改已完成，请您确认使用效果。',
  ],
} as const;
