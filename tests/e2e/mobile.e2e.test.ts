/** A phone (390 × 844): list, detail and new-ticket pages fit the screen and stay usable. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { e2e, gotoAndLogin, horizontalOverflow, launch, newPage, pageShot, skip } from './browser.js';

const PHONE = { width: 390, height: 844 };

async function visibleInViewport(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox();
  return !!box && box.x >= 0 && box.x + box.width <= PHONE.width + 1 && box.width > 0;
}

describe.skipIf(skip)('390 px phone', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('list, detail and new ticket fit the width with their key controls on screen', async () => {
    const { page, errors } = await newPage(browser, PHONE);
    await gotoAndLogin(page, e2e.agent, '/tickets');
    await page.getByTestId('ticket-cards').getByTestId('ticket-link').first().waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await visibleInViewport(page, '[data-testid=list-search]')).toBe(true);
    expect(await visibleInViewport(page, '[data-testid=new-ticket]')).toBe(true);
    expect(await visibleInViewport(page, '[data-testid=menu-toggle]')).toBe(true);
    await pageShot(page, 'list-mobile.png');

    // The menu lives in a drawer.
    await page.getByTestId('menu-toggle').click();
    await page.getByRole('menuitem', { name: '工作台' }).waitFor();
    await page.keyboard.press('Escape');

    await page.getByTestId('ticket-cards').getByTestId('ticket-link').first().click();
    await page.getByTestId('ticket-header').waitFor();
    await page.getByTestId('ticket-actions').locator('button').first().waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await visibleInViewport(page, '[data-testid=ticket-number]')).toBe(true);
    expect(await visibleInViewport(page, '[data-testid=ticket-actions] button')).toBe(true);
    await pageShot(page, 'detail-mobile.png');

    await page.goto('/tickets/new');
    await page.getByTestId('new-ticket-form').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await visibleInViewport(page, '[data-testid=submit-ticket]')).toBe(true);
    await page.getByTestId('submit-ticket').click();
    await page.getByText('请填写问题标题').waitFor();
    await pageShot(page, 'new-ticket-mobile.png');
    expect(errors).toEqual([]);
  });
});
