/** Replaces the tier first-response caps (admin); a tier left out has no cap. Audited on `sla:config`. */
import type { SlaTierTarget } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db } from '../db/client.js';
import { slaTierTargets } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { checkSlaPolicyReferences } from './check-sla-policy.js';
import { SLA_CONFIG_CHAIN } from './ensure-sla-defaults.js';
import { forgetSlaConfig } from './sla-config.js';

export async function setTierTargets(opts: { db: Db; actor: Actor; items: SlaTierTarget[] }): Promise<SlaTierTarget[]> {
  const { db, actor, items } = opts;
  const seen = new Set<string>();
  items.forEach((t, i) => {
    if (seen.has(t.tier)) throw new AppError('VALIDATION_FAILED', `items.${i}.tier: listed twice`, [{ path: `items.${i}.tier`, message: 'listed twice' }]);
    seen.add(t.tier);
  });
  for (const t of items) await checkSlaPolicyReferences(db, { calendarId: t.calendarId });
  await db.transaction(async (tx) => {
    const before = await tx.select().from(slaTierTargets);
    await tx.delete(slaTierTargets);
    if (items.length) await tx.insert(slaTierTargets).values(items);
    await appendEvent({
      tx, actor, chain: SLA_CONFIG_CHAIN, type: 'sla.tier_targets_set',
      before: { items: before.map((b) => ({ tier: b.tier, firstResponseMinutes: b.firstResponseMinutes, calendarId: b.calendarId })) },
      after: { items },
    });
  });
  forgetSlaConfig();
  return items;
}
