/**
 * A category's default department and owner must point at something real: new tickets of the
 * category are routed there, so a dangling id would strand them.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { STAFF_ROLES, type FieldError } from '@closeloop/contract';
import type { DbOrTx } from '../db/client.js';
import { departments, users } from '../db/schema.js';
import { AppError } from '../http/app-error.js';

export interface CheckCategoryDefaultsOptions {
  db: DbOrTx;
  defaultDepartmentId?: string | null;
  defaultOwnerId?: string | null;
  /** Extra problems found earlier, reported together with these. */
  problems?: FieldError[];
}

/** Throws 400 VALIDATION_FAILED naming every bad field. */
export async function checkCategoryDefaults(opts: CheckCategoryDefaultsOptions): Promise<void> {
  const problems = [...(opts.problems ?? [])];
  if (opts.defaultDepartmentId) {
    const [dept] = await opts.db.select({ id: departments.id }).from(departments)
      .where(eq(departments.id, opts.defaultDepartmentId)).limit(1);
    if (!dept) problems.push({ path: 'defaultDepartmentId', message: 'no such department', code: 'not_found' });
  }
  if (opts.defaultOwnerId) {
    const [owner] = await opts.db.select({ id: users.id }).from(users)
      .where(and(eq(users.id, opts.defaultOwnerId), eq(users.active, true), inArray(users.role, [...STAFF_ROLES])))
      .limit(1);
    if (!owner) problems.push({ path: 'defaultOwnerId', message: 'no such active staff user', code: 'not_found' });
  }
  if (problems.length) {
    throw new AppError('VALIDATION_FAILED', `${problems[0]!.path}: ${problems[0]!.message}`, problems);
  }
}
