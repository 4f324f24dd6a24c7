/**
 * Live push: SSE streams fed from committed events. The customer stream carries public changes
 * only (an internal note never); the staff stream every event of a ticket the caller may see;
 * a reconnect replays after Last-Event-ID; and with two app instances on one PostgreSQL database
 * a staff comment posted on instance A arrives on a stream opened on instance B.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { backends, createPgDatabase, hasPostgres, type Backend } from '../backends.js';
import { createTestApp, json, makeCategory, makeDepartment, type TestApp } from '../harness.js';
import { createTicketRequest, nextPhone, person, ticketBody, type Person } from '../ticket-fixtures.js';
import { openByCode } from './portal-fixtures.js';
import { openSse, type SseStream } from './sse-client.js';

process.env.CLOSELOOP_STREAM_POLL_MS = '50';

const portOf = (t: TestApp) => (t.app.server.address() as AddressInfo).port;
const changes = (s: SseStream) => s.events.filter((e) => e.event === 'changed').map((e) => JSON.parse(e.data) as { seq: number; kind: string });

describe.each(backends)('portal streams on $name', (backend) => {
  let t: TestApp;
  let dept: { id: string };
  let category: { id: string };
  let agent: Person;
  let handler: Person;
  let outsider: Person;
  const open: SseStream[] = [];

  beforeAll(async () => {
    t = await createTestApp(backend);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    dept = await makeDepartment(t.db);
    const elsewhere = await makeDepartment(t.db);
    category = await makeCategory(t.db, { processTemplate: 'quick', defaultDepartmentId: dept.id });
    agent = await person(t, 'agent');
    handler = await person(t, 'handler', [dept.id]);
    outsider = await person(t, 'handler', [elsewhere.id]);
  });
  afterAll(async () => { for (const s of open) s.close(); await t?.close(); });

  const sse = async (path: string, headers: Record<string, string>) => {
    const s = await openSse(portOf(t), path, headers);
    open.push(s);
    return s;
  };
  const comment = (id: string, body: string, visibility: 'public' | 'internal') =>
    t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/comments`, headers: handler.headers, payload: { body, visibility } });

  it('pushes a public reply to the customer and never an internal note', async () => {
    const phone = nextPhone();
    const created = json(await createTicketRequest(t, agent.headers, ticketBody(category.id, { customer: { name: '令狐冲', phone } })));
    const headers = await openByCode(t, created.number, phone);
    const customer = await sse(`/api/v1/portal/tickets/${created.number}/stream`, headers);
    expect(customer.status).toBe(200);
    const staff = await sse(`/api/v1/tickets/${created.id}/stream`, handler.headers);
    expect(staff.status).toBe(200);
    const ready = JSON.parse((await customer.waitFor((e) => e.event === 'ready')).data) as { seq: number };
    await staff.waitFor((e) => e.event === 'ready');

    expect((await comment(created.id, '内部：先别告诉客户', 'internal')).statusCode).toBe(201);
    expect((await comment(created.id, '您好，师傅明天上门', 'public')).statusCode).toBe(201);
    const reply = await customer.waitFor((e) => e.event === 'changed');
    expect(JSON.parse(reply.data)).toMatchObject({ kind: 'reply' });
    // Staff saw both comments, in order; the customer exactly one change — the public one.
    await staff.waitFor((e) => e.event === 'changed' && Number(e.id) === Number(reply.id));
    const staffKinds = changes(staff).map((c) => c.kind);
    expect(staffKinds).toEqual(['comment.added', 'comment.added']);
    expect(changes(customer)).toEqual([{ seq: Number(reply.id), kind: 'reply' }]);
    expect(Number(reply.id)).toBe(ready.seq + 2);

    // A reconnect with Last-Event-ID gets what it missed, filtered the same way.
    const again = await sse(`/api/v1/portal/tickets/${created.number}/stream`, { ...headers, 'last-event-id': String(ready.seq) });
    await again.waitFor((e) => e.event === 'changed');
    expect(changes(again)).toEqual([{ seq: Number(reply.id), kind: 'reply' }]);
  });

  it('refuses streams of tickets out of reach as the reads do', async () => {
    const phone = nextPhone();
    const mine = json(await createTicketRequest(t, agent.headers, ticketBody(category.id, { customer: { name: '任盈盈', phone } })));
    const other = json(await createTicketRequest(t, agent.headers, ticketBody(category.id)));
    const headers = await openByCode(t, mine.number, phone);
    const theirs = await sse(`/api/v1/portal/tickets/${other.number}/stream`, headers);
    expect(theirs.status).toBe(404);
    const anonymous = await sse(`/api/v1/portal/tickets/${mine.number}/stream`, {});
    expect(anonymous.status).toBe(401);
    const notHis = await sse(`/api/v1/tickets/${mine.id}/stream`, outsider.headers);
    expect(notHis.status).toBe(404);
  });
});

describe.skipIf(!hasPostgres)('portal streams across two instances on one PostgreSQL database', () => {
  let a: TestApp;
  let b: TestApp;
  let drop = async () => {};
  const open: SseStream[] = [];

  beforeAll(async () => {
    const created = await createPgDatabase();
    drop = created.drop;
    const shared: Backend = { name: 'postgres', open: () => openDatabase({ databaseUrl: created.url, poolSize: 5 }) };
    a = await createTestApp(shared);
    b = await createTestApp(shared);
    await b.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await a?.close();
    await b?.close();
    await drop();
  });

  it('a staff comment posted on instance A arrives on a stream opened on instance B', async () => {
    const dept = await makeDepartment(a.db);
    const category = await makeCategory(a.db, { processTemplate: 'quick', defaultDepartmentId: dept.id });
    const agent = await person(a, 'agent');
    const handler = await person(a, 'handler', [dept.id]);
    const phone = nextPhone();
    const created = json(await createTicketRequest(a, agent.headers, ticketBody(category.id, { customer: { name: '岳灵珊', phone } })));
    const headers = await openByCode(b, created.number, phone);
    const customer = await openSse(portOf(b), `/api/v1/portal/tickets/${created.number}/stream`, headers);
    open.push(customer);
    const staffOnB = await openSse(portOf(b), `/api/v1/tickets/${created.id}/stream`, handler.headers);
    open.push(staffOnB);
    await customer.waitFor((e) => e.event === 'ready');
    await staffOnB.waitFor((e) => e.event === 'ready');

    const posted = await a.app.inject({
      method: 'POST', url: `/api/v1/tickets/${created.id}/comments`, headers: handler.headers,
      payload: { body: '已为您安排更换配件', visibility: 'public' },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    expect(JSON.parse((await customer.waitFor((e) => e.event === 'changed')).data)).toMatchObject({ kind: 'reply' });
    expect(JSON.parse((await staffOnB.waitFor((e) => e.event === 'changed')).data)).toMatchObject({ kind: 'comment.added' });
    // And the customer's page on B reads the reply.
    const view = json(await b.app.inject({ method: 'GET', url: `/api/v1/portal/tickets/${created.number}`, headers }));
    expect(view.timeline.at(-1)).toMatchObject({ kind: 'reply', body: '已为您安排更换配件' });
  });
});
