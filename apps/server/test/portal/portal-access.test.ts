/**
 * The customer portal: access by ticket number + one-time code (single-use, attempt-limited,
 * expiring, no leak of which numbers exist), anonymous submission with files, the customer view,
 * messages that answer 待客户补充, confirming the fix with a rating. PGlite and PostgreSQL.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalAccessCodes, smsMessages, tickets } from '../../src/db/schema.js';
import { prunePortalTables } from '../../src/portal/access-codes.js';
import { backends } from '../backends.js';
import { createTestApp, json, makeCategory, makeDepartment, ORIGIN, type TestApp } from '../harness.js';
import { createTicketRequest, nextPhone, person, ticketBody, type Person } from '../ticket-fixtures.js';
import { lastEmailCode, lastSmsCode, nextAddress, openByCode, portalHeaders, requestCode, verify } from './portal-fixtures.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

function multipart(files: { name: string; type: string; data: Buffer }[]) {
  const boundary = '----portaltest';
  const parts = files.map((f) => Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`),
    f.data, Buffer.from('\r\n'),
  ]));
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(backends)('portal access and actions on $name', (backend) => {
  let t: TestApp;
  let dept: { id: string };
  let quick: { id: string };
  let agent: Person;
  let handler: Person;

  beforeAll(async () => {
    t = await createTestApp(backend);
    dept = await makeDepartment(t.db);
    quick = await makeCategory(t.db, { processTemplate: 'quick', defaultDepartmentId: dept.id, name: '家电维修', sort: 1 });
    agent = await person(t, 'agent');
    handler = await person(t, 'handler', [dept.id]);
  });
  afterAll(async () => { await t?.close(); });

  const staffTicket = async (customer: { name: string; phone?: string; email?: string }) => {
    const res = await createTicketRequest(t, agent.headers, ticketBody(quick.id, { customer: customer as never, title: '洗衣机不排水' }));
    expect(res.statusCode, res.body).toBe(201);
    return json(res) as { id: string; number: string };
  };
  const send = (id: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/transitions`, headers: handler.headers, payload });
  const portal = (headers: object, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/portal${url}`, headers: headers as Record<string, string>, ...(payload ? { payload } : {}) });

  it('a ticket number and a texted code open that ticket, and another ticket\'s number answers 404', async () => {
    const phone = nextPhone();
    const mine = await staffTicket({ name: '赵敏', phone });
    const other = await staffTicket({ name: '周芷若', phone: nextPhone() });
    const headers = await openByCode(t, mine.number, phone);

    const me = json(await portal(headers, 'GET', '/me'));
    expect(me).toEqual({ kind: 'ticket', customerName: '赵敏', ticketNumber: mine.number });
    const view = await portal(headers, 'GET', `/tickets/${mine.number}`);
    expect(view.statusCode, view.body).toBe(200);
    expect(json(view)).toMatchObject({ number: mine.number, title: '洗衣机不排水', status: 'received', contactName: '赵敏' });
    expect(json(await portal(headers, 'GET', '/tickets')).items.map((x: { number: string }) => x.number)).toEqual([mine.number]);

    const theirs = await portal(headers, 'GET', `/tickets/${other.number}`);
    expect(theirs.statusCode).toBe(404);
    expect(json(theirs).error.code).toBe('NOT_FOUND');
    expect((await portal(headers, 'GET', '/tickets/SH-19990101-0001')).statusCode).toBe(404);
    // Not signed in at all: 401, not the ticket.
    expect((await portal({}, 'GET', `/tickets/${mine.number}`)).statusCode).toBe(401);
  });

  it('answers every code request alike and sends only to the contact on the ticket', async () => {
    const email = `portal-${Date.now()}@example.com`;
    const phone = nextPhone();
    const mine = await staffTicket({ name: '殷离', phone, email });
    const smsBefore = (await t.db.select().from(smsMessages)).length;
    const unknown = await requestCode(t, 'SH-19990101-0404');
    const known = await requestCode(t, mine.number);
    expect(unknown.statusCode).toBe(202);
    expect(known.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    const texts = await t.db.select().from(smsMessages);
    expect(texts.length).toBe(smsBefore + 1);
    expect(texts.some((m) => m.phone === phone)).toBe(true);

    // By e-mail: through the mail outbox, to the ticket's address.
    const byMail = await requestCode(t, mine.number, 'email');
    expect(byMail.statusCode).toBe(202);
    const code = await lastEmailCode(t, email);
    expect(code).toMatch(/^\d{6}$/);
    // The newer code replaced the texted one: one live code per ticket.
    const live = (await t.db.select().from(portalAccessCodes).where(eq(portalAccessCodes.ticketId, mine.id))).filter((r) => !r.endedAt);
    expect(live).toHaveLength(1);
    expect(live[0]!.via).toBe('email');
    const ok = await verify(t, mine.number, code!);
    expect(ok.statusCode, ok.body).toBe(200);
    // Codes are stored as HMACs, never as the digits.
    const rows = await t.db.select().from(portalAccessCodes).where(eq(portalAccessCodes.ticketId, mine.id));
    for (const r of rows) expect(r.codeHash).not.toContain(code!);
  });

  it('a code works once, dies after five wrong tries, and expires', async () => {
    const phone = nextPhone();
    const mine = await staffTicket({ name: '小昭', phone });

    await requestCode(t, mine.number);
    const code = (await lastSmsCode(t, phone))!;
    const first = await verify(t, mine.number, code);
    expect(first.statusCode).toBe(200);
    const second = await verify(t, mine.number, code);
    expect(second.statusCode).toBe(401);
    expect(json(second).error.fields[0].code).toBe('invalid_code');

    await requestCode(t, mine.number);
    const fresh = (await lastSmsCode(t, phone))!;
    const wrong = fresh === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) expect((await verify(t, mine.number, wrong)).statusCode).toBe(401);
    // The right code no longer helps: it died of the wrong tries.
    expect((await verify(t, mine.number, fresh)).statusCode).toBe(401);

    await requestCode(t, mine.number);
    const late = (await lastSmsCode(t, phone))!;
    await t.db.update(portalAccessCodes).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(portalAccessCodes.ticketId, mine.id));
    expect((await verify(t, mine.number, late)).statusCode).toBe(401);

    expect((await verify(t, mine.number, '12ab')).statusCode).toBe(400);
  });

  it('prunes old codes and ended sessions', async () => {
    const phone = nextPhone();
    const mine = await staffTicket({ name: '范遥', phone });
    const headers = await openByCode(t, mine.number, phone);
    expect((await portal(headers, 'GET', '/me')).statusCode).toBe(200);
    await prunePortalTables(t.db, new Date(Date.now() + 25 * 3600_000));
    expect(await t.db.select().from(portalAccessCodes).where(eq(portalAccessCodes.ticketId, mine.id))).toEqual([]);
    expect((await portal(headers, 'GET', '/me')).statusCode).toBe(401);
  });

  it('limits code requests per ticket', async () => {
    const phone = nextPhone();
    const mine = await staffTicket({ name: '杨逍', phone });
    for (let i = 0; i < 5; i++) expect((await requestCode(t, mine.number, 'phone', nextAddress())).statusCode).toBe(202);
    const over = await requestCode(t, mine.number, 'phone', nextAddress());
    expect(over.statusCode).toBe(429);
    expect(json(over).error.code).toBe('RATE_LIMITED');
  });

  it('takes an anonymous submission with a photo, refuses a bad file, and opens that ticket only', async () => {
    const limits = json(await portal({}, 'GET', '/upload-limits'));
    expect(limits).toMatchObject({ maxBytes: t.config.maxUploadBytes, maxFiles: 10 });
    expect(limits.acceptedTypes).toEqual(expect.arrayContaining(['image/jpeg', 'image/png', 'video/mp4', 'video/quicktime']));

    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/portal/tickets', remoteAddress: nextAddress(), payload: {
      scene: '厨房', symptom: '洗碗机漏水', product: { model: 'DW-8' }, contact: { name: '韦一笑' },
    } });
    expect(missing.statusCode).toBe(400);
    expect(json(missing).error.fields[0].path).toBe('contact.phone');

    const phone = nextPhone();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/portal/tickets', remoteAddress: nextAddress(), headers: { origin: ORIGIN }, payload: {
      scene: '晚上洗碗时', symptom: '洗碗机底部漏水，地面有积水', triedSteps: '重新关紧了门', product: { model: 'DW-8', serial: 'X1' },
      contact: { name: '韦一笑', phone },
    } });
    expect(res.statusCode, res.body).toBe(201);
    const { number } = json(res);
    const headers = portalHeaders(res);
    const [row] = await t.db.select().from(tickets).where(eq(tickets.number, number));
    expect(row).toMatchObject({ channel: 'web', scene: '晚上洗碗时', phenomenon: '洗碗机底部漏水，地面有积水', triedMeasures: '重新关紧了门' });

    const bad = multipart([{ name: 'virus.exe', type: 'application/octet-stream', data: Buffer.from('MZ not a photo') }]);
    const refused = await t.app.inject({ method: 'POST', url: `/api/v1/portal/tickets/${number}/attachments`, headers: { ...headers, 'content-type': bad.contentType }, payload: bad.payload });
    expect(refused.statusCode).toBe(415);
    const good = multipart([{ name: '漏水.png', type: 'image/png', data: PNG }]);
    const up = await t.app.inject({ method: 'POST', url: `/api/v1/portal/tickets/${number}/attachments`, headers: { ...headers, 'content-type': good.contentType }, payload: good.payload });
    expect(up.statusCode, up.body).toBe(201);
    const view = json(await portal(headers, 'GET', `/tickets/${number}`));
    expect(view.submission).toMatchObject({ scene: '晚上洗碗时', symptom: '洗碗机底部漏水，地面有积水', triedSteps: '重新关紧了门', productModel: 'DW-8' });
    expect(view.attachments.map((a: { filename: string }) => a.filename)).toEqual(['漏水.png']);
    expect(view.timeline[0]).toMatchObject({ kind: 'submitted', by: 'you' });
    const file = await t.app.inject({ method: 'GET', url: view.attachments[0].url, headers });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PNG)).toBe(true);

    // The session reaches this ticket only, and a cross-site write is refused.
    const other = await staffTicket({ name: '别人', phone: nextPhone() });
    expect((await portal(headers, 'GET', `/tickets/${other.number}`)).statusCode).toBe(404);
    const csrf = await portal({ ...headers, origin: 'https://evil.example' }, 'POST', `/tickets/${number}/messages`, { body: 'x' });
    expect(csrf.statusCode).toBe(403);
  });

  it('a customer account sees its own tickets; staff are refused', async () => {
    const cust = await person(t, 'customer');
    const submit = await portal(cust.headers, 'POST', '/tickets', { scene: '客厅', symptom: '电视无信号', product: { model: 'TV-55' } });
    expect(submit.statusCode, submit.body).toBe(201);
    const list = json(await portal(cust.headers, 'GET', '/tickets'));
    expect(list.items.map((x: { number: string }) => x.number)).toEqual([json(submit).number]);
    expect(json(await portal(cust.headers, 'GET', '/me')).kind).toBe('account');
    const foreign = await staffTicket({ name: '别人', phone: nextPhone() });
    expect((await portal(cust.headers, 'GET', `/tickets/${foreign.number}`)).statusCode).toBe(404);
    expect((await portal(agent.headers, 'GET', '/tickets')).statusCode).toBe(403);
  });

  it('a message answers 待客户补充; internal notes never show; confirming closes with the rating', async () => {
    const phone = nextPhone();
    const mine = await staffTicket({ name: '张无忌', phone });
    const headers = await openByCode(t, mine.number, phone);
    expect((await send(mine.id, { command: 'accept' })).statusCode).toBe(200);
    const ask = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${mine.id}/comments`, headers: handler.headers, payload: { body: '请拍一张排水口的照片', visibility: 'public' } });
    expect(ask.statusCode, ask.body).toBe(201);
    const note = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${mine.id}/comments`, headers: handler.headers, payload: { body: '内部：疑似供应商批次问题，勿告知客户', visibility: 'internal' } });
    expect(note.statusCode, note.body).toBe(201);
    expect((await send(mine.id, { command: 'set_waiting', waiting: true, note: '等客户照片' })).statusCode).toBe(200);

    let view = json(await portal(headers, 'GET', `/tickets/${mine.number}`));
    expect(view.status).toBe('needs_info');
    expect(JSON.stringify(view)).not.toContain('内部');
    expect(JSON.stringify(view)).not.toContain('等客户照片');
    expect(view.timeline.map((e: { kind: string }) => e.kind)).toEqual(['submitted', 'handling', 'reply', 'info_requested']);

    const msg = await portal(headers, 'POST', `/tickets/${mine.number}/messages`, { body: '排水口有很多线头' });
    expect(msg.statusCode, msg.body).toBe(201);
    view = json(msg);
    expect(view.status).toBe('in_progress');
    expect(view.timeline.at(-1)).toMatchObject({ kind: 'your_message', by: 'you', body: '排水口有很多线头' });
    const [row] = await t.db.select().from(tickets).where(eq(tickets.id, mine.id));
    expect(row!.waitingOnCustomer).toBe(false);
    // The customer's comment is a public comment of the ticket for staff too.
    const staffComments = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${mine.id}/comments`, headers: handler.headers }));
    expect(staffComments.items.at(-1)).toMatchObject({ body: '排水口有很多线头', visibility: 'public' });

    // Not yet waiting for confirmation: refused.
    expect((await portal(headers, 'POST', `/tickets/${mine.number}/confirm`, { resolved: true, rating: 5 })).statusCode).toBe(409);
    expect((await send(mine.id, { command: 'resolve', resolution: '清理排水泵过滤网' })).statusCode).toBe(200);
    view = json(await portal(headers, 'GET', `/tickets/${mine.number}`));
    expect(view).toMatchObject({ status: 'awaiting_confirmation', canConfirm: true, solution: '清理排水泵过滤网' });
    const done = await portal(headers, 'POST', `/tickets/${mine.number}/confirm`, { resolved: true, rating: 4, comment: '修好了' });
    expect(done.statusCode, done.body).toBe(200);
    expect(json(done)).toMatchObject({ status: 'done', canConfirm: false, canMessage: false, rating: { rating: 4, comment: '修好了' } });
    const [closed] = await t.db.select().from(tickets).where(eq(tickets.id, mine.id));
    expect(closed).toMatchObject({ status: 'closed', feedback: expect.objectContaining({ rating: 4 }) });
    expect((await portal(headers, 'POST', `/tickets/${mine.number}/confirm`, { resolved: true, rating: 4 })).statusCode).toBe(409);
  });

  it('not solved sends the ticket back to the team', async () => {
    const phone = nextPhone();
    const mine = await staffTicket({ name: '谢逊', phone });
    const headers = await openByCode(t, mine.number, phone);
    await send(mine.id, { command: 'accept' });
    await send(mine.id, { command: 'resolve', resolution: '重启设备' });
    const res = await portal(headers, 'POST', `/tickets/${mine.number}/confirm`, { resolved: false, comment: '还是不排水' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res).status).toBe('in_progress');
    expect(json(res).timeline.map((e: { kind: string }) => e.kind)).toContain('reopened');
  });
});
