/**
 * The form engine in the browser: an admin adds a required cascader field (故障部件: 产品线 › 型号 ›
 * 部件) to 质量故障 in 设置 › 问题分类 › 表单字段 and publishes it; the intake form shows it as
 * required (submitting without it says so), a ticket registered with it shows the path, and the
 * ticket list filters on it by path prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { choose, e2e, gotoAndLogin, horizontalOverflow, launch, newPage, pageShot, shot, skip } from './browser.js';

const SUFFIX = Date.now().toString(36);
const CODE = `qf-${SUFFIX}`;
const NAME = '质量故障';
const TREE = ['ac，空调，Air conditioner', '  kfr35，KFR-35GW', '    comp，压缩机', '    fan，风机', 'wh，热水器', '  heat，加热管'].join('\n');

async function api<T>(page: Page, method: 'post' | 'get', url: string, data?: object): Promise<T> {
  const res = await page.request[method](`/api/v1${url}`, { headers: { origin: e2e.baseUrl }, ...(data ? { data } : {}) });
  if (!res.ok()) throw new Error(`${method} ${url}: ${res.status()} ${await res.text()}`);
  return res.json() as Promise<T>;
}

describe.skipIf(skip)('admin: a required cascader field on 质量故障', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launch(); });
  afterAll(async () => { await browser?.close(); });

  it('is added and published in the form editor, required at intake, shown on the ticket and filterable', async () => {
    const { page, errors } = await newPage(browser);
    await gotoAndLogin(page, e2e.admin, '/settings?tab=categories');
    const category = await api<{ id: string }>(page, 'post', '/categories', { code: CODE, name: NAME, nameEn: 'Quality fault', processTemplate: 'full' });
    await page.reload();

    // 设置 › 问题分类 › 表单字段 › 添加字段 › 级联选择
    await page.getByTestId(`form-fields-${CODE}`).click();
    const drawer = page.locator('.ant-drawer', { hasText: `表单字段 — ${NAME}` });
    await drawer.getByText('当前第 1 版').waitFor();
    await drawer.getByTestId('add-field').hover();
    await page.locator('.ant-dropdown-menu-item', { hasText: '级联选择' }).click();
    const modal = page.getByRole('dialog', { name: '级联选择字段' });
    await modal.getByLabel('字段名称').fill('故障部件');
    await modal.getByLabel('英文名称').fill('Faulty part');
    await modal.getByLabel('字段标识').fill('faultPart');
    await modal.getByLabel('必填').click();
    await modal.getByLabel('选项').fill(TREE);
    await modal.locator('.ant-tree').getByText('压缩机（comp）').waitFor();
    await pageShot(page, 'form-field-cascader.png');
    await modal.getByRole('button', { name: '确 定' }).or(modal.getByRole('button', { name: '确定' })).click();
    await drawer.getByTestId('form-fields-table').getByText('故障部件').waitFor();
    await drawer.getByPlaceholder('版本说明（选填），例如：增加故障部件').fill('增加故障部件');
    await drawer.getByTestId('publish-form').click();
    await page.getByText('已发布第 2 版').waitFor();
    await drawer.getByText('当前第 2 版').waitFor();
    await drawer.getByRole('tab', { name: '版本记录' }).click();
    await drawer.getByText('增加故障部件').waitFor();
    await pageShot(page, 'form-editor.png');

    // The intake form: the field is there and required.
    await page.goto('/tickets/new');
    await choose(page, '问题分类', NAME);
    const section = page.getByTestId('form-fields');
    await section.getByText('故障部件').waitFor();
    expect(await section.locator('.ant-form-item-required', { hasText: '故障部件' }).count()).toBe(1);
    await page.getByTestId('submit-ticket').click();
    await page.locator('.ant-form-item-explain-error', { hasText: '请填写故障部件' }).waitFor();

    // Filled in along with the rest, the ticket registers and shows the path.
    await page.getByLabel('客户电话').fill('13900000071');
    await page.getByLabel('客户姓名').fill('钱女士');
    await page.getByLabel('问题标题').fill('空调压缩机不启动');
    await page.getByLabel('问题描述').fill('空调开机后压缩机不启动，室内机只吹自然风。');
    await page.getByTestId('product-model').fill('KFR-35GW');
    await section.locator('.ant-select').first().click();
    await page.locator('.ant-cascader-menu-item', { hasText: '空调' }).click();
    await page.locator('.ant-cascader-menu-item', { hasText: 'KFR-35GW' }).click();
    await page.locator('.ant-cascader-menu-item', { hasText: '压缩机' }).click();
    await page.getByLabel('期望解决时间').click();
    await page.getByLabel('期望解决时间').fill('2030-12-31 18:00');
    await page.keyboard.press('Enter');
    await page.getByTestId('read-back').check();
    await pageShot(page, 'intake-form-field.png');
    await page.getByTestId('submit-ticket').click();
    await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    await page.getByTestId('form-values').getByText('空调 / KFR-35GW / 压缩机').waitFor();
    await pageShot(page, 'ticket-form-values.png');

    // Another ticket on another branch (through the API), then the list filters by path prefix.
    await api(page, 'post', '/tickets', {
      title: '热水器加热管损坏', description: '热水器不加热，检查为加热管烧坏。', channel: 'phone',
      customer: { name: '孙先生', phone: '13900000072' }, product: { model: 'JSQ-16' },
      occurredAt: new Date(Date.now() - 3600_000).toISOString(), urgency: 'medium', category: category.id,
      customFields: { faultPart: ['wh', 'heat'] },
    });
    await page.goto(`/tickets?category=${category.id}`);
    await page.locator('.ant-table-row', { hasText: '热水器加热管损坏' }).waitFor();
    await page.locator('.ant-table-row', { hasText: '空调压缩机不启动' }).waitFor();
    await page.getByTestId('cf-filter-faultPart').click();
    await page.locator('.ant-cascader-menu-item', { hasText: '空调' }).click();
    await page.locator('.ant-cascader-menu-item', { hasText: 'KFR-35GW' }).click();
    await page.keyboard.press('Escape');
    await page.waitForURL(/cf=faultPart/);
    await page.locator('.ant-table-row', { hasText: '热水器加热管损坏' }).waitFor({ state: 'detached' });
    await page.locator('.ant-table-row', { hasText: '空调压缩机不启动' }).waitFor();
    await pageShot(page, 'list-form-filter.png');
    expect(errors).toEqual([]);
  });

  it('renders the form fields on a phone-sized intake form without sideways scrolling', async () => {
    const { page, errors } = await newPage(browser, { width: 390, height: 844 });
    await gotoAndLogin(page, e2e.admin, '/tickets/new');
    await choose(page, '问题分类', NAME);
    await page.getByTestId('form-fields').getByText('故障部件').waitFor();
    await page.getByTestId('form-fields').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('intake-form-field-390.png') });
    expect(await horizontalOverflow(page)).toBe(0);
    expect(errors).toEqual([]);
  });
});
