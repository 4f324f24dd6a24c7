import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHousekeeping } from '../src/jobs/housekeeping.js';
import { idempotencyKeys, outbox, sessions, timers } from '../src/db/schema.js';
import { newId } from '../src/db/util.js';
import { backends } from './backends.js';
import { createTestApp, makeUser, type TestApp } from './harness.js';

const DAY = 86_400_000;

describe.each(backends)('housekeeping on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(backend); });
  afterAll(async () => { await t?.close(); });

  it('trims old finished work, spent keys and long-expired sessions, and keeps the rest', async () => {
    const now = new Date();
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const row = (status: 'done' | 'dead' | 'pending', processedDaysAgo: number) => ({
      id: newId(), kind: 'test.echo', payload: {}, status, processedAt: ago(processedDaysAgo), runAt: ago(processedDaysAgo),
    });
    const oldDone = row('done', 30);
    const recentDone = row('done', 1);
    const oldDead = row('dead', 30);
    const oldPending = row('pending', 30);
    await t.db.insert(outbox).values([oldDone, recentDone, oldDead, oldPending]);

    await t.db.insert(idempotencyKeys).values([
      { scope: 's', key: 'old', requestHash: 'h', createdAt: ago(30) },
      { scope: 's', key: 'new', requestHash: 'h', createdAt: ago(1) },
    ]);
    const user = await makeUser(t.db, 'agent');
    await t.db.insert(sessions).values([
      { id: 'long-expired', userId: user.id, expiresAt: ago(3) },
      { id: 'just-expired', userId: user.id, expiresAt: new Date(now.getTime() - 3600_000) },
      { id: 'valid', userId: user.id, expiresAt: new Date(now.getTime() + 3600_000) },
    ]);

    // SLA timers: an old fired one goes; a recent one and a pending one stay.
    const timer = (status: 'done' | 'pending', daysAgo: number) => ({
      id: newId(), kind: 'sla.breach', ticketId: newId(), reference: 'resolution', dueAt: ago(daysAgo), status,
      firedAt: status === 'done' ? ago(daysAgo) : null, createdAt: ago(daysAgo),
    });
    const keptTimers = [timer('done', 1), timer('pending', 30)];
    await t.db.insert(timers).values([timer('done', 30), ...keptTimers]);

    const result = await runHousekeeping({ db: t.db, now });
    expect(result).toEqual({ outbox: 1, timers: 1, idempotencyKeys: 1, sessions: 1 });
    expect((await t.db.select({ id: timers.id }).from(timers)).map((r) => r.id).sort()).toEqual(keptTimers.map((x) => x.id).sort());

    const outboxIds = (await t.db.select({ id: outbox.id }).from(outbox)).map((r) => r.id).sort();
    expect(outboxIds).toEqual([recentDone.id, oldDead.id, oldPending.id].sort());
    expect((await t.db.select().from(idempotencyKeys)).map((r) => r.key)).toEqual(['new']);
    expect((await t.db.select({ id: sessions.id }).from(sessions)).map((r) => r.id).sort()).toEqual(['just-expired', 'valid']);

    expect(await runHousekeeping({ db: t.db, now })).toEqual({ outbox: 0, timers: 0, idempotencyKeys: 0, sessions: 0 });
  });
});
