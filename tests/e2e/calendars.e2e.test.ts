/** 设置 › 工作日历 as an admin: the seeded calendars, 国庆 in the month view, a hand-set day, period checks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { e2e, gotoAndLogin, horizontalOverflow, launch, newPage, pageShot, skip } from './browser.js';

interface CalendarBody { id: string; code: string; definition: { days: { date: string; kind: string; name: string; source: string }[] } }

async function standardCalendar(page: Page): Promise<CalendarBody> {
  const res = await page.request.get('/api/v1/calendars');
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { items: CalendarBody[] };
  return body.items.find((c) => c.code === 'standard')!;
}

async function showMonth(page: Page, year: string, month: string) {
  await page.locator('.ant-picker-calendar-year-select').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: year }).first().click();
  await page.locator('.ant-picker-calendar-month-select').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: new RegExp(`^${month}$`) }).first().click();
}

describe.skipIf(skip)('business calendars (工作日历)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the seeded calendars and marks 国庆 休 and 调休 班 in the month view', async () => {
    const { page, errors } = await newPage(browser);
    await gotoAndLogin(page, e2e.admin, '/settings?tab=calendars');
    const rows = page.locator('.ant-table-tbody tr');
    await rows.filter({ hasText: '标准工作日历' }).filter({ hasText: '默认' }).waitFor();
    await rows.filter({ hasText: '7×24 热线日历' }).waitFor();
    await rows.filter({ hasText: '周一至周五 09:00–12:00、13:30–18:00' }).waitFor();

    // The 2026 schedule, whatever year the test runs in (the fill is idempotent).
    const std = await standardCalendar(page);
    const fill = await page.request.post(`/api/v1/calendars/${std.id}/official-holidays`, { data: { year: 2026 }, headers: { origin: e2e.baseUrl } });
    expect(fill.ok()).toBe(true);
    await page.reload();
    await showMonth(page, '2026', '10月');
    const cell = (date: string) => page.locator(`.ant-picker-cell[title="${date}"]`);
    await expect.poll(() => cell('2026-10-01').innerText()).toMatch(/休\s*国庆节/);
    expect(await cell('2026-10-07').innerText()).toMatch(/休/);
    expect(await cell('2026-10-10').innerText()).toMatch(/班\s*国庆节调休/);
    expect(await cell('2026-10-08').innerText()).not.toMatch(/休|班/);
    await pageShot(page, 'calendars-desktop.png');

    // A company day off set from the month view, then undone.
    await cell('2026-10-12').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('2026-10-12（周一）').waitFor();
    await dialog.getByText('休息（节假日）').click();
    await dialog.getByPlaceholder('如：国庆节、公司年会').fill('公司运动会');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => cell('2026-10-12').innerText()).toMatch(/休\s*公司运动会/);
    expect((await standardCalendar(page)).definition.days.find((d) => d.date === '2026-10-12'))
      .toMatchObject({ kind: 'holiday', name: '公司运动会', source: 'manual' });
    await cell('2026-10-12').click();
    await dialog.getByText('按每周工作时间').click();
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => cell('2026-10-12').innerText()).not.toMatch(/休/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('refuses overlapping periods in the editor with a message in Chinese, saving nothing', async () => {
    const { page } = await newPage(browser);
    await gotoAndLogin(page, e2e.admin, '/settings?tab=calendars');
    const before = await standardCalendar(page);
    await page.locator('.ant-table-tbody tr', { hasText: '标准工作日历' }).getByRole('button', { name: '编辑' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('每周工作时间').waitFor();
    // Monday's second period now starts before the first one ends.
    await drawer.getByLabel('开始时间').nth(1).fill('11:00');
    await drawer.getByRole('button', { name: '保存' }).click();
    await drawer.getByText('与上一时段重叠或顺序不对').waitFor();
    await drawer.getByLabel('结束时间').first().fill('08:00');
    await drawer.getByText('结束时间须晚于开始时间').waitFor();
    await drawer.getByRole('button', { name: '取消' }).click();
    expect(await standardCalendar(page)).toEqual(before);
    await page.context().close();
  });

  it('fits a 390 px phone', async () => {
    const { page, errors } = await newPage(browser, { width: 390, height: 844 });
    await gotoAndLogin(page, e2e.admin, '/settings?tab=calendars');
    await page.getByText('标准工作日历 · 月历').waitFor();
    await showMonth(page, '2026', '10月');
    await expect.poll(() => page.locator('.ant-picker-cell[title="2026-10-01"]').innerText()).toMatch(/休/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await pageShot(page, 'calendars-mobile.png');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
