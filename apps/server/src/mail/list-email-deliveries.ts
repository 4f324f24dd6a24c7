/** E-mail deliveries for the admin, newest first, optionally of one status; keyset pages by id. */
import { and, desc, eq, lt } from 'drizzle-orm';
import type { EmailDeliveryList, EmailDeliveryListQuery } from '@closeloop/contract';
import type { Db } from '../db/client.js';
import { emailDeliveries, users } from '../db/schema.js';
import { toEmailDelivery } from './email-delivery-view.js';

export async function listEmailDeliveries(opts: { db: Db; query: EmailDeliveryListQuery }): Promise<EmailDeliveryList> {
  const { db, query } = opts;
  // Ids are UUID v7: id order is record order; (status, id) serves the filtered pages.
  const rows = await db
    .select({ d: emailDeliveries, userName: users.displayName })
    .from(emailDeliveries)
    .leftJoin(users, eq(users.id, emailDeliveries.userId))
    .where(and(
      query.status ? eq(emailDeliveries.status, query.status) : undefined,
      query.cursor ? lt(emailDeliveries.id, query.cursor) : undefined,
    ))
    .orderBy(desc(emailDeliveries.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => toEmailDelivery(r.d, r.userName)),
    nextCursor: rows.length > query.limit ? page[page.length - 1]!.d.id : null,
  };
}
