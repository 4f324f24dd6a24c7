/** The engine's context from the database: directory, business calendar, ids, field values. */
import type { FlowTree } from '@closeloop/contract';
import { addBusinessMinutes } from '../calendars/business-time.js';
import { defaultCalendar } from '../calendars/calendar-cache.js';
import type { Tx } from '../db/client.js';
import { newId } from '../db/util.js';
import type { TicketRow } from '../tickets/ticket-row.js';
import { loadDirectory } from './directory.js';
import type { EngineContext, FieldValue, FieldValues } from './engine/types.js';

/** The ticket's own fields a condition may use, plus its custom fields as `form.<key>`. */
export function ticketFields(t: TicketRow): FieldValues {
  const out: FieldValues = {
    'ticket.priority': t.priority, 'ticket.channel': t.channel, 'ticket.categoryId': t.categoryId,
    'ticket.departmentId': t.departmentId, 'ticket.ownerId': t.ownerId, 'ticket.customerId': t.customerId,
  };
  for (const [k, v] of Object.entries(t.customFields ?? {})) out[`form.${k}`] = v as FieldValue;
  return out;
}

export async function engineContext(tx: Tx, opts: {
  tree: FlowTree; fields: FieldValues; ticket: TicketRow; initiatorId: string; adminUserId: string; now: Date; extraUserIds?: string[];
}): Promise<EngineContext> {
  const directory = await loadDirectory(tx, opts);
  const calendar = await defaultCalendar(tx);
  return {
    tree: opts.tree, directory, fields: opts.fields, ticketDepartmentId: opts.ticket.departmentId, now: opts.now,
    newId: () => newId(opts.now.getTime()),
    dueAt: (from, hours) => addBusinessMinutes(calendar, from, hours * 60),
  };
}
