/**
 * One message from a platform or chat channel (微信 / 企业微信 / 天猫 / 京东). The message id is
 * claimed first, in the transaction that writes the ticket or comment, so the same message sent
 * twice — even at the same moment — waits on the first and then answers with what it wrote.
 *
 * The source's customer id is the identity `external <source>:<id>`; a phone or e-mail the
 * message carries that is already on record leads to that customer (findOrCreateCustomer), so a
 * buyer who once called in finds their history. A new conversation opens a ticket; a later
 * message of the same conversation (the source's conversation id, else the customer's id) while
 * that ticket is open becomes the customer's public comment on it.
 */
import { and, desc, eq, notInArray } from 'drizzle-orm';
import {
  TERMINAL_STATUSES, type Channel, type IntegrationMessage, type IntegrationMessageResult, type IntegrationSource,
} from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db, Tx } from '../db/client.js';
import { integrationMessages, tickets } from '../db/schema.js';
import { findOrCreateCustomer } from '../customers/find-or-create-customer.js';
import { addComment } from '../tickets/add-comment.js';
import { createTicket } from '../tickets/create-ticket.js';

/** 微信 and 企业微信 are chat; 天猫 and 京东 are e-commerce platforms. */
export const CHANNEL_OF: Record<IntegrationSource, Channel> = { wechat: 'wechat', wecom: 'wechat', tmall: 'platform', jd: 'platform' };
export const SOURCE_LABEL: Record<IntegrationSource, string> = { wechat: '微信', wecom: '企业微信', tmall: '天猫', jd: '京东' };

type MessageRow = typeof integrationMessages.$inferSelect;

async function resultOf(db: Db | Tx, row: MessageRow, replayed: boolean): Promise<IntegrationMessageResult> {
  const [ticket] = await db.select({ number: tickets.number, customerId: tickets.customerId }).from(tickets)
    .where(eq(tickets.id, row.ticketId!)).limit(1);
  return {
    outcome: row.commentId ? 'comment' : 'ticket', ticketId: row.ticketId!, ticketNumber: ticket!.number,
    commentId: row.commentId, customerId: ticket!.customerId, replayed,
  };
}

async function earlier(db: Db, source: string, messageId: string): Promise<MessageRow | undefined> {
  const [row] = await db.select().from(integrationMessages)
    .where(and(eq(integrationMessages.source, source), eq(integrationMessages.messageId, messageId))).limit(1);
  return row;
}

/** The title a ticket opened by a chat message gets: its first line, shortened. */
function titleOf(source: IntegrationSource, text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim())?.trim() ?? text.trim();
  const short = Array.from(first).length > 60 ? `${Array.from(first).slice(0, 60).join('')}…` : first;
  return `[${SOURCE_LABEL[source]}] ${short}`;
}

export async function receiveMessage(opts: {
  db: Db; dbKind: 'pglite' | 'postgres'; actor: Actor; source: IntegrationSource; input: IntegrationMessage;
}): Promise<IntegrationMessageResult> {
  const { db, actor, source, input } = opts;
  const seen = await earlier(db, source, input.messageId);
  if (seen?.ticketId) return resultOf(db, seen, true);

  // 1. The customer, in its own short transaction (twin-safe under concurrency).
  const { customer } = await db.transaction((tx) => findOrCreateCustomer({
    tx, actor, input: {
      name: input.customer.nickname, externalId: `${source}:${input.customer.id}`,
      phone: input.customer.phone, email: input.customer.email,
    },
  }));
  const conversationKey = input.conversationId ?? `customer:${input.customer.id}`;

  // 2. Claim the message id and write the ticket or the comment, all in one transaction.
  const written = await db.transaction(async (tx): Promise<MessageRow | null> => {
    const [claimed] = await tx.insert(integrationMessages).values({
      source, messageId: input.messageId, conversationKey, customerId: customer.id,
    }).onConflictDoNothing().returning();
    if (!claimed) return null; // a twin committed first: answer with its result below

    const [open] = await tx.select({ ticketId: integrationMessages.ticketId }).from(integrationMessages)
      .innerJoin(tickets, eq(tickets.id, integrationMessages.ticketId))
      .where(and(
        eq(integrationMessages.source, source), eq(integrationMessages.conversationKey, conversationKey),
        eq(tickets.customerId, customer.id), notInArray(tickets.status, [...TERMINAL_STATUSES]),
      ))
      .orderBy(desc(integrationMessages.createdAt)).limit(1);

    let ticketId: string;
    let commentId: string | null = null;
    if (open?.ticketId) {
      ticketId = open.ticketId;
      // The customer speaks, not the connector's token: a public comment by the customer.
      const speaker: Actor = {
        kind: actor.kind, userId: null, role: 'customer', departmentIds: [], customerId: customer.id,
        scopes: ['tickets:read', 'tickets:write'], tokenId: actor.tokenId,
      };
      commentId = (await addComment({ db: tx as unknown as Db, actor: speaker, ticketId, input: { body: input.text } })).id;
    } else {
      const created = await createTicket({
        // PostgreSQL: the number comes from the pool, so this transaction never holds the
        // counter row other intakes need. PGlite has one connection: only the tx may be used.
        db: tx, actor, numbersFrom: opts.dbKind === 'postgres' ? db : tx,
        input: {
          title: titleOf(source, input.text), description: input.text, channel: CHANNEL_OF[source],
          customer: {
            name: customer.name, externalId: `${source}:${input.customer.id}`,
            phone: input.customer.phone, email: input.customer.email,
          },
          product: input.product ?? { model: '待确认' },
          occurredAt: input.sentAt ?? new Date().toISOString(),
          urgency: 'medium', category: input.category, orderNo: input.orderNo,
        },
      });
      ticketId = created.ticket.id;
    }
    const [row] = await tx.update(integrationMessages).set({ ticketId, commentId })
      .where(and(eq(integrationMessages.source, source), eq(integrationMessages.messageId, input.messageId)))
      .returning();
    return row!;
  });
  if (written) return resultOf(db, written, false);
  const twin = await earlier(db, source, input.messageId);
  return resultOf(db, twin!, true);
}

/** For the merge of two customers: the conversations of the merged one continue on the survivor. */
export async function moveIntegrationCustomer(tx: Tx, from: string, into: string): Promise<void> {
  await tx.update(integrationMessages).set({ customerId: into }).where(eq(integrationMessages.customerId, from));
}

