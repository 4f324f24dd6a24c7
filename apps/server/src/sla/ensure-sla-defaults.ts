/**
 * The SLA configuration every installation starts with (configuration, not demo data), created
 * once: the seeds' targets (SPEC §3) as policies P1 / P2 / P3 and the tier first-response caps.
 * - P1 紧急 counts on the 7×24 hotline calendar: an emergency is answered within the hour at
 *   night too, closed within 24 h, and the customer hears of progress every 4 h automatically.
 * - P2 重要 and P3 一般 count on the default (standard office) calendar; "5 working days" is
 *   5 × the standard day's working minutes (Monday's periods of the default calendar).
 * - Tier caps on the default calendar: VIP 2 h, potential 4 h, regular 8 h; the stricter wins.
 * A marker on the `sla:config` chain records it, so deleting every policy later stays deleted.
 */
import { eq, sql } from 'drizzle-orm';
import { minutesOfDay } from '@closeloop/contract';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { appendEvent } from '../audit/append-event.js';
import { defaultCalendarEntry } from '../calendars/calendar-cache.js';
import type { Db } from '../db/client.js';
import { auditEvents, calendars, slaPolicies, slaTierTargets } from '../db/schema.js';
import { newId } from '../db/util.js';
import { forgetSlaConfig } from './sla-config.js';

export const SLA_CONFIG_CHAIN = 'sla:config';
const HOTLINE_CODE = 'hotline-24x7';
const HOUR = 60;

export async function ensureSlaDefaults(opts: { db: Db }): Promise<{ created: boolean }> {
  const { db } = opts;
  const seeded = async (d: Pick<Db, 'select'>) =>
    (await d.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.chain, SLA_CONFIG_CHAIN)).limit(1)).length > 0;
  if (await seeded(db)) return { created: false };
  // Calendars first (created at start-up; here too should anything ask earlier).
  const standard = await defaultCalendarEntry(db);
  const [def] = await db.select({ definition: calendars.definition }).from(calendars).where(eq(calendars.id, standard.id));
  const dayMinutes = (def?.definition.week[0] ?? []).reduce((n, p) => n + minutesOfDay(p.end) - minutesOfDay(p.start), 0) || 8 * HOUR;
  const [hotline] = await db.select({ id: calendars.id }).from(calendars).where(eq(calendars.code, HOTLINE_CODE));

  const created = await db.transaction(async (tx) => {
    // Several instances may start on one empty database at once.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${SLA_CONFIG_CHAIN}))`);
    if (await seeded(tx)) return false;
    const policies = [
      {
        id: newId(), name: 'P1 紧急', position: 10, priorities: ['P1' as const], calendarId: hotline?.id ?? null,
        firstResponseMinutes: HOUR, updateMinutes: 4 * HOUR, resolutionMinutes: 24 * HOUR, customerUpdates: true,
      },
      {
        id: newId(), name: 'P2 重要', position: 20, priorities: ['P2' as const], calendarId: null,
        firstResponseMinutes: 4 * HOUR, updateMinutes: 24 * HOUR, resolutionMinutes: 72 * HOUR, customerUpdates: false,
      },
      {
        id: newId(), name: 'P3 一般', position: 30, priorities: ['P3' as const], calendarId: null,
        firstResponseMinutes: 8 * HOUR, updateMinutes: null, resolutionMinutes: 5 * dayMinutes, customerUpdates: false,
      },
    ];
    await tx.insert(slaPolicies).values(policies);
    const tiers = [
      { tier: 'vip' as const, firstResponseMinutes: 2 * HOUR, calendarId: null },
      { tier: 'potential' as const, firstResponseMinutes: 4 * HOUR, calendarId: null },
      { tier: 'regular' as const, firstResponseMinutes: 8 * HOUR, calendarId: null },
    ];
    await tx.insert(slaTierTargets).values(tiers).onConflictDoNothing();
    await appendEvent({
      tx, actor: SYSTEM_ACTOR, chain: SLA_CONFIG_CHAIN, type: 'sla.defaults_created',
      data: { policies: policies.map((p) => ({ id: p.id, name: p.name })), tiers, standardDayMinutes: dayMinutes },
    });
    return true;
  });
  forgetSlaConfig();
  return { created };
}
