/**
 * What bench:seed leaves for bench:read: API tokens of the bench users, the probe words with how
 * many tickets each must find, the known phone and ticket number prefixes. Stored in the seeded
 * database itself (table bench_seed, not part of the app's schema) so any worktree can bench the
 * same database, and as a JSON file beside the data for people to read.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../apps/server/src/db/client.js';
import { rowsOf } from '../apps/server/src/db/util.js';

export type BenchRole = 'admin' | 'manager' | 'handler' | 'customer';

export interface SeedManifest {
  version: 1;
  database: 'pglite' | 'postgres';
  seededAt: string;
  /** "Now" of the data: tickets spread over the two years before it. */
  now: string;
  tickets: number;
  openTickets: number;
  customers: number;
  events: number;
  /** Plain API tokens (bench data only) and who they belong to. */
  logins: Record<BenchRole, { token: string; username: string; userId: string; departmentIds: string[] }>;
  departments: Record<string, string>;
  /** Tickets whose search text matches each probe, counted while seeding. */
  commonWords: Array<{ word: string; tickets: number }>;
  twoWords: { words: string; tickets: number };
  oneCharacter: string;
  rareWords: Array<{ word: string; tickets: number }>;
  rareSerial: { serial: string; tickets: number };
  knownPhone: string;
  knownCustomerTickets: number;
  /** `SH-2026`, a recent day (`SH-20261130`) and a number prefix within it. */
  numberPrefixes: { year: string; day: string; number: string };
  seedSeconds: number;
}

export async function saveManifest(db: Db, m: SeedManifest): Promise<void> {
  await db.execute(sql`create table if not exists bench_seed (
    id integer primary key, manifest jsonb not null, created_at timestamptz not null default now())`);
  await db.execute(sql`insert into bench_seed (id, manifest) values (1, ${JSON.stringify(m)}::jsonb)
    on conflict (id) do update set manifest = excluded.manifest, created_at = now()`);
}

export async function loadManifest(db: Db): Promise<SeedManifest | null> {
  const [exists] = rowsOf<{ t: string | null }>(await db.execute(sql`select to_regclass('bench_seed')::text as t`));
  if (!exists?.t) return null;
  const [row] = rowsOf<{ manifest: SeedManifest | string }>(await db.execute(sql`select manifest from bench_seed where id = 1`));
  if (!row) return null;
  return typeof row.manifest === 'string' ? JSON.parse(row.manifest) as SeedManifest : row.manifest;
}
