/** STUB — replaced by the auth work. Creates user `admin` on first run. */
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';

export interface EnsureAdminResult {
  created: boolean;
  /** Set when a random password was generated: print it once. */
  generatedPassword?: string;
}

export async function ensureAdmin(_opts: { db: Db; config: Config }): Promise<EnsureAdminResult> {
  return { created: false };
}
