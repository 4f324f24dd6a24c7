/**
 * Platform and chat intake (SPEC §5): messages from e-commerce platforms and chat channels, and
 * the staff action that merges two customer records found to be one person.
 */
import { z } from 'zod';
import { zId, zInstant, zText } from './common.js';
import { zPhone, zProduct } from './tickets.js';

/** The closed list of sources: 微信, 企业微信, 天猫, 京东. */
export const INTEGRATION_SOURCES = ['wechat', 'wecom', 'tmall', 'jd'] as const;
export type IntegrationSource = (typeof INTEGRATION_SOURCES)[number];

/** An id in the source system: printable, no control characters. */
const zSourceId = z.string().trim().min(1).max(128)
  .refine((s) => !Array.from(s).some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'no control characters');

export const zIntegrationMessage = z.object({
  /** The source's id of this message: the same id twice is one message. */
  messageId: zSourceId,
  /** The source's conversation (chat session, order dispute); defaults to the customer's id. */
  conversationId: zSourceId.optional(),
  customer: z.object({
    /** The customer's id in the source (open id, buyer id). */
    id: zSourceId,
    nickname: zText(64),
    phone: zPhone.optional(),
    email: z.string().trim().toLowerCase().email().max(254).optional(),
  }),
  text: zText(20000),
  orderNo: z.string().trim().max(64).optional(),
  /** When the customer sent it; defaults to when it arrived. */
  sentAt: zInstant.optional(),
  /** The category a new conversation's ticket is registered in (the connector's default). */
  category: zId,
  /** The product, when the source knows it (an order line); otherwise 待确认. */
  product: zProduct.optional(),
});
export type IntegrationMessage = z.infer<typeof zIntegrationMessage>;

export const zIntegrationMessageResult = z.object({
  /** ticket: the message opened a ticket; comment: it was added to the conversation's open ticket. */
  outcome: z.enum(['ticket', 'comment']),
  ticketId: zId,
  ticketNumber: z.string(),
  commentId: zId.nullable(),
  customerId: zId,
  /** true when this message id was received before: nothing new was written. */
  replayed: z.boolean(),
});
export type IntegrationMessageResult = z.infer<typeof zIntegrationMessageResult>;

export const zCustomerMerge = z.object({
  intoCustomerId: zId,
  reason: zText(500),
});
export type CustomerMerge = z.infer<typeof zCustomerMerge>;

export const zCustomerMergeResult = z.object({
  intoCustomerId: zId,
  movedTickets: z.number().int(),
  movedIdentities: z.number().int(),
});
export type CustomerMergeResult = z.infer<typeof zCustomerMergeResult>;
