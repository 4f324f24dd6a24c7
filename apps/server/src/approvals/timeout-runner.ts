/**
 * Approval timeouts (审批超时): a task of a node with a timeout carries its due time (business
 * hours on the default calendar, set by the engine when the task starts) in flow_tasks.due_at.
 * The job runner's periodic pass (main.ts) finds due running tasks on their partial index
 * (flow_tasks_due_idx) and lets the engine act (remind, auto-pass or auto-reject) as the system.
 * Safe with several instances: the action locks the instance, and a task already acted on is a
 * no-op for the engine (nothing is written).
 */
import type { FastifyBaseLogger } from 'fastify';
import { and, asc, isNotNull, lte, sql } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import type { Db } from '../db/client.js';
import { flowTasks } from '../db/schema.js';
import { actOnInstance } from './act-on-instance.js';

export async function runApprovalTimeoutsOnce(opts: { db: Db; now?: Date; batchSize?: number; log?: FastifyBaseLogger }): Promise<number> {
  const now = opts.now ?? new Date();
  const due = await opts.db.select({ id: flowTasks.id, instanceId: flowTasks.instanceId, ticketId: flowTasks.ticketId }).from(flowTasks)
    .where(and(sql`${flowTasks.status} = 'running'`, isNotNull(flowTasks.dueAt), lte(flowTasks.dueAt, now)))
    .orderBy(asc(flowTasks.dueAt)).limit(opts.batchSize ?? 50);
  let fired = 0;
  for (const t of due) {
    try {
      const { result } = await actOnInstance(opts.db, {
        actor: SYSTEM_ACTOR, instanceId: t.instanceId, ticketId: t.ticketId, action: { kind: 'timeout', taskId: t.id }, now,
      });
      if (result.logged.length) fired++;
    } catch (err) {
      opts.log?.error({ err, taskId: t.id }, 'approval timeout failed');
    }
  }
  return fired;
}
