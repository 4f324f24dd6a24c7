/** Shared steps of the portal tests: a code from the SMS inbox or the e-mail outbox, a portal session. */
import { desc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { emailDeliveries, smsMessages } from '../../src/db/schema.js';
import { json, ORIGIN, type TestApp } from '../harness.js';

let addressSeq = 0;
/** A distinct client address per call, so the per-address limits of one test do not hit another. */
export const nextAddress = () => { addressSeq += 1; return `10.9.${Math.floor(addressSeq / 250)}.${(addressSeq % 250) + 1}`; };

export async function requestCode(t: TestApp, ticketNumber: string, via: 'phone' | 'email' = 'phone', remoteAddress = nextAddress()) {
  return t.app.inject({ method: 'POST', url: '/api/v1/portal/access/request', remoteAddress, payload: { ticketNumber, via } });
}

/** The newest code texted to this phone (the logging sender's inbox). */
export async function lastSmsCode(t: TestApp, phone: string): Promise<string | null> {
  const [row] = await t.db.select().from(smsMessages).where(eq(smsMessages.phone, phone)).orderBy(desc(smsMessages.createdAt)).limit(1);
  return row ? /验证码是 (\d{6})/.exec(row.body)![1]! : null;
}

export async function lastEmailCode(t: TestApp, address: string): Promise<string | null> {
  const [row] = await t.db.select().from(emailDeliveries).where(eq(emailDeliveries.address, address)).orderBy(desc(emailDeliveries.createdAt)).limit(1);
  return row ? /验证码是 (\d{6})/.exec(String((row.data as { body: string }).body))![1]! : null;
}

export async function verify(t: TestApp, ticketNumber: string, code: string, remoteAddress = nextAddress()) {
  return t.app.inject({ method: 'POST', url: '/api/v1/portal/access/verify', remoteAddress, payload: { ticketNumber, code } });
}

/** Headers of a portal session (cookie closeloop_portal) from a verify or submit answer. */
export function portalHeaders(res: { cookies: { name: string; value: string }[] }) {
  const c = res.cookies.find((x) => x.name === 'closeloop_portal');
  expect(c, 'portal cookie').toBeDefined();
  return { cookie: `closeloop_portal=${c!.value}`, origin: ORIGIN };
}

/** Phone → code → session headers. */
export async function openByCode(t: TestApp, ticketNumber: string, phone: string) {
  const r = await requestCode(t, ticketNumber);
  expect(r.statusCode, r.body).toBe(202);
  const code = await lastSmsCode(t, phone);
  const v = await verify(t, ticketNumber, code!);
  expect(v.statusCode, v.body).toBe(200);
  return portalHeaders(v);
}

export const body = <T = any>(res: Parameters<typeof json>[0]) => json<T>(res);
