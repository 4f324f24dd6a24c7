/**
 * The customer's follow-up link on a 390 px phone: a ticket handled to follow-up, the agent
 * issues the link (the 回访 card's "send a new link" answers it once), the customer opens it
 * without login, answers 已解决 with 5 stars, and sees the thank-you page; the link is then spent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { adminApi, e2e, gotoAndLogin, horizontalOverflow, launch, newPage, pageShot, skip } from './browser.js';

const PHONE = { width: 390, height: 844 };


describe.skipIf(skip)('follow-up link on a phone', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the customer confirms with 5 stars at 390 px; the link works once', async () => {
    const api = adminApi();
    await api('POST', '/auth/login', { username: e2e.admin.username, password: e2e.admin.password });
    const depts = await api<{ items: { id: string; code: string }[] }>('GET', '/departments');
    const category = await api<{ id: string }>('POST', '/categories', {
      code: 'washer_e2e', name: '洗衣机售后', nameEn: 'Washing machines', processTemplate: 'quick', defaultDepartmentId: depts.items[0]!.id,
    });
    await api('PUT', `/categories/${category.id}/follow-up-settings`, { warrantyNotice: '3个月内如有问题免费上门' });
    const ticket = await api<{ id: string; number: string }>('POST', '/tickets', {
      title: '洗衣机脱水时晃动', description: '滚筒洗衣机脱水时机身晃动明显', channel: 'phone',
      customer: { name: '赵敏', phone: '13900000099', email: 'zhaomin@example.com' }, product: { model: 'XQG100-B' },
      occurredAt: new Date(Date.now() - 86400_000).toISOString(), urgency: 'medium', category: category.id,
    });
    await api('POST', `/tickets/${ticket.id}/transitions`, { command: 'accept' });
    await api('POST', `/tickets/${ticket.id}/transitions`, { command: 'resolve', resolution: '拆除运输螺栓并调平底脚' });

    // The agent's card issues a link to pass on (the e-mailed one is never shown to staff).
    const { page: staff } = await newPage(browser);
    await gotoAndLogin(staff, e2e.agent, `/tickets/${ticket.id}`);
    const card = staff.getByTestId('followup-card');
    await card.waitFor();
    await card.getByRole('button', { name: '重新发送链接' }).click();
    await staff.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    const issued = card.getByTestId('issued-link');
    await issued.waitFor();
    const url = (await issued.getByTestId('issued-url').textContent())!.trim();
    expect(url).toMatch(/\/f\/[A-Za-z0-9_.-]+$/);
    await pageShot(staff, 'followup-card.png');

    const { page, errors } = await newPage(browser, PHONE);
    await page.goto(new URL(url).pathname);
    await page.getByText('洗衣机脱水时晃动').waitFor();
    await page.getByText('拆除运输螺栓并调平底脚').waitFor();
    await page.getByTestId('followup-warranty').getByText('3个月内如有问题免费上门').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await pageShot(page, 'followup-mobile.png');

    await page.getByTestId('answer-solved').click();
    await page.getByTestId('followup-rate').locator('.ant-rate-star').nth(4).click();
    await page.getByText('非常满意').waitFor();
    await page.getByTestId('followup-comment').fill('师傅很专业');
    await page.getByTestId('followup-submit').click();
    await page.getByTestId('followup-thanks').getByText('感谢您的评价').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await pageShot(page, 'followup-thanks-mobile.png');

    const after = await api<{ status: string; feedback: { rating: number; comment: string } | null }>('GET', `/tickets/${ticket.id}`);
    expect(after.status).toBe('closed');
    expect(after.feedback).toMatchObject({ rating: 5, comment: '师傅很专业' });

    await page.reload();
    await page.getByTestId('followup-gone').getByText('该链接已使用').waitFor();
    expect(errors).toEqual([]);

    // Publish as article from the closed ticket, find it in the knowledge base in Chinese.
    await staff.goto(`/tickets/${ticket.id}`);
    await staff.getByTestId('followup-card').getByRole('button', { name: '发布为知识' }).click();
    await staff.waitForURL(/\/knowledge/);
    const drawer = staff.getByRole('dialog').filter({ hasText: '发布为知识（已根据工单预填）' });
    await drawer.getByLabel('解决方案').waitFor();
    expect(await drawer.getByLabel('解决方案').inputValue()).toBe('拆除运输螺栓并调平底脚');
    await drawer.getByText('已发布').click();
    await drawer.getByTestId('article-save').click();
    await staff.getByTestId('article-view').waitFor();
    await staff.getByText('文章已发布').waitFor();
    await staff.keyboard.press('Escape');
    await staff.getByTestId('knowledge-search').locator('input').fill('螺栓');
    await staff.keyboard.press('Enter');
    await staff.getByTestId('article-item').filter({ hasText: '洗衣机脱水时晃动' }).waitFor();
    await pageShot(staff, 'knowledge-list.png');

    // Intake: the same customer and model again → duplicate warning, the article suggested.
    await staff.goto('/tickets/new');
    await staff.getByLabel('客户电话').fill('13900000099');
    await staff.getByLabel('问题标题').fill('洗衣机脱水晃动厉害');
    await staff.getByLabel('产品型号').fill('XQG100-B');
    const sugg = staff.getByTestId('intake-suggestions');
    await sugg.getByTestId('duplicate-warning').waitFor();
    await sugg.getByText('洗衣机脱水时晃动').first().waitFor();
    await pageShot(staff, 'intake-suggestions.png');

    // The admin sees the category's follow-up settings (set through the API above) and changes one.
    const { page: admin } = await newPage(browser);
    await gotoAndLogin(admin, e2e.admin, '/settings');
    await admin.getByRole('tab', { name: '问题分类' }).click();
    await admin.locator('.ant-table-row', { hasText: '洗衣机售后' }).getByRole('button', { name: '回访设置' }).click();
    const modal = admin.getByRole('dialog').filter({ hasText: '回访设置' });
    await modal.getByLabel('保修说明', { exact: true }).waitFor();
    expect(await modal.getByLabel('保修说明', { exact: true }).inputValue()).toBe('3个月内如有问题免费上门');
    await modal.getByLabel('关闭后有效性验证').fill('30');
    await pageShot(admin, 'followup-settings.png');
    await modal.getByRole('button', { name: /确\s*定|OK/ }).click();
    await admin.getByText('保存成功').waitFor();
    const saved = await api<{ effectivenessDays: number | null }>('GET', `/categories/${category.id}/follow-up-settings`);
    expect(saved.effectivenessDays).toBe(30);
  });
});
