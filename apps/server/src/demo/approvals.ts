/**
 * Demo approval flows (issue #9): who approves what in the demo company.
 * - 质量故障 plan approval: 质量经理 (陈立新) then 技术总监 (张国栋) — seed 000: 一个重大的整改方案
 *   需要技术总监审批后方可执行.
 * - The other full-process categories: the head of the ticket's department approves the plan.
 * - Compensation (补偿/退款) on 质量故障 and 退换货: > 1000 元 → 财务总监 (钱丽华), else 客服主管 (王建国).
 * Seeded before the demo tickets are played, so their plan steps run through these flows.
 */
import { and, eq } from 'drizzle-orm';
import type { FlowNodeInput } from '@closeloop/contract';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { actOnInstance } from '../approvals/act-on-instance.js';
import type { EngineAction, EngineState } from '../approvals/engine/types.js';
import { ADMIN_USERNAME } from '../auth/ensure-admin.js';
import { createFlow, publishFlow } from '../approvals/definitions.js';
import type { Db, Tx } from '../db/client.js';
import { flowInstances, users } from '../db/schema.js';
import type { CategoryCode } from './categories.js';

export const DEMO_APPROVERS = { qualityManager: 'manager03', techDirector: 'manager06', financeDirector: 'manager07', serviceManager: 'manager01' } as const;

/** What the start-up banner says about the demo flows. */
export const DEMO_APPROVAL_LINES = [
  '  approvals: 质量故障 plans — 质量经理 manager03 陈立新, then 技术总监 manager06 张国栋; other plans — the department head;',
  '             compensation > 1000 元 — 财务总监 manager07 钱丽华, otherwise 客服主管 manager01 王建国',
];

export async function seedDemoApprovals(tx: Tx, opts: {
  people: Map<string, { id: string }>; categories: Map<CategoryCode, string>; now: Date;
}): Promise<void> {
  const db = tx as unknown as Db;
  const id = (username: string) => opts.people.get(username)!.id;
  const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.username, ADMIN_USERNAME));
  const adminUserId = admin?.id ?? id(DEMO_APPROVERS.serviceManager);
  const cat = (c: CategoryCode) => opts.categories.get(c)!;
  const approver = (nodeId: string, name: string, userId: string): FlowNodeInput =>
    ({ id: nodeId, name, kind: 'approver', mode: 'any', approvers: [{ kind: 'users', userIds: [userId] }], rejectTo: { kind: 'initiator' } });

  const flows: { name: string; gate: 'plan_review' | 'compensation'; categories: CategoryCode[]; nodes: FlowNodeInput[] }[] = [
    {
      name: '质量故障整改方案审批', gate: 'plan_review', categories: ['quality'],
      nodes: [
        approver('quality_manager', '质量经理审批', id(DEMO_APPROVERS.qualityManager)),
        approver('tech_director', '技术总监审批', id(DEMO_APPROVERS.techDirector)),
        { id: 'cc_service', name: '抄送客服主管', kind: 'cc', recipients: [{ kind: 'users', userIds: [id(DEMO_APPROVERS.serviceManager)] }] },
      ],
    },
    {
      name: '整改方案审批（部门负责人）', gate: 'plan_review', categories: ['installation', 'logistics', 'return', 'software-bug'],
      nodes: [{
        id: 'dept_head', name: '部门负责人审批', kind: 'approver', approvers: [{ kind: 'department_head', levelsUp: 0 }],
        onEmpty: 'to_admin', onSelf: 'skip',
      }],
    },
    {
      name: '补偿/退款审批', gate: 'compensation', categories: ['quality', 'return'],
      nodes: [{
        id: 'amount', name: '补偿金额', kind: 'condition', branches: [
          {
            id: 'over_1000', name: '金额 > 1000 元', conditions: [{ type: 'number', field: 'subject.amount', op: 'gt', value: 1000 }],
            nodes: [approver('finance_director', '财务总监审批', id(DEMO_APPROVERS.financeDirector))],
          },
          { id: 'otherwise', name: '其他情况', isDefault: true, nodes: [approver('service_manager', '客服主管审批', id(DEMO_APPROVERS.serviceManager))] },
        ],
      }],
    },
  ];
  for (const f of flows) {
    const def = await createFlow(db, {
      actor: SYSTEM_ACTOR, now: opts.now,
      input: { name: f.name, gate: f.gate, categoryIds: f.categories.map(cat), adminUserId, draft: { nodes: f.nodes } },
    });
    await publishFlow(db, { actor: SYSTEM_ACTOR, id: def.id, version: def.version, now: opts.now });
  }
}

/**
 * A demo plan decision played through the ticket's running plan_review flow: approve — every
 * approver in turn approves (a minute apart); reject — the current approver rejects. No running
 * flow (the gate passed): nothing to do.
 */
export async function decidePlanByFlow(tx: Tx, opts: {
  ticketId: string; people: Map<string, { id: string; actor: Actor }>; at: Date; approve: boolean; opinion?: string;
}): Promise<void> {
  const db = tx as unknown as Db;
  const byId = new Map([...opts.people.values()].map((p) => [p.id, p.actor]));
  for (let k = 0; k < 10; k++) {
    const [inst] = await tx.select({ id: flowInstances.id, state: flowInstances.state }).from(flowInstances)
      .where(and(eq(flowInstances.ticketId, opts.ticketId), eq(flowInstances.gate, 'plan_review'), eq(flowInstances.status, 'running')));
    if (!inst) return;
    const task = (inst.state as unknown as EngineState).tasks.find((t) => t.status === 'running' && t.kind === 'approve');
    if (!task) return;
    const actor = byId.get(task.assigneeId) ?? SYSTEM_ACTOR;
    const at = new Date(opts.at.getTime() + k * 60_000);
    const action: EngineAction = opts.approve
      ? { kind: 'approve', taskId: task.id, actorId: task.assigneeId, opinion: opts.opinion ?? null }
      : { kind: 'reject', taskId: task.id, actorId: task.assigneeId, opinion: opts.opinion ?? '方案需修改' };
    await actOnInstance(db, { actor: actor.userId ? actor : { ...SYSTEM_ACTOR }, instanceId: inst.id, ticketId: opts.ticketId, action, now: at });
    if (!opts.approve) return;
  }
}
