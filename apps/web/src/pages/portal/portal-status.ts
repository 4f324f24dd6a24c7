/**
 * Where a ticket stands, in the customer's words: the Steps row, the tag colour, and which
 * timeline entries are conversation (someone wrote something) and which are progress.
 */
import type { PortalStatus, PortalTimelineEntry } from '@closeloop/contract';

export const STEP_KEYS = ['submitted', 'received', 'in_progress', 'awaiting_confirmation', 'done'] as const;

const STEP_OF: Record<PortalStatus, number> = {
  received: 1,
  in_progress: 2,
  needs_info: 2,
  awaiting_confirmation: 3,
  done: 4,
  cancelled: 0,
};

export function stepIndex(status: PortalStatus): number {
  return STEP_OF[status];
}

export const STATUS_COLOR: Record<PortalStatus, string> = {
  received: 'blue',
  in_progress: 'processing',
  needs_info: 'orange',
  awaiting_confirmation: 'gold',
  done: 'success',
  cancelled: 'default',
};

/** Statuses that wait for the customer (marked in the list, highlighted on the page). */
export const waitsForCustomer = (s: PortalStatus) => s === 'needs_info' || s === 'awaiting_confirmation';

const SAID = new Set<PortalTimelineEntry['kind']>(['reply', 'your_message', 'info_requested']);

/** Messages of the conversation: what either side wrote (a request for information included). */
export function conversation(timeline: PortalTimelineEntry[]): PortalTimelineEntry[] {
  return timeline.filter((e) => SAID.has(e.kind) && (e.body || e.kind === 'info_requested'));
}

/** The latest open request for information: what the customer is asked to add now. */
export function openRequest(timeline: PortalTimelineEntry[]): PortalTimelineEntry | null {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const e = timeline[i]!;
    if (e.kind === 'info_provided' || e.kind === 'your_message') return null;
    if (e.kind === 'info_requested') return e;
  }
  return null;
}
