/**
 * 合并客户: the admin opens a ticket, merges a duplicate customer record into the ticket's
 * customer from the customer panel (picker, what moves, reason), and the duplicate's ticket then
 * shows in this customer's history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { e2e, gotoAndLogin, launch, newPage, pageShot, skip } from './browser.js';

async function api<T>(page: Page, method: 'GET' | 'POST', path: string, data?: object): Promise<T> {
  const res = await page.request.fetch(`${e2e.baseUrl}/api/v1${path}`, {
    method, data, headers: { Origin: e2e.baseUrl, ...(method === 'POST' ? { 'Idempotency-Key': crypto.randomUUID() } : {}) },
  });
  if (!res.ok()) throw new Error(`${method} ${path} → ${res.status()} ${await res.text()}`);
  return res.json() as Promise<T>;
}

describe.skipIf(skip)('customer merge', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launch(); });
  afterAll(async () => { await browser?.close(); });

  it('merges a duplicate into the ticket\'s customer and shows what moved', async () => {
    const { page, errors } = await newPage(browser);
    await gotoAndLogin(page, e2e.admin);
    const { items } = await api<{ items: { id: string; name: string }[] }>(page, 'GET', '/categories');
    const category = items.find((c) => c.name === e2e.categoryName) ?? items[0]!;
    const stamp = String(Date.now()).slice(-8);
    const ticket = (name: string, customer: object, title: string) => api<{ id: string; number: string }>(page, 'POST', '/tickets', {
      title, description: '客户反映外机运行时有异响。', channel: 'phone', customer: { name, ...customer },
      product: { model: 'KFR-35GW' }, occurredAt: '2026-11-30T10:00:00+08:00', urgency: 'medium', category: category.id,
    });
    const kept = await ticket('合并甲', { phone: `137${stamp}` }, '外机异响（电话登记）');
    const dup = await ticket(`合并乙${stamp}`, { email: `merge-${stamp}@example.com` }, '外机异响（天猫留言）');

    await page.goto(`/tickets/${kept.id}`);
    const panel = page.getByTestId('customer-panel');
    await panel.getByTestId('merge-customer').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('merge-picker').click();
    await page.keyboard.type(`合并乙${stamp}`);
    await page.locator('.ant-select-item-option').filter({ hasText: `merge-${stamp}@example.com` }).click();
    await dialog.getByTestId('merge-preview').getByText('身份标识').waitFor();
    expect((await dialog.getByTestId('merge-preview').innerText()).replace(/\s+/g, ' ')).toContain('工单 1 身份标识（手机、邮箱、平台账号） 1');
    const confirm = dialog.getByRole('button', { name: '确认合并' });
    expect(await confirm.isDisabled()).toBe(true); // no reason yet
    await dialog.getByTestId('merge-reason').fill('同一客户的电话登记与邮箱留言');
    await pageShot(page, 'customer-merge-dialog.png');
    await confirm.click();
    await page.getByText('已合并：转移工单 1 条、身份标识 1 个').waitFor();
    await panel.getByText(dup.number).waitFor();
    await panel.getByText(`merge-${stamp}@example.com`).waitFor();
    expect(errors).toEqual([]);
  });
});
