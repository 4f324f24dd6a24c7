/**
 * Creates a user (staff or a customer's login) with their departments, and the audit event.
 * Used by the API, the CLI, first-run set-up and the demo data.
 */
import { eq, sql } from 'drizzle-orm';
import type { User, UserCreate } from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import { hashPassword } from '../auth/password.js';
import { appendEvent } from '../audit/append-event.js';
import type { Db, Tx } from '../db/client.js';
import { customers, users } from '../db/schema.js';
import { isUniqueViolation, newId } from '../db/util.js';
import { AppError, invalidField } from '../http/app-error.js';
import { checkCalendar } from './check-calendar.js';
import { checkDepartments, setMemberships } from './memberships.js';
import { toUsers, userSnapshot } from './user-view.js';

export type CreateUserInput = Omit<UserCreate, 'locale' | 'departmentIds'> &
  Partial<Pick<UserCreate, 'locale' | 'departmentIds'>>;

export interface CreateUserOptions {
  /** The database, or the caller's transaction (the work then runs in a savepoint). */
  db: Db | Tx;
  actor: Actor;
  input: CreateUserInput;
  /** A hash made earlier with hashPassword(), to create many users with one password quickly. */
  passwordHash?: string;
}

export const usernameTaken = () =>
  new AppError('CONFLICT', 'username: already taken', [{ path: 'username', message: 'already taken' }]);

export async function usernameExists(db: Db | Tx, username: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users)
    .where(eq(sql`lower(${users.username})`, username.toLowerCase())).limit(1);
  return !!row;
}

export async function createUser(opts: CreateUserOptions): Promise<User> {
  const { db, actor, input } = opts;
  const departmentIds = [...new Set(input.departmentIds ?? [])];
  if (input.role === 'customer') {
    if (!input.customerId) throw invalidField('customerId', 'required for role customer');
    if (departmentIds.length) throw invalidField('departmentIds', 'customers belong to no department');
  } else if (input.customerId) {
    throw invalidField('customerId', 'only for role customer');
  }
  const passwordHash = opts.passwordHash ?? await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      if (await usernameExists(tx, input.username)) throw usernameTaken();
      if (input.customerId) {
        const [c] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, input.customerId)).limit(1);
        if (!c) throw invalidField('customerId', 'no such customer');
      }
      if (input.calendarId) await checkCalendar(tx, input.calendarId);
      const heads = await checkDepartments(tx, departmentIds);
      const [row] = await tx.insert(users).values({
        id: newId(),
        username: input.username,
        displayName: input.displayName,
        email: input.email ?? null,
        phone: input.phone ?? null,
        passwordHash,
        role: input.role,
        locale: input.locale ?? 'zh-CN',
        customerId: input.customerId ?? null,
        calendarId: input.calendarId ?? null,
      }).returning();
      await setMemberships(tx, row!.id, heads);
      await appendEvent({
        tx, actor, chain: `user:${row!.id}`, type: 'user.created',
        after: userSnapshot(row!, departmentIds),
      });
      const [user] = await toUsers(tx, [row!]);
      return user!;
    });
  } catch (err) {
    // Two creators racing past the check above meet at the unique index.
    if (isUniqueViolation(err)) throw usernameTaken();
    throw err;
  }
}
