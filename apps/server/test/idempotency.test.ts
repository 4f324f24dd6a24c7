import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens, idempotencyKeys, tickets } from '../src/db/schema.js';
import { newId, toNumber } from '../src/db/util.js';
import { sha256 } from '../src/auth/secrets.js';
import { backends } from './backends.js';
import { createTestApp, json, makeCategory, makeUser, type TestApp } from './harness.js';
import { createTicketRequest, person, ticketBody, type Person } from './ticket-fixtures.js';

describe.each(backends)('Idempotency-Key on POST /tickets on $name', (backend) => {
  let t: TestApp;
  let agent: Person;
  let agent2: Person;
  let category: { id: string };

  beforeAll(async () => {
    t = await createTestApp(backend);
    category = await makeCategory(t.db);
    agent = await person(t, 'agent');
    agent2 = await person(t, 'agent');
  });
  afterAll(async () => { await t?.close(); });

  const ticketCount = async () => toNumber((await t.db.select({ n: count() }).from(tickets))[0]!.n);

  it('answers a repeated request with the ticket created first', async () => {
    const body = ticketBody(category.id);
    const first = await createTicketRequest(t, agent.headers, body, { 'idempotency-key': 'order-1001' });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const before = await ticketCount();

    const second = await createTicketRequest(t, agent.headers, body, { 'idempotency-key': 'order-1001' });
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(json(second).id).toBe(json(first).id);
    expect(json(second).number).toBe(json(first).number);
    expect(await ticketCount()).toBe(before);
  });

  it('treats the same body with keys in another order as the same request', async () => {
    const body = ticketBody(category.id);
    const reordered = Object.fromEntries(Object.entries(body).toReversed());
    const a = await createTicketRequest(t, agent.headers, body, { 'idempotency-key': 'reordered' });
    const b = await createTicketRequest(t, agent.headers, reordered, { 'idempotency-key': 'reordered' });
    expect(b.statusCode).toBe(200);
    expect(json(b).id).toBe(json(a).id);
  });

  it('creates exactly one ticket for two concurrent requests with one key', async () => {
    const body = ticketBody(category.id);
    const before = await ticketCount();
    const [a, b] = await Promise.all([
      createTicketRequest(t, agent.headers, body, { 'idempotency-key': 'concurrent-1' }),
      createTicketRequest(t, agent.headers, body, { 'idempotency-key': 'concurrent-1' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(json(a).id).toBe(json(b).id);
    expect(await ticketCount()).toBe(before + 1);
  });

  it('refuses the same key with a different body (422) and changes nothing', async () => {
    const first = await createTicketRequest(t, agent.headers, ticketBody(category.id), { 'idempotency-key': 'mismatch' });
    expect(first.statusCode).toBe(201);
    const before = await ticketCount();
    const res = await createTicketRequest(t, agent.headers, ticketBody(category.id, { title: '另一个问题' }), { 'idempotency-key': 'mismatch' });
    expect(res.statusCode).toBe(422);
    expect(json(res).error.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(await ticketCount()).toBe(before);
  });

  it('keeps keys apart per caller', async () => {
    const a = await createTicketRequest(t, agent.headers, ticketBody(category.id), { 'idempotency-key': 'shared-key' });
    const b = await createTicketRequest(t, agent2.headers, ticketBody(category.id), { 'idempotency-key': 'shared-key' });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(json(a).id).not.toBe(json(b).id);
  });

  it('scopes a key to the API token that sent it', async () => {
    const user = await makeUser(t.db, 'agent');
    const secret = `clt_${newId().replaceAll('-', '')}`;
    const tokenId = newId();
    await t.db.insert(apiTokens).values({
      id: tokenId, name: 'erp', prefix: secret.slice(0, 8), tokenHash: sha256(secret), userId: user.id,
      scopes: ['tickets:read', 'tickets:write'],
    });
    const bearer = { authorization: `Bearer ${secret}` };
    const res = await createTicketRequest(t, bearer as never, ticketBody(category.id), { 'idempotency-key': 'erp-42' });
    expect(res.statusCode).toBe(201);
    const [row] = await t.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'erp-42'));
    expect(row).toMatchObject({ scope: `token:${tokenId}`, resourceId: json(res).id });
  });

  it('refuses a malformed key naming the header', async () => {
    for (const key of ['x'.repeat(201), 'tab\there', '   ']) {
      const res = await createTicketRequest(t, agent.headers, ticketBody(category.id), { 'idempotency-key': key });
      expect(res.statusCode).toBe(400);
      expect(json(res).error.fields.map((f: { path: string }) => f.path)).toContain('headers.idempotency-key');
    }
  });

  it('does not keep the key of a refused request, so a corrected retry goes through', async () => {
    const inactive = await makeCategory(t.db, { active: false });
    const refused = await createTicketRequest(t, agent.headers, ticketBody(inactive.id), { 'idempotency-key': 'retry-me' });
    expect(refused.statusCode).toBe(400);
    const ok = await createTicketRequest(t, agent.headers, ticketBody(category.id), { 'idempotency-key': 'retry-me' });
    expect(ok.statusCode).toBe(201);
  });
});
