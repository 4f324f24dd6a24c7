/** What a ticket is found by in search: its number, texts, customer and product, tokenized. */
import { searchTextOf } from '../search/tokenize.js';
import type { TicketRow } from './ticket-row.js';

/** The words of the ticket that search finds it by. */
export function ticketSearchText(t: {
  number: string; title: string; description: string; scene?: string | null; phenomenon?: string | null;
  triedMeasures?: string | null; customerName: string; product: TicketRow['product']; orderNo?: string | null;
}): string {
  return searchTextOf([
    t.number, t.title, t.description, t.scene, t.phenomenon, t.triedMeasures, t.customerName,
    t.product.model, t.product.sku, t.product.serial, t.orderNo,
  ]);
}
