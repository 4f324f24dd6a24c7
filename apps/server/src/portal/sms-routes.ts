/**
 * The logging SMS sender's inbox for admins: what was "sent" while no gateway is installed
 * (operators read a customer's code to them; the browser tests read it). Admin only.
 */
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { zId, zInstant } from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { smsMessages } from '../db/schema.js';
import { defineRoutes } from '../http/routes.js';

const zSmsQuery = z.object({ phone: z.string().trim().regex(/^\+?[0-9][0-9 -]{2,30}$/).optional() });
const zSmsList = z.object({
  items: z.array(z.object({ id: zId, phone: z.string(), body: z.string(), ticketId: zId.nullable(), createdAt: zInstant })),
});

export const smsRoutes = defineRoutes(async (app, ctx) => {
  app.get('/sms-messages', {
    schema: {
      tags: ['portal'],
      summary: 'Text messages recorded by the logging SMS sender, newest first (admin)',
      querystring: zSmsQuery,
      response: { 200: zSmsList },
    },
  }, async (req) => {
    requireActor(req.actor, { scope: 'admin', roles: ['admin'] });
    const rows = await ctx.db.select().from(smsMessages)
      .where(and(eq(smsMessages.sender, 'log'), req.query.phone ? eq(smsMessages.phone, req.query.phone.replace(/[\s-]/g, '')) : undefined))
      .orderBy(desc(smsMessages.createdAt)).limit(50);
    return { items: rows.map((r) => ({ id: r.id, phone: r.phone, body: r.body, ticketId: r.ticketId, createdAt: r.createdAt.toISOString() })) };
  });
});
