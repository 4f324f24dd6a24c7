/** Requests and answers of the catalog endpoints: categories and customers (look-up, history). */
import { z } from 'zod';
import { CUSTOMER_TIERS } from './enums.js';
import { zId, zInstant, zText } from './common.js';
import {
  atLeastOneIdentity, zCategory, zChannel, zCustomer, zCustomerIdentityFields, zPriority, zTicketStatus,
} from './tickets.js';

// ---- categories --------------------------------------------------------------------------
export const zCategoryListQuery = z.object({
  /** `true`: only categories that can be chosen for new tickets. */
  active: z.enum(['true', 'false']).optional(),
});
export const zCategoryList = z.object({ items: z.array(zCategory) });

// ---- customers ---------------------------------------------------------------------------
export const zCustomerList = z.object({ items: z.array(zCustomer) });

export const zCustomerUpdate = z
  .object({
    name: zText(64),
    tier: z.enum(CUSTOMER_TIERS),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change', path: [] });
export type CustomerUpdate = z.infer<typeof zCustomerUpdate>;

/** Adds ways to reach the same customer; each may belong to one customer only. */
export const zCustomerIdentityCreate = zCustomerIdentityFields.refine(...atLeastOneIdentity);
export type CustomerIdentityCreate = z.infer<typeof zCustomerIdentityCreate>;

/** One earlier ticket in the customer's history, shown beside the ticket being worked on. */
export const zCustomerTicket = z.object({
  id: zId,
  number: z.string(),
  title: z.string(),
  channel: zChannel,
  status: zTicketStatus,
  priority: zPriority,
  category: z.object({ id: zId, name: z.string(), code: z.string() }),
  createdAt: zInstant,
  closedAt: zInstant.nullable(),
});
export type CustomerTicket = z.infer<typeof zCustomerTicket>;

export const zCustomerTicketsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const zCustomerTicketList = z.object({ items: z.array(zCustomerTicket) });
