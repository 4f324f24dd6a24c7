/** Signs a user out everywhere (optionally but one session): deactivation, password changes. */
import { and, eq, ne } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { sessions } from '../db/schema.js';

export async function endSessions(opts: { tx: Tx; userId: string; exceptSessionId?: string }): Promise<void> {
  const { tx, userId, exceptSessionId } = opts;
  await tx.delete(sessions).where(exceptSessionId
    ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
    : eq(sessions.userId, userId));
}
