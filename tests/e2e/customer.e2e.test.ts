/**
 * A customer signs in and sees only their own tickets; another customer's ticket is "not
 * found"; an expired session sends them to login and back to where they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { e2e, gotoAndLogin, launch, login, newPage, skip } from './browser.js';

describe.skipIf(skip)('customer: own tickets only', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lists only this customer\'s tickets and refuses another customer\'s', async () => {
    const { page, errors } = await newPage(browser);
    await gotoAndLogin(page, e2e.customerA);
    await page.waitForURL(/\/tickets$/);
    await page.getByRole('menuitem', { name: '我的工单' }).waitFor();
    await page.getByText(e2e.customerA.ticketTitle).waitFor();
    const rows = page.locator('.ant-table-row');
    const texts = await rows.allInnerTexts();
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).toContain(e2e.customerA.customerName);
    expect(await page.getByText(e2e.customerB.ticketTitle).count()).toBe(0);
    // Staff-only menus are not there.
    expect(await page.getByRole('menuitem', { name: '设置' }).count()).toBe(0);

    await page.goto(`/tickets/${e2e.customerB.ticketId}`);
    await page.getByText('内容不存在或您无权查看').waitFor();
    expect(await page.getByText(e2e.customerB.ticketTitle).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('after the session expires, login brings the customer back to the page they were on', async () => {
    const { page, context } = await newPage(browser);
    await gotoAndLogin(page, e2e.customerA, '/tickets');
    await page.locator('.ant-table-row', { hasText: e2e.customerA.ticketTitle }).getByTestId('ticket-link').click();
    await page.getByTestId('ticket-header').waitFor();
    const detail = new URL(page.url()).pathname;
    await context.clearCookies(); // the session is gone, as after expiry
    // The next request (the comments tab loads them) answers 401: off to login, remembering the page.
    await page.getByRole('tab', { name: '评论' }).click();
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === detail);
    await login(page, e2e.customerA);
    await page.waitForURL((url) => url.pathname === detail);
    await page.getByTestId('ticket-header').waitFor();
  });
});
