/**
 * First run: creates user `admin` when it does not exist, with CLOSELOOP_ADMIN_PASSWORD or a
 * random password returned for the caller to print once. There is never a fixed default.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { AppError } from '../http/app-error.js';
import { createUser, usernameExists } from '../people/create-user.js';
import { SYSTEM_ACTOR } from './actor.js';
import { generatePassword } from './password.js';

export const ADMIN_USERNAME = 'admin';

export interface EnsureAdminResult {
  created: boolean;
  /** Set when a random password was generated: print it once. */
  generatedPassword?: string;
}

export async function ensureAdmin(opts: { db: Db; config: Config }): Promise<EnsureAdminResult> {
  const { db, config } = opts;
  if (await usernameExists(db, ADMIN_USERNAME)) return { created: false };
  const generatedPassword = config.adminPassword ? undefined : generatePassword(16);
  try {
    await createUser({
      db,
      actor: SYSTEM_ACTOR,
      input: {
        username: ADMIN_USERNAME,
        displayName: '系统管理员',
        password: config.adminPassword ?? generatedPassword!,
        role: 'admin',
      },
    });
  } catch (err) {
    // Another instance starting at the same moment created it first.
    if (err instanceof AppError && err.code === 'CONFLICT') return { created: false };
    throw err;
  }
  return generatedPassword ? { created: true, generatedPassword } : { created: true };
}
