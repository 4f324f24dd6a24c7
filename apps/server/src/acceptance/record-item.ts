/**
 * Recording one checklist item of the open acceptance round: measured value, result (pass /
 * fail / not applicable with a reason), evidence (attachments or a report number), note. The
 * verifier is the caller and may not be the owner of the measure the item verifies.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { AcceptanceItem } from '@closeloop/contract';
import type { zAcceptanceItemInput } from '@closeloop/contract';
import type { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { acceptanceItems, acceptanceRounds, attachments, rectMeasures } from '../db/schema.js';
import { domainEvent } from '../events/publish.js';
import { AppError, forbidden, invalidField, notFound } from '../http/app-error.js';
import { runTicketCommand } from '../rectification/ticket-command.js';
import { loadItem } from '../rectification/views.js';

export const VERIFIER_ROLES = new Set(['verifier', 'manager', 'admin']);

export async function recordAcceptanceItem(opts: {
  db: Db; actor: Actor; ticketId: string; itemId: string; input: z.infer<typeof zAcceptanceItemInput>; now?: Date;
}): Promise<AcceptanceItem> {
  const { input } = opts;
  await runTicketCommand(opts, async (s) => {
    if (!VERIFIER_ROLES.has(s.actor.role) || !s.actor.userId) throw forbidden('only a verifier or a manager records acceptance items');
    if (s.ticket.status !== 'accepting') throw new AppError('INVALID_TRANSITION', `the ticket is ${s.ticket.status}, not accepting`);
    const [row] = await s.tx.select({ item: acceptanceItems, roundStatus: acceptanceRounds.status, round: acceptanceRounds.round })
      .from(acceptanceItems).innerJoin(acceptanceRounds, eq(acceptanceRounds.id, acceptanceItems.roundId))
      .where(and(eq(acceptanceItems.id, opts.itemId), eq(acceptanceItems.ticketId, s.ticket.id)));
    if (!row) throw notFound('acceptance item');
    if (row.roundStatus !== 'open') throw new AppError('INVALID_TRANSITION', `acceptance round ${row.round} is closed`);
    if (row.item.measureId) {
      const [m] = await s.tx.select({ ownerId: rectMeasures.ownerId, seq: rectMeasures.seq, action: rectMeasures.action })
        .from(rectMeasures).where(eq(rectMeasures.id, row.item.measureId));
      if (m?.ownerId === s.actor.userId) {
        throw forbidden(`you own measure ${m.seq + 1} (${m.action}) and may not verify it yourself`);
      }
    }
    if (input.evidenceAttachmentIds.length) {
      const found = new Set((await s.tx.select({ id: attachments.id }).from(attachments)
        .where(and(inArray(attachments.id, input.evidenceAttachmentIds), eq(attachments.ticketId, s.ticket.id)))).map((a) => a.id));
      input.evidenceAttachmentIds.forEach((id, i) => {
        if (!found.has(id)) throw invalidField(`evidenceAttachmentIds.${i}`, 'not an attachment of this ticket');
      });
    }
    await s.tx.update(acceptanceItems).set({
      measuredValue: input.measuredValue ?? null, result: input.result, naReason: input.result === 'na' ? input.naReason ?? null : null,
      evidenceAttachmentIds: input.evidenceAttachmentIds, reportNo: input.reportNo ?? null, note: input.note ?? null,
      verifierId: s.actor.userId, verifiedAt: s.now,
    }).where(eq(acceptanceItems.id, row.item.id));
    s.audit('acceptance.item_recorded', {
      itemId: row.item.id, round: row.round, item: row.item.item, measureId: row.item.measureId, ...input,
    });
    s.publish(domainEvent('acceptance.item_recorded', {
      ticketId: s.ticket.id, number: s.ticket.number, title: s.ticket.title, roundId: row.item.roundId, itemId: row.item.id,
      result: input.result, measureId: row.item.measureId,
    }, { actor: s.actor, at: s.now }));
  });
  return loadItem(opts.db, opts.itemId);
}
