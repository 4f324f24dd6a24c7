/**
 * Realistic intake forms for the benchmark: Chinese after-sales problems, every request a
 * different one. Customers repeat now and then (a pool of phone numbers), as they do in life.
 */
import type { TicketCreate } from '@closeloop/contract';

const PRODUCTS = [
  { name: '变频空调', model: 'KFR-35GW/N8', sku: 'AC-35N8-W' },
  { name: '滚筒洗衣机', model: 'XQG100-B14', sku: 'WM-100B14' },
  { name: '对开门冰箱', model: 'BCD-501WKPZM', sku: 'RF-501W' },
  { name: '燃气热水器', model: 'JSQ30-16WT', sku: 'WH-16WT' },
  { name: '扫地机器人', model: 'X20 Pro', sku: 'RB-X20P' },
  { name: '洗碗机', model: 'WQP12-J7309', sku: 'DW-J7309' },
  { name: '电饭煲', model: 'MB-HS4076', sku: 'RC-4076' },
  { name: '油烟机', model: 'CXW-260-E9', sku: 'RH-E9' },
];
const PHENOMENA = [
  '运行时外机异响，像金属摩擦声',
  '开机半小时后不制冷，出风口温度和室温一样',
  '底部漏水，地板上有一滩水',
  '显示屏报 E3 故障码，断电重启后仍然出现',
  '遥控器失灵，面板按键也没有反应',
  '加热很慢，洗澡水温忽冷忽热',
  '门封条脱落，关不严实',
  '充电座找不到，机器在客厅里乱转',
  '有焦糊味，插头发烫',
  '噪音明显变大，夜里影响休息',
];
const SCENES = [
  '安装后第三天', '夜间开启睡眠模式时', '连续使用两小时后', '刚搬家重新安装后', '雨天之后',
  '更换滤网之后', '首次使用时', '保修期内第二次出现',
];
const TRIED = [
  '已断电重启，问题依旧', '已按说明书清洗滤网', '已检查电源插座，其他电器正常', '已恢复出厂设置',
  '已拍摄视频，可随时提供', '尚未做任何处理',
];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '建华', '晓东'];
const CHANNELS = ['phone', 'web', 'wechat', 'store', 'email'] as const;
const URGENCIES = ['low', 'medium', 'medium', 'high', 'critical'] as const;

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const int = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

const CUSTOMER_POOL = 20_000;

/** One intake form; `categoryId` must exist. */
export function intakeBody(categoryId: string, seq: number): TicketCreate {
  const product = pick(PRODUCTS);
  const phenomenon = pick(PHENOMENA);
  const scene = pick(SCENES);
  const tried = pick(TRIED);
  const customerNo = int(0, CUSTOMER_POOL - 1);
  const now = Date.now();
  const purchased = new Date(now - int(10, 700) * 86_400_000).toISOString().slice(0, 10);
  const channel = pick(CHANNELS);
  return {
    title: `${product.name}${phenomenon.split('，')[0]}`,
    description: `${scene}，${product.name}（${product.model}）${phenomenon}。${tried}。`
      + `用户反映噪音约 ${int(40, 75)} 分贝，第 ${seq} 次登记，请尽快安排工程师上门检测。`,
    channel,
    customer: {
      name: `${SURNAMES[customerNo % SURNAMES.length]}${GIVEN[Math.floor(customerNo / SURNAMES.length) % GIVEN.length]}`,
      phone: `13${String(1_000_000_000 + customerNo).slice(1)}`,
    },
    product: { model: product.model, sku: product.sku, serial: `SN${now.toString(36).toUpperCase()}${seq}`, purchaseDate: purchased },
    occurredAt: new Date(now - int(1, 72) * 3_600_000).toISOString(),
    urgency: pick(URGENCIES),
    category: categoryId,
    ...(Math.random() < 0.5 ? { orderNo: `JD${int(100_000_000, 999_999_999)}` } : {}),
    scene,
    phenomenon,
    triedMeasures: tried,
    ...(channel === 'phone' ? { readBackConfirmed: true } : {}),
  };
}
