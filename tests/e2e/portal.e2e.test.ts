/**
 * The customer portal on a 390 px phone, as a customer would use it: 提交问题 with a real PNG
 * (a wrong kind and an oversize file refused in the form first, naming why), the ticket number
 * shown, then on the ticket page a staff reply (posted through the staff API) and the move to
 * 待您确认 appear without a reload (the SSE stream); 确认解决 with 5 stars closes the ticket.
 * Second: ticket number + code (read from the logging SMS sender's inbox) opens the ticket, a
 * wrong code is refused in words, and another ticket stays out of reach.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { adminApi, e2e, horizontalOverflow, launch, newPage, pageShot, skip } from './browser.js';

const PHONE = { width: 390, height: 844 };

/** A real 16 × 16 PNG (red square): signature, IHDR, IDAT, IEND with their CRCs. */
function png(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const size = 16;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.concat(Array.from({ length: size }, () => Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => [220, 40, 40]).flat())])));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function staffTicket(api: ReturnType<typeof adminApi>, number: string): Promise<{ id: string; status: string }> {
  const page = await api<{ items: { id: string; number: string; status: string }[] }>('GET', `/tickets?q=${encodeURIComponent(number)}`);
  const found = page.items.find((t) => t.number === number);
  if (!found) throw new Error(`ticket ${number} not found by staff search`);
  return found;
}

/** The page was not reloaded: a marker set on window before is still there. */
const marked = (page: Page) => page.evaluate(() => (window as unknown as { portalNoReload?: boolean }).portalNoReload === true);

