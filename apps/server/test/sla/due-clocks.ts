/**
 * Many open tickets whose SLA clock falls due at given instants, written set-based (for the
 * multi-runner test and `npm run bench:sla`): each ticket gets a resolution clock (already
 * warned) and its breach timer, exactly as the SLA subscriber would have left them.
 */
import { sqlOf, type Db } from '../../src/db/client.js';

export interface DueClocksOptions {
  db: Db;
  /** Ticket numbers are `<prefix>-<n>`; unique per call. */
  prefix: string;
  count: number;
  /** Breach due times are spread evenly over [from, from + spreadMs). */
  from: Date;
  spreadMs: number;
  categoryId: string;
  customerId: string;
  departmentId: string | null;
  ownerId: string | null;
}

const INSERT = `with t as (
    insert into tickets (id, number, title, description, channel, status, priority, priority_rank, urgency, process_template,
      category_id, customer_id, product, occurred_at, department_id, owner_id, search_text, created_at, updated_at, sla_due_at, sla_state)
    select gen_random_uuid(), $1::text || '-' || lpad(i::text, 7, '0'), 'SLA 压测工单 ' || i, '到期时间集中的工单', 'phone', 'analyzing',
      'P2', 2, 'medium', 'full', $2::uuid, $3::uuid, '{"model":"KFR-35GW"}'::jsonb, now(), $4::uuid, $5::uuid, '',
      now() - interval '1 hour', now(),
      $6::timestamptz + ((i - 1) * $7::double precision / $8::integer) * interval '1 millisecond', 'warned'
    from generate_series($9::integer, $10::integer) as i
    returning id, sla_due_at),
  c as (
    insert into sla_clocks (id, ticket_id, metric, policy_id, policy_version, source, calendar_id, target_minutes, warn_percent,
      level2_after_percent, started_at, due_at, warn_at, status, warned_at)
    select gen_random_uuid(), t.id, 'resolution', null, null, 'policy', null, 60, 80, 50,
      t.sla_due_at - interval '60 minutes', t.sla_due_at, t.sla_due_at - interval '12 minutes', 'warned', now()
    from t
    returning id, ticket_id, due_at)
  insert into timers (id, kind, ticket_id, reference, due_at, payload)
  select gen_random_uuid(), 'sla.breach', c.ticket_id, 'resolution', c.due_at, jsonb_build_object('clockId', c.id, 'cycle', 0)
  from c`;

/** Writes them in chunks (a statement per 20,000 tickets). */
export async function createDueClocks(o: DueClocksOptions): Promise<void> {
  const sql = sqlOf(o.db);
  const CHUNK = 20_000;
  for (let start = 1; start <= o.count; start += CHUNK) {
    const end = Math.min(o.count, start + CHUNK - 1);
    await sql.query(INSERT, [
      o.prefix, o.categoryId, o.customerId, o.departmentId, o.ownerId, o.from.toISOString(), o.spreadMs, o.count, start, end,
    ]);
  }
}
