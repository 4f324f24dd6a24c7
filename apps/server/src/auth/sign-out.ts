/** Ends the caller's session (the cookie is cleared by the route). */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { sessions } from '../db/schema.js';
import { forgetCallers } from './resolve-actor.js';

export async function signOut(opts: { db: Db; sessionId: string }): Promise<void> {
  await opts.db.delete(sessions).where(eq(sessions.id, opts.sessionId));
  forgetCallers();
}
