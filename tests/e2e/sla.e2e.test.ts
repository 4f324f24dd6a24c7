/**
 * SLA in the browser: the admin finds the seeds' policies in 设置 › SLA 策略; staff see each
 * ticket's countdown in the list, which fits 1440 px without scrolling sideways and says how many
 * tickets it holds, and switch to the 已超时 view.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { e2e, gotoAndLogin, horizontalOverflow, launch, newPage, pageShot, skip } from './browser.js';

describe.skipIf(skip)('SLA: policies, countdowns, overdue view', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launch(); });
  afterAll(async () => { await browser?.close(); });

  it('the admin sees the default policies: P1 within 1 hour on the 7×24 calendar', async () => {
    const { page, errors } = await newPage(browser);
    await gotoAndLogin(page, e2e.admin, '/settings?tab=sla');
    const table = page.getByTestId('sla-policies');
    const p1 = table.getByRole('row').filter({ hasText: 'P1 紧急' });
    await p1.waitFor();
    await expect(p1.textContent()).resolves.toMatch(/1 小时.*4 小时.*24 小时.*7×24 热线日历/);
    await pageShot(page, 'sla-settings-1440.png');
    expect(errors).toEqual([]);
  });

  it('the list shows live countdowns, fits 1440 px, counts its tickets and has an overdue view', async () => {
    const { page, errors } = await newPage(browser);
    await gotoAndLogin(page, e2e.agent, '/tickets');
    // The setup's tickets were registered moments ago: their clocks run (the SLA subscriber
    // starts them within a second or so of intake).
    for (let i = 0; i < 20 && !(await page.getByTestId('sla-badge').filter({ hasText: /^剩余 / }).count()); i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await page.getByTestId('ticket-table').waitFor();
    }
    await expect(page.getByTestId('sla-badge').filter({ hasText: /^剩余 / }).first().textContent()).resolves.toMatch(/^剩余 (\d+天)?(\d+小时)?(\d+分)?/);
    await expect(page.getByTestId('list-total').textContent()).resolves.toMatch(/^共 \d+ 条$/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    const tableScrolls = await page.evaluate(() => {
      const body = document.querySelector('[data-testid="ticket-table"] .ant-table-body, [data-testid="ticket-table"] .ant-table-content');
      return body ? body.scrollWidth - body.clientWidth : 0;
    });
    expect(tableScrolls).toBeLessThanOrEqual(1);
    await pageShot(page, 'sla-list-1440.png');

    await page.getByTestId('sla-view').getByText('已超时').click();
    await page.waitForURL(/sla=overdue/);
    await page.getByTestId('list-total').filter({ hasText: '共 0 条' }).waitFor();
    expect(errors).toEqual([]);
  });
});
