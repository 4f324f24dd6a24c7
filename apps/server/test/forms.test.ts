/**
 * The form engine through the API: publishing versions, a ticket keeping its version, removed
 * fields, field-named errors, and the list's form-field filters.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormFieldInput } from '@closeloop/contract';
import { auditEvents } from '../src/db/schema.js';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, type TestApp } from './harness.js';
import { createTicketRequest, person, ticketBody, type Person } from './ticket-fixtures.js';

const PARTS: FormFieldInput = {
  key: 'faultPart', label: '故障部件', labelEn: 'Faulty part', type: 'cascader', required: true,
  options: [
    { code: 'ac', label: '空调', children: [
      { code: 'kfr35', label: 'KFR-35GW', children: [{ code: 'comp', label: '压缩机' }, { code: 'fan', label: '风机' }] },
      { code: 'kfr50', label: 'KFR-50LW', children: [{ code: 'comp50', label: '压缩机' }] },
    ] },
    { code: 'wh', label: '热水器', children: [{ code: 'heat', label: '加热管' }] },
  ],
};
const AMOUNT: FormFieldInput = { key: 'amount', label: '赔偿金额', type: 'number', unit: '元', min: 0 };
const VISIT: FormFieldInput = { key: 'visitDate', label: '上门日期', type: 'date' };
const NOTE: FormFieldInput = { key: 'note', label: '备注', type: 'text' };
const PARTS_TABLE: FormFieldInput = {
  key: 'replaced', label: '更换部件清单', type: 'table',
  columns: [{ key: 'part', label: '部件', type: 'text', required: true }, { key: 'qty', label: '数量', type: 'number', required: true, min: 1 }],
};

describe.each(backends)('form engine on $name', (backend) => {
  let t: TestApp;
  let admin: Person;
  let agent: Person;
  let categoryId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    admin = await person(t, 'admin');
    agent = await person(t, 'agent');
    categoryId = (await makeCategory(t.db, { name: '质量故障' })).id;
  });
  afterAll(async () => { await t?.close(); });

  const publish = (who: Person, body: unknown) =>
    t.app.inject({ method: 'POST', url: `/api/v1/categories/${categoryId}/form`, headers: who.headers, payload: body as object });
  const get = (who: Person, url: string) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: who.headers });
  const create = async (customFields: Record<string, unknown>) => createTicketRequest(t, agent.headers, ticketBody(categoryId, { customFields } as never));

  it('publishes versions: changed fields make the next version, unchanged ones nothing, stale editors a conflict', async () => {
    expect(json(await get(admin, `/categories/${categoryId}/form`)).version).toBe(1);
    expect((await publish(agent, { fields: [PARTS] })).statusCode).toBe(403);

    const v2 = await publish(admin, { fields: [PARTS, AMOUNT, NOTE, PARTS_TABLE], baseVersion: 1, note: '增加故障部件' });
    expect(v2.statusCode).toBe(201);
    expect(json(v2)).toMatchObject({ version: 2, note: '增加故障部件' });
    const same = await publish(admin, { fields: [PARTS, AMOUNT, NOTE, PARTS_TABLE] });
    expect(same.statusCode).toBe(200);
    expect(json(same).version).toBe(2);
    const stale = await publish(admin, { fields: [PARTS], baseVersion: 1 });
    expect(stale.statusCode).toBe(409);

    const versions = json(await get(admin, `/categories/${categoryId}/form/versions`)).items;
    expect(versions.map((v: { version: number; fieldCount: number }) => [v.version, v.fieldCount])).toEqual([[2, 4], [1, 0]]);
    const events = await t.db.select().from(auditEvents).where(eq(auditEvents.chain, `category:${categoryId}`));
    expect(events.filter((e) => e.type === 'form.published')).toHaveLength(1);
  });

  it('refuses a definition with problems, naming the field', async () => {
    const res = await publish(admin, { fields: [PARTS, { ...AMOUNT, key: 'FaultPart' }] });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.fields).toEqual([{ path: 'fields.1.key', message: 'duplicate key FaultPart', code: 'duplicate' }]);
    const schema = await publish(admin, { fields: [{ key: 'x', label: 'X', type: 'select', options: [] }] });
    expect(schema.statusCode).toBe(400);
    expect(json(schema).error.fields[0].path).toBe('fields.0.options');
  });

  it('validates ticket values against the form, errors naming customFields.<key> and table cells', async () => {
    const missing = await create({});
    expect(missing.statusCode).toBe(400);
    expect(json(missing).error.fields).toEqual([{ path: 'customFields.faultPart', message: 'required', code: 'required' }]);
    const cell = await create({ faultPart: ['ac', 'kfr35', 'comp'], replaced: [{ part: '压缩机', qty: 0 }] });
    expect(cell.statusCode).toBe(400);
    expect(json(cell).error.fields.map((f: { path: string }) => f.path)).toEqual(['customFields.replaced.0.qty']);
  });

  it('keeps a ticket on the version it was created with; removed fields stay readable', async () => {
    const res = await create({ faultPart: ['ac', 'kfr35', 'comp'], amount: 1200, note: '旧字段', replaced: [{ part: '压缩机', qty: 1 }] });
    expect(res.statusCode).toBe(201);
    const ticket = json(res);
    const v2 = json(await get(admin, `/categories/${categoryId}/form`));
    expect(ticket.formVersionId).toBe(v2.id);

    // Version 3 drops `note` and adds a required date.
    expect((await publish(admin, { fields: [PARTS, AMOUNT, { ...VISIT, required: true }, PARTS_TABLE] })).statusCode).toBe(201);
    const read = json(await get(agent, `/tickets/${ticket.id}`));
    expect(read.formVersionId).toBe(v2.id);
    expect(read.customFields.note).toBe('旧字段');
    const old = json(await get(agent, `/form-versions/${v2.id}`));
    expect(old.fields.map((f: { key: string }) => f.key)).toContain('note');

    // Editing its values still follows version 2 (no visitDate needed, note allowed).
    const patch = await t.app.inject({
      method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers,
      payload: { customFields: { ...read.customFields, amount: 1500 } },
    });
    expect(patch.statusCode).toBe(200);
    expect(json(patch).formVersionId).toBe(v2.id);

    // A new ticket follows version 3.
    const fresh = await create({ faultPart: ['wh', 'heat'] });
    expect(fresh.statusCode).toBe(400);
    expect(json(fresh).error.fields[0].path).toBe('customFields.visitDate');

    const catalog = json(await get(agent, `/categories/${categoryId}/form/catalog`));
    expect(catalog.version).toBe(3);
    expect(catalog.fields.map((f: { key: string; current: boolean }) => [f.key, f.current])).toEqual([
      ['faultPart', true], ['amount', true], ['visitDate', true], ['replaced', true], ['note', false],
    ]);
  });

  it('filters the list on form fields with typed operators', async () => {
    const mk = async (v: Record<string, unknown>) => {
      const r = await create({ visitDate: '2026-11-01', ...v });
      expect(r.statusCode).toBe(201);
      return json(r).number as string;
    };
    const a = await mk({ faultPart: ['ac', 'kfr35', 'comp'], amount: 300, visitDate: '2026-11-05' });
    const b = await mk({ faultPart: ['ac', 'kfr35', 'fan'], amount: 1500, visitDate: '2026-11-20' });
    const c = await mk({ faultPart: ['ac', 'kfr50', 'comp50'], amount: 900 });
    const d = await mk({ faultPart: ['wh', 'heat'] });
    const list = async (...cf: string[]) => {
      const qs = cf.map((f) => `cf=${encodeURIComponent(f)}`).join('&');
      const res = await get(agent, `/tickets?category=${categoryId}&${qs}&limit=100`);
      expect(res.statusCode, res.body).toBe(200);
      return json(res).items.map((i: { number: string }) => i.number).filter((n: string) => [a, b, c, d].includes(n)).sort();
    };
    expect(await list('faultPart:prefix:ac')).toEqual([a, b, c].sort());
    expect(await list('faultPart:prefix:ac/kfr35')).toEqual([a, b].sort());
    expect(await list('faultPart:eq:ac/kfr35/fan')).toEqual([b]);
    expect(await list('faultPart:prefix:kfr35')).toEqual([]);
    expect(await list('amount:range:500..')).toEqual([b, c].sort());
    expect(await list('amount:range:..1000', 'faultPart:prefix:ac/kfr35')).toEqual([a]);
    expect(await list('visitDate:range:2026-11-02..2026-11-30')).toEqual([a, b].sort());

    const counts = json(await get(agent, `/tickets/counts?category=${categoryId}&cf=${encodeURIComponent('faultPart:prefix:ac/kfr35')}`));
    expect(counts.total ?? counts.groups.reduce((s: number, g: { count: number }) => s + g.count, 0)).toBeGreaterThanOrEqual(2);

    const bad = await get(agent, `/tickets?category=${categoryId}&cf=${encodeURIComponent('amount:contains:1')}`);
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.fields[0].path).toBe('cf.0');
    const noCategory = await get(agent, `/tickets?cf=${encodeURIComponent('amount:range:1..')}`);
    expect(noCategory.statusCode).toBe(400);
    expect(json(noCategory).error.fields[0].path).toBe('category');
  });
});
