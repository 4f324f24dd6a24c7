import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './backends.js';
import { createTestApp, json, login, makeUser, type TestApp } from './harness.js';
import { verifyAuditChain } from '../src/audit/verify-chain.js';
import { auditEvents } from '../src/db/schema.js';

describe.each(backends)('audit log on $name', (backend) => {
  let t: TestApp;
  let headers: { cookie: string; origin: string };
  beforeAll(async () => {
    t = await createTestApp(backend);
    headers = await login(t.app, (await makeUser(t.db, 'admin')).username);
  });
  afterAll(async () => { await t?.close(); });

  /** A department created and renamed twice through the API: a chain of three events. */
  async function chainOfThree(code: string): Promise<string> {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/departments', headers, payload: { name: '仓储部', code } });
    const id = json(res).id as string;
    for (const name of ['仓储物流部', '物流部']) {
      expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/departments/${id}`, headers, payload: { name } })).statusCode).toBe(200);
    }
    return `department:${id}`;
  }

  const eventAt = async (chain: string, seq: number) =>
    (await t.db.select().from(auditEvents).where(and(eq(auditEvents.chain, chain), eq(auditEvents.seq, seq))))[0]!;

  /** The database's own message when it refuses a statement (drizzle wraps it as the cause). */
  async function refusal(statement: ReturnType<typeof sql>): Promise<string> {
    try {
      await t.db.execute(statement);
    } catch (err) {
      return String((err as { cause?: Error }).cause?.message ?? (err as Error).message);
    }
    return 'not refused';
  }

  /** What an intruder with superuser rights could do: switch the guard off, change the table, switch it on. */
  async function tamper(statement: ReturnType<typeof sql>) {
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`);
      await tx.execute(statement);
      await tx.execute(sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`);
    });
  }

  it('is refused UPDATE and DELETE by the database itself', async () => {
    const chain = await chainOfThree('guarded');
    const first = await eventAt(chain, 1);
    expect(await refusal(sql`UPDATE audit_events SET type = 'forged' WHERE id = ${first.id}`)).toMatch(/append-only \(UPDATE refused\)/);
    expect(await refusal(sql`DELETE FROM audit_events WHERE id = ${first.id}`)).toMatch(/append-only \(DELETE refused\)/);
    expect(await eventAt(chain, 1)).toEqual(first);
  });

  it('verifies an untouched log as intact', async () => {
    await chainOfThree('intact');
    const result = await verifyAuditChain({ db: t.db });
    expect(result).toMatchObject({ ok: true, breaks: [] });
    expect(result.events).toBeGreaterThanOrEqual(6);
  });

  it('reports a changed event as the first broken link of its chain', async () => {
    const chain = await chainOfThree('changed');
    const second = await eventAt(chain, 2);
    await tamper(sql`UPDATE audit_events SET after = '{"name":"篡改"}'::jsonb WHERE id = ${second.id}`);
    const result = await verifyAuditChain({ db: t.db });
    expect(result.ok).toBe(false);
    expect(result.breaks.filter((b) => b.chain === chain)).toEqual([
      { chain, seq: 2, eventId: second.id, reason: 'hash_mismatch' },
    ]);
  });

  it('reports a deleted event as a seq gap', async () => {
    const chain = await chainOfThree('deleted');
    const [second, third] = [await eventAt(chain, 2), await eventAt(chain, 3)];
    await tamper(sql`DELETE FROM audit_events WHERE id = ${second.id}`);
    const result = await verifyAuditChain({ db: t.db });
    expect(result.ok).toBe(false);
    expect(result.breaks.filter((b) => b.chain === chain)).toEqual([
      { chain, seq: 3, eventId: third.id, reason: 'seq_gap' },
    ]);
  });
});
