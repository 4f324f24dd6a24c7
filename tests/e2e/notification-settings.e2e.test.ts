/** 通知设置 as a handler (from the user menu) and 设置 › 邮件投递 as the admin, at 1440 and 390 px. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { e2e, gotoAndLogin, horizontalOverflow, launch, newPage, pageShot, skip } from './browser.js';

describe.skipIf(skip)('notification settings (通知设置)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a handler switches SLA warning e-mails off from the user menu, and it stays off', async () => {
    const { page, errors } = await newPage(browser);
    await gotoAndLogin(page, e2e.handler, '/');
    // The staff suite leaves this handler reading English: this test reads Chinese.
    const zh = await page.request.patch('/api/v1/me', { data: { locale: 'zh-CN' }, headers: { origin: e2e.baseUrl } });
    expect(zh.status()).toBe(200);
    await page.reload();
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '通知设置' }).click();
    await page.waitForURL(/\/account\/notifications$/);
    await page.getByText('站内通知即时送达').waitFor();
    const email = page.getByTestId('pref-sla_warn-email');
    await expect.poll(() => email.getAttribute('aria-checked')).toBe('true');
    await email.click();
    await page.getByText('保存成功').waitFor();
    await page.reload();
    await expect.poll(() => page.getByTestId('pref-sla_warn-email').getAttribute('aria-checked')).toBe('false');
    await expect.poll(() => page.getByTestId('pref-sla_warn-inApp').getAttribute('aria-checked')).toBe('true');
    const res = await page.request.get('/api/v1/me/notification-preferences');
    const body = (await res.json()) as { items: { kind: string; inApp: boolean; email: boolean }[] };
    expect(body.items.find((i) => i.kind === 'sla_warn')).toEqual({ kind: 'sla_warn', inApp: true, email: false });
    await pageShot(page, 'notification-settings.png');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('fits a 390 px phone, and the admin sees the delivery list', async () => {
    const { page, errors } = await newPage(browser, { width: 390, height: 844 });
    await gotoAndLogin(page, e2e.admin, '/account/notifications');
    await page.getByText('工单分派给我').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await pageShot(page, 'notification-settings-mobile.png');
    await page.goto('/settings?tab=email-deliveries');
    await page.getByText('原因 / 最近错误').first().waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await pageShot(page, 'email-deliveries-mobile.png');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
