/**
 * Form versions: reading (cached: a version never changes once written; the current one per
 * category is reference data) and publishing (a command: one transaction with its audit event).
 */
import { and, desc, eq } from 'drizzle-orm';
import type { FieldError, FormField, FormVersion } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { DbOrTx, Tx } from '../db/client.js';
import { categories, formVersions, users } from '../db/schema.js';
import { newId } from '../db/util.js';
import { appendEvent } from '../audit/append-event.js';
import { canonicalJson } from '../audit/hash.js';
import { AppError, notFound } from '../http/app-error.js';
import { cachePerDatabase, REFERENCE_TTL_MS } from '../cache/ttl-cache.js';
import { forgetCategories } from '../categories/category-cache.js';
import { checkFormDefinition } from './check-definition.js';
import { toLegacyFields } from './legacy-fields.js';
import { forgetCatalogs } from './catalog.js';

export type FormVersionRow = typeof formVersions.$inferSelect;

/** Versions are immutable: cached for long. */
const byIdCache = cachePerDatabase<FormVersionRow | null>(10 * 60_000, 2_000);
/** The current version of a category: reference data, dropped on publish. */
const currentCache = cachePerDatabase<FormVersionRow | null>(REFERENCE_TTL_MS, 1_000);

export function forgetCurrentForms(): void {
  currentCache.clearAll();
}

export async function formVersionById(db: DbOrTx, id: string): Promise<FormVersionRow | null> {
  return byIdCache(db).get(id, async () => {
    const [row] = await db.select().from(formVersions).where(eq(formVersions.id, id));
    return row ?? null;
  });
}

/** The category's current (highest) version; null only for a category that never had one. */
export async function currentFormVersion(db: DbOrTx, categoryId: string): Promise<FormVersionRow | null> {
  return currentCache(db).get(categoryId, async () => {
    const [row] = await db.select().from(formVersions).where(eq(formVersions.categoryId, categoryId))
      .orderBy(desc(formVersions.version)).limit(1);
    return row ?? null;
  });
}

export function toFormVersion(row: FormVersionRow, publishedBy: string | null = null): FormVersion {
  return {
    id: row.id, categoryId: row.categoryId, version: row.version, fields: row.fields, note: row.note,
    publishedAt: row.publishedAt.toISOString(), publishedBy,
  };
}

export async function publisherName(db: DbOrTx, row: FormVersionRow): Promise<string | null> {
  if (!row.publishedById) return null;
  const [u] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, row.publishedById));
  return u?.name ?? null;
}

export function definitionError(problems: FieldError[]): AppError {
  return new AppError('VALIDATION_FAILED', `${problems[0]!.path}: ${problems[0]!.message}`, problems);
}

/**
 * Publishes `fields` as the category's next version inside the caller's transaction (the caller
 * holds or takes the category row lock here). Unchanged fields publish nothing and return the
 * current version. `baseVersion`: the version the editor started from; another admin's newer
 * version is a conflict rather than silently overwritten.
 */
export async function publishFormVersion(opts: {
  tx: Tx; actor: Actor; categoryId: string; fields: FormField[]; note?: string; baseVersion?: number; at?: Date;
}): Promise<{ row: FormVersionRow; created: boolean }> {
  const { tx, actor, categoryId, fields } = opts;
  const problems = checkFormDefinition(fields);
  if (problems.length) throw definitionError(problems);
  const [category] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.id, categoryId)).for('update');
  if (!category) throw notFound('category');
  const [current] = await tx.select().from(formVersions).where(eq(formVersions.categoryId, categoryId))
    .orderBy(desc(formVersions.version)).limit(1);
  const currentVersion = current?.version ?? 0;
  if (opts.baseVersion !== undefined && opts.baseVersion !== currentVersion) {
    throw new AppError('CONFLICT', `the form was published as version ${currentVersion} meanwhile`,
      [{ path: 'baseVersion', message: `current version is ${currentVersion}`, code: 'conflict' }]);
  }
  if (current && canonicalJson(current.fields) === canonicalJson(fields)) return { row: current, created: false };
  const [row] = await tx.insert(formVersions).values({
    id: newId(), categoryId, version: currentVersion + 1, fields, note: opts.note ?? null,
    publishedById: actor.userId ?? null, publishedAt: opts.at ?? new Date(),
  }).returning();
  // The old list stays a readable summary of the scalar fields for clients of the category API.
  await tx.update(categories).set({ customFields: toLegacyFields(fields) }).where(eq(categories.id, categoryId));
  await appendEvent({
    tx, actor, chain: `category:${categoryId}`, type: 'form.published',
    before: current ? { version: current.version } : null,
    after: { version: row!.version, formVersionId: row!.id, fields },
  });
  return { row: row!, created: true };
}

/** Call after the publishing transaction committed. */
export function forgetAfterPublish(): void {
  forgetCurrentForms();
  forgetCategories();
  forgetCatalogs();
}

export async function listFormVersions(db: DbOrTx, categoryId: string) {
  const rows = await db.select({ row: formVersions, publishedBy: users.displayName }).from(formVersions)
    .leftJoin(users, eq(users.id, formVersions.publishedById))
    .where(eq(formVersions.categoryId, categoryId)).orderBy(desc(formVersions.version)).limit(200);
  return rows.map(({ row, publishedBy }) => {
    const { fields, ...rest } = toFormVersion(row, publishedBy);
    return { ...rest, fieldCount: fields.length };
  });
}

export async function formVersionOf(db: DbOrTx, categoryId: string, version: number): Promise<FormVersionRow | null> {
  const [row] = await db.select().from(formVersions)
    .where(and(eq(formVersions.categoryId, categoryId), eq(formVersions.version, version)));
  return row ?? null;
}
