/** Shared pieces of the ticket intake tests: a valid intake body and signed-in people. */
import type { Role, TicketCreate } from '@closeloop/contract';
import { login, makeUser, type TestApp } from './harness.js';

export type Headers = Awaited<ReturnType<typeof login>>;
export interface Person { id: string; customerId: string | null; headers: Headers }

let phoneSeq = 0;
/** A distinct mobile number per call, so each body is a new customer unless told otherwise. */
export function nextPhone(): string {
  phoneSeq += 1;
  return `139${String(process.pid % 10000).padStart(4, '0')}${String(phoneSeq).padStart(4, '0')}`;
}

export function ticketBody(category: string, over: Partial<TicketCreate> = {}): TicketCreate {
  return {
    title: '空调制冷效果差',
    description: '客户反映空调制冷效果差，开机两小时室温仍在30度以上。',
    channel: 'phone',
    customer: { name: '王芳', phone: nextPhone() },
    product: { model: 'KFR-35GW', serial: 'SN2026001' },
    occurredAt: '2026-11-20T10:00:00+08:00',
    urgency: 'medium',
    category,
    ...over,
  };
}

export async function person(t: TestApp, role: Role, departmentIds: string[] = []): Promise<Person> {
  const row = await makeUser(t.db, role, { departmentIds });
  return { id: row.id, customerId: row.customerId, headers: await login(t.app, row.username) };
}

export function createTicketRequest(t: TestApp, who: Headers, body: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { ...who, ...headers }, payload: body as object });
}
