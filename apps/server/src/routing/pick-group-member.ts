/**
 * Picks the member of a skill group who gets the next ticket, in one statement of its own,
 * before the intake statement (the ticket's audit hash needs the owner). Round-robin turns are
 * handed out by the group row's counter: the UPDATE serialises concurrent picks on that row
 * for the length of this one statement, so every pick gets a distinct turn and N concurrent
 * intakes spread over the members exactly, however many instances run them. least_open takes
 * the on-duty member with the fewest open tickets, then the longest idle — exactly, too: a load
 * is committed open tickets plus picks whose ticket is not visible yet (skill_group_picks), read
 * under a per-group advisory lock in a short transaction of its own (lock, pick, commit: its
 * statement sees every pick committed before it), never across the intake.
 * Members at their capacity, off duty or deactivated are passed over; none left → null, and
 * the ticket waits in the department's queue (待领取). A turn whose intake then fails is lost
 * (the next ticket goes to the next member): fairness, not a gap in tickets.
 */
import type { AssignmentStrategy } from '@closeloop/contract';
import { sqlOf, type DbOrTx } from '../db/client.js';

const PICK = `with g as (
  update skill_groups set rr_seq = rr_seq + 1 where id = $1::uuid and active returning rr_seq, strategy
), c as (
  select m.user_id, m.last_assigned_at, m.capacity,
    case when m.capacity is not null or g.strategy = 'least_open'
      then (select count(*) from tickets t where t.owner_id = m.user_id and t.status not in ('closed', 'cancelled'))
      else 0 end as open
  from g, skill_group_members m join users u on u.id = m.user_id
  where m.group_id = $1::uuid and m.on_duty and u.active and g.strategy <> 'queue'
), e as (
  select * from c where capacity is null or open < capacity
), turn as (
  select e.user_id from e, g
  where g.strategy = 'round_robin'
  order by e.user_id
  offset (select (g.rr_seq - 1) % nullif((select count(*) from e), 0) from g) limit 1
), least as (
  select e.user_id from e, g where g.strategy = 'least_open'
  order by e.open, e.last_assigned_at nulls first, e.user_id limit 1
), pick as (
  select user_id from turn union all select user_id from least
)
update skill_group_members set last_assigned_at = $2::text::timestamptz, assigned_count = assigned_count + 1
where group_id = $1::uuid and user_id = (select user_id from pick limit 1)
returning user_id`;

/** A pick counts toward the load until its ticket shows the owner, for this long at most. */
const PENDING = `interval '2 minutes'`;

const PICK_LEAST_OPEN = `with c as (
  select m.user_id, m.last_assigned_at, m.capacity,
    (select count(*) from tickets t where t.owner_id = m.user_id and t.status not in ('closed', 'cancelled'))
    + (select count(*) from skill_group_picks p
       where p.user_id = m.user_id and p.at > $3::text::timestamptz - ${PENDING}
         and not exists (select 1 from tickets t where t.id = p.ticket_id and t.owner_id = p.user_id)) as open
  from skill_group_members m join users u on u.id = m.user_id join skill_groups g on g.id = m.group_id
  where m.group_id = $1::uuid and m.on_duty and u.active and g.active
), pick as (
  select user_id from c where capacity is null or open < capacity
  order by open, last_assigned_at nulls first, user_id limit 1
), rec as (
  insert into skill_group_picks (ticket_id, group_id, user_id, at)
  select $2::uuid, $1::uuid, user_id, $3::text::timestamptz from pick
  returning 1
), old as (
  delete from skill_group_picks where at < $3::text::timestamptz - interval '1 hour'
  returning 1
)
update skill_group_members set last_assigned_at = $3::text::timestamptz, assigned_count = assigned_count + 1
where group_id = $1::uuid and user_id = (select user_id from pick)
returning user_id`;

export async function pickGroupMember(opts: {
  db: DbOrTx; skillGroupId: string; now: Date;
  /** The ticket the member is picked for (least_open counts the pick until it is committed). */
  ticketId: string;
  /** The group's strategy as the routing cache knows it. */
  strategy: AssignmentStrategy | undefined;
}): Promise<string | null> {
  if (opts.strategy === 'least_open') {
    return opts.db.transaction(async (tx) => {
      const sql = sqlOf(tx);
      await sql.query('select pg_advisory_xact_lock(hashtext($1::text))', [`skill_group:${opts.skillGroupId}`], 'routing_pick_lock_v1');
      const [row] = await sql.query<{ user_id: string }>(
        PICK_LEAST_OPEN, [opts.skillGroupId, opts.ticketId, opts.now.toISOString()], 'routing_pick_least_open_v1',
      );
      return row?.user_id ?? null;
    });
  }
  const [row] = await sqlOf(opts.db).query<{ user_id: string }>(
    PICK, [opts.skillGroupId, opts.now.toISOString()], 'routing_pick_member_v1',
  );
  return row?.user_id ?? null;
}
