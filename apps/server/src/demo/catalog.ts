/**
 * Demo customers and the product range they bought: household appliances of a fictional brand,
 * with model numbers, SKUs and serial-number prefixes in the style real makers use.
 */
import type { CustomerTier } from '@closeloop/contract';

export interface DemoCustomer {
  name: string;
  phone: string;
  email?: string;
  tier: CustomerTier;
  city: string;
}

/** The first three have portal logins (see org.ts); a few VIPs get more tickets than others. */
export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  { name: '张伟', phone: '13812345678', email: 'zhangwei@example.com', tier: 'vip', city: '上海' },
  { name: '王芳', phone: '13923456781', email: 'wangfang@example.com', tier: 'regular', city: '杭州' },
  { name: '李娜', phone: '13734567812', email: 'lina@example.com', tier: 'potential', city: '苏州' },
  { name: '刘洋', phone: '13645678123', tier: 'regular', city: '南京' },
  { name: '陈静', phone: '13556781234', email: 'chenjing@example.com', tier: 'vip', city: '北京' },
  { name: '杨帆', phone: '13867812345', tier: 'regular', city: '成都' },
  { name: '赵敏', phone: '15978123456', email: 'zhaomin@example.com', tier: 'potential', city: '武汉' },
  { name: '黄磊', phone: '15081234567', tier: 'regular', city: '广州' },
  { name: '周杰', phone: '15192345678', tier: 'regular', city: '深圳' },
  { name: '吴秀英', phone: '15203456789', tier: 'regular', city: '宁波' },
  { name: '徐明', phone: '15314567890', email: 'xuming@example.com', tier: 'vip', city: '无锡' },
  { name: '孙丽', phone: '18625678901', tier: 'regular', city: '合肥' },
  { name: '马云飞', phone: '18736789012', tier: 'potential', city: '郑州' },
  { name: '朱红梅', phone: '18847890123', tier: 'regular', city: '长沙' },
  { name: '胡建军', phone: '18958901234', email: 'hujianjun@example.com', tier: 'regular', city: '西安' },
  { name: '郭晓东', phone: '13369012345', tier: 'regular', city: '青岛' },
  { name: '何丽娟', phone: '13470123456', tier: 'potential', city: '厦门' },
  { name: '高志明', phone: '17781234567', email: 'gaozhiming@example.com', tier: 'vip', city: '天津' },
  { name: '林小燕', phone: '17692345678', tier: 'regular', city: '福州' },
  { name: '罗晓峰', phone: '17503456789', tier: 'regular', city: '重庆' },
  { name: '梁秀兰', phone: '13914567890', tier: 'regular', city: '佛山' },
  { name: '宋佳', phone: '13825678902', email: 'songjia@example.com', tier: 'potential', city: '东莞' },
  { name: '郑国庆', phone: '13736789013', tier: 'regular', city: '济南' },
  { name: '谢雨欣', phone: '13647890124', email: 'xieyuxin@example.com', tier: 'regular', city: '昆明' },
  { name: '韩冬', phone: '13558901235', tier: 'regular', city: '沈阳' },
  { name: '唐诗雨', phone: '15869012346', email: 'tangshiyu@example.com', tier: 'potential', city: '南昌' },
  { name: '冯志刚', phone: '15970123457', tier: 'vip', city: '大连' },
  { name: '曹丽华', phone: '15081234568', tier: 'regular', city: '常州' },
  { name: '彭宇', phone: '15192345679', email: 'pengyu@example.com', tier: 'regular', city: '珠海' },
  { name: '曾凡', phone: '18603456780', tier: 'regular', city: '南宁' },
  { name: '邓华', phone: '18714567891', tier: 'regular', city: '贵阳' },
  { name: '许晨', phone: '18825678902', email: 'xuchen@example.com', tier: 'potential', city: '石家庄' },
  { name: '蒋文', phone: '18936789013', tier: 'regular', city: '太原' },
  { name: '蔡雪', phone: '13347890124', tier: 'regular', city: '温州' },
  { name: '贾鹏', phone: '13458901235', email: 'jiapeng@example.com', tier: 'regular', city: '嘉兴' },
  { name: '丁玉兰', phone: '17769012346', tier: 'regular', city: '绍兴' },
  { name: '魏强', phone: '17670123457', tier: 'potential', city: '哈尔滨' },
  { name: '薛梅', phone: '17581234568', email: 'xuemei@example.com', tier: 'regular', city: '兰州' },
  { name: '叶子豪', phone: '13992345670', tier: 'regular', city: '泉州' },
  { name: '阎秋菊', phone: '13803456781', tier: 'regular', city: '洛阳' },
  { name: '余海波', phone: '13714567892', email: 'yuhaibo@example.com', tier: 'vip', city: '烟台' },
  { name: '潘婷婷', phone: '13625678903', tier: 'regular', city: '扬州' },
];

export type ProductKind = 'ac' | 'cooker' | 'heater' | 'washer' | 'fridge' | 'robot';

export interface DemoProductLine {
  /** Name used inside texts: 空调, 电饭煲 … */
  name: string;
  serialPrefix: string;
  models: readonly { model: string; sku: string }[];
}

export const DEMO_PRODUCTS: Record<ProductKind, DemoProductLine> = {
  ac: {
    name: '空调',
    serialPrefix: 'AC',
    models: [
      { model: 'KFR-35GW/A1', sku: 'AC-35A1-WH' },
      { model: 'KFR-26GW/B2', sku: 'AC-26B2-WH' },
      { model: 'KFR-72LW/C3', sku: 'AC-72C3-GD' },
    ],
  },
  cooker: {
    name: '电饭煲',
    serialPrefix: 'RC',
    models: [
      { model: 'RC-40F8', sku: 'RC-40F8-BK' },
      { model: 'RC-30M5', sku: 'RC-30M5-WH' },
    ],
  },
  heater: {
    name: '电热水器',
    serialPrefix: 'WH',
    models: [
      { model: 'F60-15A3', sku: 'WH-60A3-WH' },
      { model: 'F80-21B1', sku: 'WH-80B1-WH' },
    ],
  },
  washer: {
    name: '洗衣机',
    serialPrefix: 'WM',
    models: [
      { model: 'XQG100-B14', sku: 'WM-100B14-SL' },
      { model: 'XQB80-S1', sku: 'WM-80S1-WH' },
    ],
  },
  fridge: {
    name: '冰箱',
    serialPrefix: 'RF',
    models: [
      { model: 'BCD-470WPB', sku: 'RF-470W-GY' },
      { model: 'BCD-218D', sku: 'RF-218D-SL' },
    ],
  },
  robot: {
    name: '扫地机器人',
    serialPrefix: 'SR',
    models: [{ model: 'SR-X7', sku: 'SR-X7-BK' }],
  },
};

export const CARRIERS = ['顺丰速运', '京东物流', '中通快递', '德邦物流'] as const;
export const CARRIER_PREFIX: Record<(typeof CARRIERS)[number], string> = {
  顺丰速运: 'SF', 京东物流: 'JDV', 中通快递: 'ZT', 德邦物流: 'DPK',
};
