/** Helpers for tests that migrate a database made by an earlier schema. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrationsFolder, openDatabase, type Database } from '../src/db/client.js';
import { createPgDatabase, type Backend } from './backends.js';

/** A copy of the migrations folder that ends at `lastTag` (remove it when done). */
export function migrationsUpTo(lastTag: string): string {
  const src = migrationsFolder();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-migrations-'));
  fs.mkdirSync(path.join(dir, 'meta'));
  const journal = JSON.parse(fs.readFileSync(path.join(src, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
  const upTo = journal.entries.findIndex((e) => e.tag === lastTag);
  if (upTo < 0) throw new Error(`no migration ${lastTag}`);
  journal.entries = journal.entries.slice(0, upTo + 1);
  for (const e of journal.entries) fs.copyFileSync(path.join(src, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  fs.writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify(journal));
  return dir;
}

export interface OldDatabase {
  database: Database;
  /** Applies the remaining migrations, as start-up would. */
  migrateToLatest(): Promise<void>;
  /** Closes the database (and drops it on PostgreSQL). */
  close(): Promise<void>;
}

/** A fresh database of the backend, migrated only up to `lastTag` (made by an earlier schema). */
export async function openAtMigration(backend: Backend, lastTag: string): Promise<OldDatabase> {
  let database: Database;
  let drop = async () => {};
  let migrateTo: (folder: string) => Promise<void>;
  if (backend.name === 'postgres') {
    const created = await createPgDatabase();
    drop = created.drop;
    database = await openDatabase({ databaseUrl: created.url, migrate: false });
    migrateTo = (folder) => migratePg(database.db as never, { migrationsFolder: folder });
  } else {
    database = await openDatabase({ migrate: false });
    migrateTo = (folder) => migratePglite(database.db as never, { migrationsFolder: folder });
  }
  const old = migrationsUpTo(lastTag);
  try {
    await migrateTo(old);
  } finally {
    fs.rmSync(old, { recursive: true, force: true });
  }
  return {
    database,
    migrateToLatest: () => migrateTo(migrationsFolder()),
    async close() {
      await database.close();
      await drop();
    },
  };
}
