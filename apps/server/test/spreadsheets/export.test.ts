/**
 * Excel export (导出): the sheet of a filtered ticket list holds exactly the list's rows, text
 * that would be a formula is neutralised, a customer's export holds only their tickets, a
 * background export reports progress and can be downloaded only by its requester.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../backends.js';
import { createTestApp, json, login, makeCategory, makeDepartment, makeUser, type TestApp } from '../harness.js';
import { createTicketRequest, person, ticketBody, type Person } from '../ticket-fixtures.js';

async function readSheet(body: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  ws.eachRow((row) => { rows.push((row.values as unknown[]).slice(1)); });
  return rows;
}

describe.each(backends)('excel export on $name', { timeout: 120_000 }, (backend) => {
  let t: TestApp;
  let agent: Person;
  let other: Person;
  let customerHeaders: Awaited<ReturnType<typeof login>>;
  let customerTicketNumbers: string[];

  beforeAll(async () => {
    t = await createTestApp(backend, { CLOSELOOP_DATA_DIR: `/tmp/closeloop-export-test-${process.pid}` });
    const dept = await makeDepartment(t.db, { name: '售后部' });
    const category = await makeCategory(t.db, { defaultDepartmentId: dept.id });
    agent = await person(t, 'agent');
    other = await person(t, 'agent');
    const channels = ['phone', 'web', 'email'] as const;
    const shared = { name: '李雷', phone: '13800001111' };
    customerTicketNumbers = [];
    for (let i = 0; i < 12; i += 1) {
      const title = i === 0 ? '=HYPERLINK("http://evil.example","点我")' : i === 1 ? '@SUM(A1:A2)' : `空调不制冷 ${i}`;
      const body = ticketBody(category.id, {
        title, channel: channels[i % 3],
        ...(i % 4 === 0 ? { customer: shared } : {}),
        ...(i === 3 ? { customer: { name: '+cmd|calc', phone: '13800002222' } } : {}),
      });
      const res = await createTicketRequest(t, agent.headers, body);
      if (res.statusCode !== 201) throw new Error(`intake failed: ${res.body}`);
      if (i % 4 === 0) customerTicketNumbers.push(json(res).number);
    }
    const [first] = json((await t.app.inject({ method: 'GET', url: '/api/v1/tickets?q=13800001111', headers: agent.headers }))).items;
    const cust = await makeUser(t.db, 'customer', { customerId: first.customer.id });
    customerHeaders = await login(t.app, cust.username);
  }, 240_000);
  afterAll(async () => { await t?.close(); });

  const exportReq = (headers: object, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/v1/exports', headers: headers as Record<string, string>, payload });

  it('exports exactly the rows of the filtered list, with Chinese headers and labels', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?channel=phone,email&sort=number&order=asc&limit=200', headers: agent.headers });
    const items = json(list).items as Array<{ number: string; status: string }>;
    const expected = items.map((x) => x.number);
    expect(expected).toHaveLength(8);
    const res = await exportReq(agent.headers, { list: 'tickets', query: { channel: 'phone,email', sort: 'number', order: 'asc' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('工单列表'));
    const rows = await readSheet(res.rawPayload);
    expect(rows[0]!.slice(0, 6)).toEqual(['工单号', '标题', '状态', '优先级', '客户紧急程度', '受理渠道']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(expected);
    expect(new Set(rows.slice(1).map((r) => r[5]))).toEqual(new Set(['电话', '邮件']));
    expect(rows.slice(1).map((r) => r[2])).toEqual(items.map((x) => ({ registered: '已登记', assigned: '已分派' })[x.status]));
  });

  it('writes dates in China time and English headers for en-US', async () => {
    const list = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets?sort=number&order=asc&limit=1', headers: agent.headers })).items[0];
    const res = await exportReq(agent.headers, { list: 'tickets', query: { sort: 'number', order: 'asc' }, locale: 'en-US' });
    const rows = await readSheet(res.rawPayload);
    expect(rows[0]![0]).toBe('Ticket no.');
    expect(rows[1]![2]).toBe({ registered: 'Registered', assigned: 'Assigned' }[list.status as string]);
    const created = rows[1]![11] as Date;
    expect(created).toBeInstanceOf(Date);
    // Excel keeps no zone: the cell holds the Shanghai wall clock (UTC + 8 h).
    expect(Math.abs(created.getTime() - (new Date(list.createdAt).getTime() + 8 * 3600_000))).toBeLessThan(1000);
  });

  it('neutralises cells that a spreadsheet would evaluate', async () => {
    const res = await exportReq(agent.headers, { list: 'tickets', query: { sort: 'number', order: 'asc' } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const titles: unknown[] = [];
    const names: unknown[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      for (let c = 1; c <= ws.columnCount; c += 1) expect(row.getCell(c).formula).toBeUndefined();
      titles.push(row.getCell(2).value);
      names.push(row.getCell(8).value);
    });
    expect(titles).toContain('\'=HYPERLINK("http://evil.example","点我")');
    expect(titles).toContain('\'@SUM(A1:A2)');
    expect(names).toContain('\'+cmd|calc');
    expect(titles.some((v) => typeof v === 'string' && /^[=+\-@]/.test(v))).toBe(false);
  });

  it("gives a customer only their own tickets", async () => {
    const res = await exportReq(customerHeaders, { list: 'tickets', query: {} });
    expect(res.statusCode).toBe(200);
    const numbers = (await readSheet(res.rawPayload)).slice(1).map((r) => r[0]).sort();
    expect(numbers).toEqual([...customerTicketNumbers].sort());
    expect((await exportReq(customerHeaders, { list: 'customers', query: {} })).statusCode).toBe(403);
  });

  it('runs a background export with progress, downloadable only by its requester', async () => {
    const res = await exportReq(agent.headers, { list: 'tickets', query: { channel: 'web' }, async: true });
    expect(res.statusCode).toBe(202);
    const job = json(res);
    expect(job.status).toBe('running');
    expect(job.rowsTotal).toBe(4);
    let view = job;
    for (let i = 0; i < 200 && view.status === 'running'; i += 1) {
      await new Promise((r) => setTimeout(r, 25));
      view = json(await t.app.inject({ method: 'GET', url: `/api/v1/exports/${job.id}`, headers: agent.headers }));
    }
    expect(view.status).toBe('done');
    expect(view.rowsDone).toBe(4);
    expect(view.downloadUrl).toBe(`/api/v1/exports/${job.id}/file`);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/exports/${job.id}`, headers: other.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: view.downloadUrl, headers: other.headers })).statusCode).toBe(404);
    const file = await t.app.inject({ method: 'GET', url: view.downloadUrl, headers: agent.headers });
    expect(file.statusCode).toBe(200);
    const rows = await readSheet(file.rawPayload);
    expect(rows).toHaveLength(5);
    expect(new Set(rows.slice(1).map((r) => r[5]))).toEqual(new Set(['网页']));
  });

  it('exports the other lists with their headers', async () => {
    for (const [list, head] of [['measures', '工单号'], ['acceptance', '工单号'], ['approvals', '工单号'], ['knowledge', '标题'], ['customers', '名称']] as const) {
      const res = await exportReq(agent.headers, { list, query: {} });
      expect(res.statusCode, list).toBe(200);
      const rows = await readSheet(res.rawPayload);
      expect(rows[0]![0], list).toBe(head);
    }
    const customers = await readSheet((await exportReq(agent.headers, { list: 'customers', query: {} })).rawPayload);
    expect(customers.slice(1).map((r) => r[0])).toContain('李雷');
    expect(customers.slice(1).map((r) => r[0])).toContain('\'+cmd|calc');
  });
});
