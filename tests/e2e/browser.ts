/** Shared browser helpers: launch Debian's Chromium, sign in as a person would, check layout. */
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM, type E2eEnv, type SeededUser } from './env.js';

export const env = inject('e2e');
/** The suites skip when the global setup found no browser. */
export const skip = env === null;
export const e2e = env as E2eEnv;

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}

export async function newPage(browser: Browser, viewport = { width: 1440, height: 900 }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', baseURL: e2e.baseUrl });
  const page = await context.newPage();
  // 30 s: the CI machine runs these beside other work; a slow first render is not a failure of the page.
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { context, page, errors };
}

/** Fills the login form; the page must be on /login (or be sent there). */
export async function login(page: Page, user: SeededUser): Promise<void> {
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

export async function gotoAndLogin(page: Page, user: SeededUser, to = '/'): Promise<void> {
  await page.goto(to);
  await page.waitForURL(/\/login/);
  await login(page, user);
}

/** Picks an option of the antd Select labelled `label` (inside `scope`, e.g. a dialog). */
export async function choose(page: Page, label: string, option: string, scope: Page | Locator = page): Promise<void> {
  await scope.getByLabel(label, { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

export function shot(name: string): string {
  return path.join(e2e.resultsDir, name);
}

/**
 * The whole page in one picture: the window is made as tall as the page (a full-page capture
 * would scroll and leave the sticky menu and top bar in the middle of the image).
 */
export async function pageShot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1440, height: 900 };
  await page.evaluate(() => window.scrollTo(0, 0));
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: size.width, height: Math.min(Math.max(height, size.height), 4000) });
  await page.waitForTimeout(300);
  await page.screenshot({ path: shot(name) });
  await page.setViewportSize(size);
}

/** The page body must not scroll sideways (tables may scroll inside themselves). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/**
 * An API session outside the browser (cookie + Origin for the CSRF check; an Idempotency-Key on
 * ticket creation), for a spec's setup: sign in with POST /auth/login first.
 */
export function adminApi() {
  let cookie = '';
  return async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${e2e.baseUrl}/api/v1${p}`, {
      method,
      headers: {
        Origin: e2e.baseUrl,
        ...(cookie ? { Cookie: cookie } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(method === 'POST' && p === '/tickets' ? { 'Idempotency-Key': crypto.randomUUID() } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const set = res.headers.getSetCookie?.() ?? [];
    if (set.length) cookie = set.map((c) => c.split(';')[0]).join('; ');
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}
