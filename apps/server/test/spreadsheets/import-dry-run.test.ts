/**
 * 历史台账导入, the reading half: real .xlsx and GBK .csv files built here with exceljs /
 * iconv-lite, a merged header, dates in several formats, and ten bad rows of different kinds
 * that the dry run reports with their spreadsheet row numbers.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { dryRun } from '../../src/spreadsheets/import/dry-run.js';
import { parseLegacyDate } from '../../src/spreadsheets/import/parse-date.js';
import { proposeMapping } from '../../src/spreadsheets/import/propose-mapping.js';
import { decodeCsv, readTable } from '../../src/spreadsheets/import/read-table.js';

const people = new Map([['李工', 'u-li'], ['王工', 'u-wang']]);

/** Row 1: a merged 客户信息 over 客户 / 电话, the rest merged down over rows 1–2. */
async function legacyWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  ws.getRow(1).values = ['客户信息', null, '型号', '问题描述', '登记时间', '状态', '处理人', '处理结果'];
  ws.getRow(2).values = ['客户', '电话', null, null, null, null, null, null];
  ws.mergeCells('A1:B1');
  for (const c of ['C', 'D', 'E', 'F', 'G', 'H']) ws.mergeCells(`${c}1:${c}2`);
  const good: unknown[][] = [
    ['张三', '13800000001', 'KFR-35GW', '制冷效果差', '2024/3/5', '已关闭', '李工', '更换电容'],
    ['李四', '13800000002', 'KFR-26GW', '噪音大', '2024年3月6日', '处理中', '王工', null],
    ['王五', '13800000003', 'KFR-35GW', '漏水', '2024-03-07 14:30', '已解决', null, '清理排水管'],
    ['赵一', '13800000004', 'KFR-50LW', '不开机', 45358, '已登记', null, null],
    ['钱二', '13800000005', 'KFR-35GW', '遥控失灵', new Date(Date.UTC(2024, 2, 9, 10, 0)), '待回访', '李工', '更换遥控器'],
  ];
  const bad: unknown[][] = [
    [null, '13800000006', 'KFR-35GW', '缺客户', '2024/3/5', '已关闭', null, null], // 8: missing customer
    ['孙三', '13800000007', 'KFR-35GW', null, '2024/3/5', '已关闭', null, null], // 9: missing description
    ['周四', '13800000008', 'KFR-35GW', '缺日期', null, '已关闭', null, null], // 10: missing date
    ['吴五', '13800000009', 'KFR-35GW', '月份错误', '2024/13/5', '已关闭', null, null], // 11: bad date
    ['郑六', '13800000010', 'KFR-35GW', '文字日期', '上周三', '已关闭', null, null], // 12: bad date
    ['冯七', '13800000011', 'KFR-35GW', '二月三十日', '2024-02-30', '已关闭', null, null], // 13: bad date
    ['陈八', '13800000012', 'KFR-35GW', '状态未知', '2024/3/5', '挂起', null, null], // 14: unknown status
    ['褚九', '13800000013', 'KFR-35GW', '处理人未知', '2024/3/5', '已关闭', '赵六', null], // 15: unknown person
    ['张三', '13800000001', 'KFR-35GW', '制冷效果差', '2024/3/5', '已关闭', '李工', '更换电容'], // 16: duplicate of row 3
    ['卫十', '13800000014', 'KFR-35GW', '序号日期', 99999, '已关闭', null, null], // 17: serial out of range
  ];
  for (const r of [...good, ...bad]) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('legacy tracker dry run', () => {
  it('parses the date formats of legacy trackers in China time', () => {
    const iso = (v: unknown) => parseLegacyDate(v)?.toISOString();
    expect(iso('2024/3/5')).toBe('2024-03-04T16:00:00.000Z');
    expect(iso('2024年3月5日')).toBe('2024-03-04T16:00:00.000Z');
    expect(iso('2024-03-05')).toBe('2024-03-04T16:00:00.000Z');
    expect(iso('2024-03-05 14:30')).toBe('2024-03-05T06:30:00.000Z');
    expect(iso(45356)).toBe('2024-03-04T16:00:00.000Z');
    expect(iso('2024-02-30')).toBeUndefined();
    expect(iso('上周三')).toBeUndefined();
  });

  it('proposes a mapping through a merged header and reports every bad row with its number', async () => {
    const table = await readTable({ name: '售后台账.xlsx', bytes: await legacyWorkbook() });
    expect(table.headers).toEqual(['客户信息-客户', '客户信息-电话', '型号', '问题描述', '登记时间', '状态', '处理人', '处理结果']);
    const mapping = proposeMapping(table.headers);
    expect(mapping).toEqual(['customer', 'phone', 'model', 'description', 'registeredAt', 'status', 'owner', 'resolution']);
    const { ok, problems } = dryRun({ table, mapping, people });
    expect(ok.map((r) => r.rowNumber)).toEqual([3, 4, 5, 6, 7]);
    expect(ok.map((r) => r.registeredAt.toISOString())).toEqual([
      '2024-03-04T16:00:00.000Z', '2024-03-05T16:00:00.000Z', '2024-03-07T06:30:00.000Z', '2024-03-06T16:00:00.000Z', '2024-03-09T02:00:00.000Z',
    ]);
    expect(ok.map((r) => r.status)).toEqual(['closed', 'assigned', 'closed', 'registered', 'follow_up']);
    expect(ok[0]!.ownerId).toBe('u-li');
    expect(problems.map((p) => [p.rowNumber, p.field, p.reason])).toEqual([
      [8, 'customer', 'missing'],
      [9, 'description', 'missing'],
      [10, 'registeredAt', 'missing'],
      [11, 'registeredAt', 'bad_date'],
      [12, 'registeredAt', 'bad_date'],
      [13, 'registeredAt', 'bad_date'],
      [14, 'status', 'unknown_status'],
      [15, 'owner', 'unknown_person'],
      [16, null, 'duplicate_in_file'],
      [17, 'registeredAt', 'bad_date'],
    ]);
  });

  it('reads a GBK CSV and a UTF-8 CSV alike', async () => {
    const csv = '客户,联系电话,产品型号,故障描述,登记日期,处理状态,负责人\r\n张三,13800000001,KFR-35GW,"制冷差，""很热""",2024/3/5,已关闭,李工\r\n';
    const gbk = iconv.encode(csv, 'gbk');
    expect(decodeCsv(gbk).encoding).toBe('gbk');
    expect(decodeCsv(Buffer.from(csv, 'utf8')).encoding).toBe('utf-8');
    for (const bytes of [gbk, Buffer.from(`\uFEFF${csv}`, 'utf8')]) {
      const table = await readTable({ name: 'ledger.csv', bytes });
      const mapping = proposeMapping(table.headers);
      expect(mapping).toEqual(['customer', 'phone', 'model', 'description', 'registeredAt', 'status', 'owner']);
      const { ok, problems } = dryRun({ table, mapping, people });
      expect(problems).toEqual([]);
      expect(ok[0]).toMatchObject({ rowNumber: 2, customer: '张三', description: '制冷差，"很热"', status: 'closed', ownerId: 'u-li' });
    }
  });
});
