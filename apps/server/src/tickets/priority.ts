/** Priorities as a sortable rank (tickets.priority_rank): 1 = P1 … 3 = P3. */
import type { Priority } from '@closeloop/contract';

export const PRIORITY_RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3 };
