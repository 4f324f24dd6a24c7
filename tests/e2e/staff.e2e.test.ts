/**
 * A day at the help desk, in the browser: an agent registers a phone complaint (and first
 * forgets the product model), finds it in the list, the handler accepts it and adds an
 * internal note, both show in the history, and the handler switches to English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { choose, e2e, gotoAndLogin, launch, login, newPage, shot, skip } from './browser.js';

const TITLE = `冰箱冷藏室结霜严重-${Date.now().toString(36)}`;

describe.skipIf(skip)('staff: register, find, accept, comment, English', () => {
  let browser: Browser;
  let ticketUrl = '';
  let ticketNumber = '';

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('an agent registers a phone complaint; a missing field and a bad e-mail are explained in Chinese', async () => {
    const { page, errors } = await newPage(browser);
    await gotoAndLogin(page, e2e.agent);
    await page.getByText('待我处理').waitFor(); // the workbench is the agent's start page
    await page.getByRole('link', { name: '新建工单' }).first().click();
    await page.waitForURL(/\/tickets\/new/);

    await page.getByLabel('客户电话').fill('13900000001');
    await page.getByLabel('客户姓名').click();
    // The phone number belongs to a known customer: their earlier ticket is shown.
    await page.getByTestId('customer-match').getByText(e2e.customerA.ticketTitle).waitFor();
    await page.getByTestId('customer-match').getByRole('button', { name: '使用此客户' }).click();
    expect(await page.getByLabel('客户姓名').inputValue()).toBe(e2e.customerA.customerName);
    await page.getByLabel('客户邮箱').fill('wang@'); // a typo the browser form does not catch

    await choose(page, '问题分类', e2e.categoryName);
    await page.getByLabel('问题标题').fill(TITLE);
    await page.getByLabel('场景').fill('夏天满载使用，环境温度 35 度');
    await page.getByLabel('现象').fill('冷藏室后壁结霜约 1 厘米，食物冻坏');
    await page.getByLabel('已尝试措施').fill('已调高温度档位，问题依旧');
    await page.getByLabel('问题描述').fill('客户来电反映冰箱冷藏室结霜严重，要求上门检修。');
    await page.getByLabel('期望解决时间').click();
    await page.getByLabel('期望解决时间').fill('2030-12-31 18:00');
    await page.keyboard.press('Enter');
    await page.getByTestId('read-back').check();

    // 产品型号 left empty: the form says so, in Chinese, and nothing is sent.
    await page.getByTestId('submit-ticket').click();
    await page.getByText('请填写产品型号').waitFor();
    await page.screenshot({ path: shot('new-ticket.png'), fullPage: true });

    // With the model, the server refuses the malformed e-mail; its field error lands on the field.
    await page.getByTestId('product-model').fill('BCD-218D');
    await page.getByTestId('submit-ticket').click();
    await page.getByTestId('form-errors').waitFor();
    await page.locator('.ant-form-item-explain-error', { hasText: '邮箱格式不正确' }).waitFor();

    await page.getByLabel('客户邮箱').fill('wang@example.com');
    await page.getByTestId('submit-ticket').click();
    await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    ticketUrl = new URL(page.url()).pathname;
    ticketNumber = (await page.getByTestId('ticket-number').innerText()).trim();
    expect(ticketNumber).toMatch(/\S+/);
    await page.getByText(`工单 ${ticketNumber} 已创建`).waitFor();
    expect(await page.getByTestId('ticket-title').innerText()).toBe(TITLE);
    expect(errors).toEqual([]);
  });

  it('the agent finds the ticket in the list by a word of its title', async () => {
    const { page, errors } = await newPage(browser);
    await gotoAndLogin(page, e2e.agent, '/tickets');
    await page.getByTestId('list-search').locator('input').fill('结霜严重');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=/);
    const row = page.locator('.ant-table-row', { hasText: TITLE });
    await row.waitFor();
    expect(await row.innerText()).toContain(ticketNumber);
    // The URL alone reproduces the view.
    await page.reload();
    await page.locator('.ant-table-row', { hasText: TITLE }).waitFor();
    expect(await page.getByTestId('list-search').locator('input').inputValue()).toBe('结霜严重');
    await page.screenshot({ path: shot('list.png') });
    await row.getByTestId('ticket-link').click();
    await page.waitForURL(new RegExp(`${ticketUrl}$`));
    await page.getByTestId('ticket-header').waitFor();
    expect(errors).toEqual([]);
  });

  it('the handler accepts it, adds an internal note, sees both in the history, then reads it in English', async () => {
    const { page, errors } = await newPage(browser);
    await gotoAndLogin(page, e2e.handler, ticketUrl);
    await page.waitForURL(new RegExp(`${ticketUrl}$`));
    expect(await page.getByTestId('ticket-header').locator('[data-status]').first().innerText()).toBe('已分派');

    await page.getByTestId('action-accept').click();
    await page.getByTestId('action-confirm').click();
    await page.getByText('受理成功').waitFor();
    await page.getByTestId('ticket-header').locator('[data-status="analyzing"]').waitFor();
    expect(await page.getByTestId('action-accept').count()).toBe(0);

    await page.getByRole('tab', { name: '评论' }).click();
    await page.getByTestId('comment-body').fill('已联系客户，明早九点上门检查冷凝器。');
    await page.getByTestId('comment-visibility').getByText('内部备注').click();
    await page.getByTestId('comment-submit').click();
    await page.getByText('评论已添加').waitFor();
    await page.getByTestId('comment-item').filter({ hasText: '明早九点上门' }).getByText('内部备注').waitFor();

    await page.getByRole('tab', { name: '处理记录' }).click();
    const accepted = page.locator('[data-testid=timeline-item][data-type="ticket.accept"]');
    await accepted.waitFor();
    expect(await accepted.innerText()).toContain(e2e.handler.displayName);
    expect(await accepted.innerText()).toContain('原因分析');
    const note = page.locator('[data-testid=timeline-item][data-type="comment.added"]');
    await note.waitFor();
    expect(await note.innerText()).toContain('内部备注');
    expect(await note.innerText()).toContain('明早九点上门');
    await page.screenshot({ path: shot('detail.png'), fullPage: true });

    await switchToEnglish(page);
    await page.getByRole('menuitem', { name: 'Workbench' }).waitFor();
    await page.getByTestId('ticket-header').locator('[data-status="analyzing"]', { hasText: 'Analyzing' }).waitFor();
    await page.getByRole('button', { name: 'Submit plan' }).waitFor();
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByText('Ticket accepted').waitFor();
    // Remembered: a new visit (and a new sign-in) stays in English.
    await page.reload();
    await page.getByRole('menuitem', { name: 'Workbench' }).waitFor();
    const again = await newPage(browser);
    await again.page.goto('/login');
    await login(again.page, e2e.handler);
    await again.page.getByRole('menuitem', { name: 'Workbench' }).waitFor();
    await again.context.close();
    expect(errors).toEqual([]);
  });

  async function switchToEnglish(page: Page) {
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
  }
});
