/**
 * Who is told about a ticket waiting in a queue (待领取): the on-duty members of its skill
 * group, or, routed to a department alone, the department's active staff (handlers and
 * managers who may pick it up).
 */
import { sqlOf, type DbOrTx } from '../db/client.js';

const GROUP = `select m.user_id from skill_group_members m join users u on u.id = m.user_id
  where m.group_id = $1::uuid and m.on_duty and u.active and u.role <> 'customer'`;
const DEPARTMENT = `select d.user_id from user_departments d join users u on u.id = d.user_id
  where d.department_id = $1::uuid and u.active and u.role in ('handler', 'manager')`;

export async function queueRecipients(db: DbOrTx, to: { departmentId: string | null; skillGroupId?: string }): Promise<string[]> {
  const sql = sqlOf(db);
  if (to.skillGroupId) {
    const rows = await sql.query<{ user_id: string }>(GROUP, [to.skillGroupId], 'routing_queue_group_v1');
    if (rows.length) return rows.map((r) => r.user_id);
  }
  if (!to.departmentId) return [];
  return (await sql.query<{ user_id: string }>(DEPARTMENT, [to.departmentId], 'routing_queue_department_v1')).map((r) => r.user_id);
}
