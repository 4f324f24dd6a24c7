/**
 * Staff names, languages and active flags, and departments' names, kept for under a second:
 * intake answers and notifications show them for every ticket. Changes made by this instance
 * drop them at once (forgetPeople); other instances see them within REFERENCE_TTL_MS.
 */
import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { departments, users } from '../db/schema.js';
import { cachePerDatabase, REFERENCE_TTL_MS } from '../cache/ttl-cache.js';

export interface PersonRef {
  id: string;
  displayName: string;
  role: typeof users.$inferSelect['role'];
  locale: 'zh-CN' | 'en-US';
  active: boolean;
}
export interface DepartmentRef { id: string; name: string; headUserId: string | null }

const personCache = cachePerDatabase<PersonRef | null>(REFERENCE_TTL_MS);
const departmentCache = cachePerDatabase<DepartmentRef | null>(REFERENCE_TTL_MS);

export function forgetPeople(): void {
  personCache.clearAll();
  departmentCache.clearAll();
}

/** The people with these ids (unknown ids are left out), one query for all misses. */
export async function peopleById(db: DbOrTx, ids: readonly string[]): Promise<Map<string, PersonRef>> {
  const cache = personCache(db);
  const out = new Map<string, PersonRef>();
  const unique = [...new Set(ids)];
  if (!unique.length) return out;
  // One loader for the batch: every missing id waits on the same query.
  let batch: Promise<Map<string, PersonRef>> | null = null;
  const loadAll = () => {
    batch ??= db.select({
      id: users.id, displayName: users.displayName, role: users.role, locale: users.locale, active: users.active,
    }).from(users).where(inArray(users.id, unique)).then((rows) => new Map(rows.map((r) => [r.id, r])));
    return batch;
  };
  const found = await Promise.all(unique.map((id) => cache.get(id, async () => (await loadAll()).get(id) ?? null)));
  for (const p of found) if (p) out.set(p.id, p);
  return out;
}

export async function departmentById(db: DbOrTx, id: string): Promise<DepartmentRef | null> {
  return departmentCache(db).get(id, async () => {
    const [row] = await db.select({ id: departments.id, name: departments.name, headUserId: departments.headUserId })
      .from(departments).where(inArray(departments.id, [id]));
    return row ?? null;
  });
}
