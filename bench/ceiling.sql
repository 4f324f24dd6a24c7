-- The pgbench ceiling of intake: the rows one ticket's intake commits (1 ticket, 2 audit
-- events, 1 outbox row), in one transaction, with no app in the way. bench/intake.ts runs it
-- with -c <connections> against a database migrated and seeded like the app's.
BEGIN;
INSERT INTO tickets (id, number, title, description, scene, phenomenon, tried_measures, channel, status, priority,
  priority_rank, urgency, process_template, category_id, customer_id, product, occurred_at, department_id, owner_id,
  search_text, created_at, updated_at)
SELECT gen_random_uuid(), 'CEIL-' || gen_random_uuid(), '变频空调运行时外机异响，像金属摩擦声',
  '客户反映：安装后第三天运行时外机异响，像金属摩擦声。已断电重启，问题依旧。', '安装后第三天', '运行时外机异响，像金属摩擦声',
  '已断电重启，问题依旧', 'phone', 'assigned', 'P2', 2, 'medium', 'full', ':category', ':customer',
  '{"model":"KFR-35GW/N8","sku":"AC-35N8-W","serial":"SN2026001234"}', now(), ':department', ':owner',
  'sh 20261201 0001 变频 空调 运行 外机 异响 金属 摩擦 变频 频空 空调 运行 行时 时外 外机 机异 异响 金属 属摩 摩擦 擦声 kfr 35gw n8 ac 35n8 w sn2026001234',
  now(), now();
INSERT INTO audit_events (chain, seq, ticket_id, type, actor_id, actor_kind, at, after, prev_hash, hash)
VALUES ('ceiling:' || gen_random_uuid(), 1, NULL, 'ticket.created', ':owner', 'token', now(),
  '{"status":"registered","priority":"P2","channel":"phone","title":"变频空调运行时外机异响"}',
  '0000000000000000000000000000000000000000000000000000000000000000', md5(random()::text) || md5(random()::text)),
  ('ceiling:' || gen_random_uuid(), 2, NULL, 'ticket.assigned', NULL, 'system', now(),
  '{"status":"assigned","ownerId":null,"departmentId":null}',
  md5(random()::text) || md5(random()::text), md5(random()::text) || md5(random()::text));
INSERT INTO outbox (id, kind, payload, dedupe_key)
VALUES (gen_random_uuid(), 'ceiling', '{"subscriber":"notifications","event":{"type":"ticket.assigned"}}', 'ceiling:' || gen_random_uuid());
COMMIT;