describe.skipIf(skip)('customer portal on a phone', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('submits a problem with a photo, sees a staff reply live, confirms the fix with 5 stars', async () => {
    const api = adminApi();
    await api('POST', '/auth/login', { username: e2e.admin.username, password: e2e.admin.password });
    const limits = await api<{ maxBytes: number }>('GET', '/portal/upload-limits');

    const { page, errors } = await newPage(browser, PHONE);
    await page.goto('/portal');
    await page.getByTestId('portal-home').waitFor();
    await page.getByTestId('portal-home-submit').click();
    await page.getByTestId('portal-submit').waitFor();

    // Refused in the form, before anything is sent, with the reason.
    // The oversize video is a sparse file on disk: a path is handed to the local browser, not copied.
    const big = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'portal-e2e-')), '大视频.mp4');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, limits.maxBytes + 1);
    await page.getByTestId('file-input').setInputFiles([{ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ not a photo') }]);
    const refused = page.getByTestId('file-refused');
    await refused.getByText('「setup.exe」不支持该文件类型', { exact: false }).waitFor();
    await page.getByTestId('file-input').setInputFiles([big]);
    await refused.getByText('「大视频.mp4」文件过大', { exact: false }).waitFor();
    fs.rmSync(path.dirname(big), { recursive: true, force: true });
    expect(await page.getByTestId('file-preview').count()).toBe(0);

    await page.getByTestId('file-input').setInputFiles([{ name: '冰箱照片.png', mimeType: 'image/png', buffer: png() }]);
    await page.getByTestId('file-preview').locator('img').waitFor();
    expect(await refused.count()).toBe(0);

    // Required fields are asked for in Chinese.
    await page.getByTestId('submit-send').click();
    await page.getByText('请填写使用场景').waitFor();
    await page.getByText('请填写手机号码或电子邮箱').waitFor();

    await page.getByTestId('submit-scene').fill('晚上做饭时打开冰箱');
    await page.getByTestId('submit-symptom').fill('冷藏室不制冷，温度显示12度');
    await page.getByTestId('submit-tried').fill('已断电重启一次');
    await page.getByTestId('submit-model').fill('BCD-470W');
    await page.getByTestId('submit-name').fill('陈女士');
    await page.getByTestId('submit-phone').fill('13911112222');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await pageShot(page, 'portal-submit-mobile.png');
    await page.getByTestId('submit-send').click();

    const numberEl = page.getByTestId('portal-submitted').getByTestId('portal-ticket-number');
    await numberEl.waitFor();
    const number = (await numberEl.innerText()).trim();
    expect(number).toMatch(/^SH-\d{8}-\d{4}$/);
    await pageShot(page, 'portal-submitted-mobile.png');

    await page.getByTestId('portal-go-ticket').click();
    const ticket = page.getByTestId('portal-ticket');
    await ticket.waitFor();
    await ticket.getByTestId('portal-status').getByText('已受理').waitFor();
    await ticket.getByRole('heading', { name: '冷藏室不制冷，温度显示12度' }).waitFor();
    await ticket.getByText('晚上做饭时打开冰箱').waitFor();
    await ticket.getByTestId('message-image').waitFor();
    await page.getByTestId('portal-live').waitFor();
    await page.evaluate(() => { (window as unknown as { portalNoReload?: boolean }).portalNoReload = true; });

    // A staff reply and the status change arrive through the stream.
    const staff = await staffTicket(api, number);
    await api('POST', `/tickets/${staff.id}/comments`, { body: '陈女士您好，请问冰箱背面离墙有多远？', visibility: 'public' });
    await api('POST', `/tickets/${staff.id}/comments`, { body: '内部：疑似压缩机故障', visibility: 'internal' });
    await page.getByTestId('portal-thread').getByText('陈女士您好，请问冰箱背面离墙有多远？').waitFor();
    expect(await marked(page)).toBe(true);

    // The customer answers in the reply box; it is theirs in the thread.
    await page.getByTestId('reply-body').fill('大约5厘米');
    await page.getByTestId('reply-send').click();
    await page.getByTestId('portal-thread').locator('[data-from=you]').getByText('大约5厘米').waitFor();

    // Staff move it to follow-up (a quick category, so 受理 → 处理完成 leads there).
    const depts = await api<{ items: { id: string }[] }>('GET', '/departments');
    const quick = await api<{ id: string }>('POST', '/categories', {
      code: 'fridge_portal_e2e', name: '冰箱售后', nameEn: 'Fridges', processTemplate: 'quick', defaultDepartmentId: depts.items[0]!.id,
    });
    await api('PATCH', `/tickets/${staff.id}`, { category: quick.id });
    await api('POST', `/tickets/${staff.id}/transitions`, { command: 'accept' });
    await api('POST', `/tickets/${staff.id}/transitions`, { command: 'resolve', resolution: '冰箱离墙距离调整为10厘米，并清理冷凝器灰尘' });

    const confirm = page.getByTestId('portal-confirm');
    await confirm.waitFor();
    await ticket.getByTestId('portal-status').getByText('待您确认').waitFor();
    await confirm.getByText('冰箱离墙距离调整为10厘米，并清理冷凝器灰尘').waitFor();
    expect(await marked(page)).toBe(true);
    expect(await page.getByText('内部：疑似压缩机故障').count()).toBe(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await pageShot(page, 'portal-confirm-mobile.png');

    await page.getByTestId('confirm-solved').click();
    await page.getByTestId('confirm-rate').locator('.ant-rate-star').nth(4).click();
    await page.getByTestId('confirm-comment').fill('师傅上门很及时');
    await page.getByTestId('confirm-send').click();
    await ticket.getByTestId('portal-status').getByText('已完成').waitFor();
    await page.getByTestId('portal-feedback').getByText('师傅上门很及时').waitFor();
    await pageShot(page, 'portal-done-mobile.png');

    const after = await api<{ status: string; feedback: { rating: number; comment: string } | null }>('GET', `/tickets/${staff.id}`);
    expect(after.status).toBe('closed');
    expect(after.feedback).toMatchObject({ rating: 5, comment: '师傅上门很及时' });
    expect(errors).toEqual([]);
  });

  it('opens a ticket by number and SMS code; a wrong code is refused in words; another ticket is out of reach', async () => {
    const api = adminApi();
    await api('POST', '/auth/login', { username: e2e.admin.username, password: e2e.admin.password });
    const mine = await api<{ id: string; number: string }>('GET', `/tickets/${e2e.customerB.ticketId}`);

    const { page, errors } = await newPage(browser, PHONE);
    await page.goto('/portal/track');
    await page.getByTestId('track-number').fill(mine.number);
    await page.getByTestId('track-send').click();
    await page.getByTestId('track-code-step').waitFor();
    await page.getByText('如果该工单登记了手机号码，验证码已发送至该手机').waitFor();
    await page.getByTestId('track-resend').getByText(/\d+ 秒后可重新获取/).waitFor();

    const sms = await api<{ items: { body: string }[] }>('GET', '/sms-messages?phone=13900000002');
    const code = /\b(\d{6})\b/.exec(sms.items[0]?.body ?? '')?.[1];
    expect(code).toBeTruthy();

    const wrong = code === '000000' ? '111111' : '000000';
    await page.getByTestId('track-code').locator('input').first().click();
    await page.keyboard.type(wrong);
    await page.getByTestId('track-code-error').getByText('验证码错误', { exact: false }).waitFor();
    await pageShot(page, 'portal-track-mobile.png');

    await page.getByTestId('track-code').locator('input').first().click();
    await page.keyboard.type(code!);
    const ticket = page.getByTestId('portal-ticket');
    await ticket.waitFor();
    await ticket.getByText(e2e.customerB.ticketTitle, { exact: true }).waitFor();
    expect(page.url()).toContain(encodeURIComponent(mine.number));

    // The code session reaches this one ticket only.
    const all = await api<{ items: { number: string; title: string }[] }>('GET', '/tickets?limit=100');
    const other = all.items.find((t) => t.title === e2e.customerA.ticketTitle)!;
    await page.goto(`/portal/tickets/${encodeURIComponent(other.number)}`);
    await page.getByTestId('portal-no-access').waitFor();
    expect(errors).toEqual([]);
  });
});
