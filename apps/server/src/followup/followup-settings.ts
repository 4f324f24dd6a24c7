/**
 * Per-category follow-up settings (回访): warranty notice, link validity, silence before
 * auto-close, effectiveness check days, warranty window for repeat complaints. A category
 * without a row has the defaults.
 */
import { eq, sql } from 'drizzle-orm';
import type { FollowupSettings, FollowupSettingsUpdate } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { categories, categoryFollowupSettings } from '../db/schema.js';
import { notFound } from '../http/app-error.js';

export const FOLLOWUP_DEFAULTS = {
  linkValidDays: 7,
  autoCloseDays: 7,
  effectivenessDays: null,
  warrantyDays: 90,
} as const;

type Row = typeof categoryFollowupSettings.$inferSelect;

function toSettings(categoryId: string, row: Row | undefined): FollowupSettings {
  return {
    categoryId,
    warrantyNotice: row?.warrantyNotice ?? null,
    warrantyNoticeEn: row?.warrantyNoticeEn ?? null,
    linkValidDays: row?.linkValidDays ?? FOLLOWUP_DEFAULTS.linkValidDays,
    autoCloseDays: row?.autoCloseDays ?? FOLLOWUP_DEFAULTS.autoCloseDays,
    effectivenessDays: row ? row.effectivenessDays : FOLLOWUP_DEFAULTS.effectivenessDays,
    warrantyDays: row?.warrantyDays ?? FOLLOWUP_DEFAULTS.warrantyDays,
  };
}

export async function followupSettingsOf(db: DbOrTx, categoryId: string): Promise<FollowupSettings> {
  const [row] = await db.select().from(categoryFollowupSettings).where(eq(categoryFollowupSettings.categoryId, categoryId));
  return toSettings(categoryId, row);
}

export async function updateFollowupSettings(opts: {
  db: DbOrTx; categoryId: string; update: FollowupSettingsUpdate;
}): Promise<FollowupSettings> {
  const { db, categoryId, update } = opts;
  const [cat] = await db.select({ id: categories.id }).from(categories).where(eq(categories.id, categoryId));
  if (!cat) throw notFound('category');
  const current = await followupSettingsOf(db, categoryId);
  const next = { ...current, ...update };
  const values = {
    warrantyNotice: next.warrantyNotice, warrantyNoticeEn: next.warrantyNoticeEn, linkValidDays: next.linkValidDays,
    autoCloseDays: next.autoCloseDays, effectivenessDays: next.effectivenessDays, warrantyDays: next.warrantyDays,
  };
  const [row] = await db.insert(categoryFollowupSettings).values({ categoryId, ...values })
    .onConflictDoUpdate({ target: categoryFollowupSettings.categoryId, set: { ...values, updatedAt: sql`now()` } })
    .returning();
  return toSettings(categoryId, row);
}

/** The warranty notice in the reader's language (the Chinese text when there is no English one). */
export function warrantyNoticeFor(s: FollowupSettings, locale: 'zh-CN' | 'en-US'): string | null {
  return locale === 'en-US' ? s.warrantyNoticeEn ?? s.warrantyNotice : s.warrantyNotice;
}
