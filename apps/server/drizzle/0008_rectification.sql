CREATE TABLE "acceptance_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"round_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"seq" smallint NOT NULL,
	"measure_id" uuid,
	"template_item_id" uuid,
	"item" text NOT NULL,
	"criterion" jsonb NOT NULL,
	"method" text,
	"measured_value" text,
	"result" text,
	"na_reason" text,
	"evidence_attachment_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"report_no" text,
	"note" text,
	"verifier_id" uuid,
	"verified_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "acceptance_rounds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"plan_id" uuid,
	"round" integer NOT NULL,
	"status" text NOT NULL,
	"started_by" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"completed_by" uuid,
	"completed_at" timestamp with time zone,
	"result" text
);
--> statement-breakpoint
CREATE TABLE "acceptance_template_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"category_id" uuid NOT NULL,
	"item" text NOT NULL,
	"criterion" text NOT NULL,
	"method" text,
	"sort" integer DEFAULT 100 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rect_analyses" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"content" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rect_containment_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"location" text NOT NULL,
	"action" text NOT NULL,
	"owner_id" uuid,
	"quantity" integer,
	"result" text,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rect_disputes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"proposed_department_id" uuid,
	"raised_by" uuid,
	"raised_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"decision" text,
	"responsible_department_id" uuid,
	"reasons" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rect_measure_comments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"measure_id" uuid NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rect_measures" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"previous_id" uuid,
	"seq" smallint NOT NULL,
	"type" text NOT NULL,
	"preventive_kind" text,
	"owner_id" uuid,
	"action" text NOT NULL,
	"due_date" text,
	"criterion" jsonb NOT NULL,
	"status" text,
	"evidence_attachment_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"note" text,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"completed_by" uuid,
	"on_behalf" boolean DEFAULT false NOT NULL,
	"cancel_reason" text,
	"reminded_for" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rect_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"summary" text NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"submitted_by" uuid,
	"submitted_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"opinion" text
);
--> statement-breakpoint
DROP INDEX "tickets_measure_owners_gin";--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "root_cause_class" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "responsible_department_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "measures_total" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "measures_done" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "measure_owner_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "acceptance_items" ADD CONSTRAINT "acceptance_items_round_id_acceptance_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."acceptance_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptance_items" ADD CONSTRAINT "acceptance_items_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptance_items" ADD CONSTRAINT "acceptance_items_measure_id_rect_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."rect_measures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptance_items" ADD CONSTRAINT "acceptance_items_template_item_id_acceptance_template_items_id_fk" FOREIGN KEY ("template_item_id") REFERENCES "public"."acceptance_template_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptance_rounds" ADD CONSTRAINT "acceptance_rounds_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptance_rounds" ADD CONSTRAINT "acceptance_rounds_plan_id_rect_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."rect_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptance_template_items" ADD CONSTRAINT "acceptance_template_items_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rect_analyses" ADD CONSTRAINT "rect_analyses_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rect_containment_actions" ADD CONSTRAINT "rect_containment_actions_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rect_containment_actions" ADD CONSTRAINT "rect_containment_actions_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rect_disputes" ADD CONSTRAINT "rect_disputes_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rect_disputes" ADD CONSTRAINT "rect_disputes_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rect_disputes" ADD CONSTRAINT "rect_disputes_proposed_department_id_departments_id_fk" FOREIGN KEY ("proposed_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rect_disputes" ADD CONSTRAINT "rect_disputes_responsible_department_id_departments_id_fk" FOREIGN KEY ("responsible_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rect_measure_comments" ADD CONSTRAINT "rect_measure_comments_measure_id_rect_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."rect_measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rect_measures" ADD CONSTRAINT "rect_measures_plan_id_rect_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."rect_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rect_measures" ADD CONSTRAINT "rect_measures_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rect_measures" ADD CONSTRAINT "rect_measures_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rect_plans" ADD CONSTRAINT "rect_plans_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "acceptance_items_round_idx" ON "acceptance_items" USING btree ("round_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "acceptance_rounds_ticket_round_uq" ON "acceptance_rounds" USING btree ("ticket_id","round");--> statement-breakpoint
CREATE INDEX "acceptance_rounds_open_idx" ON "acceptance_rounds" USING btree ("started_at") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "acceptance_template_items_category_idx" ON "acceptance_template_items" USING btree ("category_id","sort");--> statement-breakpoint
CREATE INDEX "rect_containment_ticket_idx" ON "rect_containment_actions" USING btree ("ticket_id","recorded_at");--> statement-breakpoint
CREATE INDEX "rect_disputes_ticket_idx" ON "rect_disputes" USING btree ("ticket_id","raised_at");--> statement-breakpoint
CREATE INDEX "rect_measure_comments_measure_idx" ON "rect_measure_comments" USING btree ("measure_id","created_at");--> statement-breakpoint
CREATE INDEX "rect_measures_plan_idx" ON "rect_measures" USING btree ("plan_id","seq");--> statement-breakpoint
CREATE INDEX "rect_measures_owner_idx" ON "rect_measures" USING btree ("owner_id","status","due_date") WHERE status is not null;--> statement-breakpoint
CREATE INDEX "rect_measures_open_due_idx" ON "rect_measures" USING btree ("due_date") WHERE status in ('todo', 'doing');--> statement-breakpoint
CREATE UNIQUE INDEX "rect_plans_ticket_version_uq" ON "rect_plans" USING btree ("ticket_id","version");--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_responsible_department_id_departments_id_fk" FOREIGN KEY ("responsible_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tickets_measure_owner_ids_gin" ON "tickets" USING gin ("measure_owner_ids");--> statement-breakpoint
CREATE INDEX "tickets_responsible_department_idx" ON "tickets" USING btree ("responsible_department_id") WHERE responsible_department_id is not null;--> statement-breakpoint
-- hand-written (keep when regenerating)
-- Move the JSON stage documents of earlier releases into the rectification tables. The JSON
-- columns stay (no longer written) until a later release drops them.
-- Analysis: causes become hypotheses; the 5-Why strings become the answers of numbered whys.
INSERT INTO "rect_analyses" ("ticket_id", "content", "updated_by", "updated_at")
SELECT t."id",
  jsonb_strip_nulls(jsonb_build_object(
    'directCause', CASE WHEN coalesce(t."analysis"->>'directCause', '') <> ''
      THEN jsonb_build_object('text', t."analysis"->>'directCause', 'certainty', 'hypothesis', 'evidenceAttachmentIds', '[]'::jsonb) END,
    'rootCause', CASE WHEN coalesce(t."analysis"->>'rootCause', '') <> ''
      THEN jsonb_build_object('text', t."analysis"->>'rootCause', 'certainty', 'hypothesis', 'evidenceAttachmentIds', '[]'::jsonb) END,
    'rootCauseClass', t."analysis"->>'rootCauseClass',
    'responsibleDepartmentId', CASE WHEN EXISTS (SELECT 1 FROM "departments" d WHERE d."id"::text = t."analysis"->>'responsibleDepartmentId')
      THEN t."analysis"->>'responsibleDepartmentId' END
  )) || jsonb_build_object(
    'fiveWhys', coalesce((SELECT jsonb_agg(jsonb_build_object('why', '为什么（' || w.n || '）', 'answer', w.v) ORDER BY w.n)
      FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(t."analysis"->'fiveWhys') = 'array' THEN t."analysis"->'fiveWhys' ELSE '[]'::jsonb END)
        WITH ORDINALITY AS w(v, n)), '[]'::jsonb),
    'fishbone', '[]'::jsonb, 'evidenceAttachmentIds', '[]'::jsonb),
  t."owner_id", t."updated_at"
FROM "tickets" t WHERE t."analysis" IS NOT NULL;
--> statement-breakpoint
UPDATE "tickets" t SET
  "root_cause_class" = a."content"->>'rootCauseClass',
  "responsible_department_id" = (a."content"->>'responsibleDepartmentId')::uuid
FROM "rect_analyses" a WHERE a."ticket_id" = t."id";
--> statement-breakpoint
-- Plan → version 1. Its status follows the last plan decision in the audit trail after the
-- last submission: approved, rejected (with the opinion), or still submitted.
INSERT INTO "rect_plans" ("id", "ticket_id", "version", "status", "summary", "submitted_by", "submitted_at", "decided_by", "decided_at", "opinion")
SELECT gen_random_uuid(), t."id", 1,
  CASE d."type" WHEN 'ticket.approve_plan' THEN 'approved' WHEN 'ticket.reject_plan' THEN 'rejected'
    ELSE CASE WHEN t."status" IN ('rectifying', 'accepting', 'follow_up', 'closed') THEN 'approved' ELSE 'submitted' END END,
  coalesce(t."plan"->>'summary', ''), s."actor_id", coalesce(s."at", t."updated_at"), d."actor_id", d."at", d."data"->>'opinion'
FROM "tickets" t
LEFT JOIN LATERAL (SELECT e."actor_id", e."at", e."id" FROM "audit_events" e
  WHERE e."ticket_id" = t."id" AND e."type" = 'ticket.submit_plan' ORDER BY e."id" DESC LIMIT 1) s ON true
LEFT JOIN LATERAL (SELECT e."type", e."actor_id", e."at", e."data" FROM "audit_events" e
  WHERE e."ticket_id" = t."id" AND e."type" IN ('ticket.approve_plan', 'ticket.reject_plan') AND e."id" > coalesce(s."id", 0)
  ORDER BY e."id" DESC LIMIT 1) d ON true
WHERE t."plan" IS NOT NULL;
--> statement-breakpoint
-- Measures get new ids; owner and due date stay empty where the old plan had none. On an
-- approved plan they are tasks: done ones done, the others to do.
INSERT INTO "rect_measures" ("id", "plan_id", "ticket_id", "seq", "type", "owner_id", "action", "due_date", "criterion", "status", "note", "completed_at", "updated_at")
SELECT gen_random_uuid(), p."id", t."id", (m.n - 1)::smallint, 'corrective',
  (SELECT u."id" FROM "users" u WHERE u."id"::text = m.v->>'ownerId'),
  coalesce(m.v->>'action', ''),
  CASE WHEN coalesce(m.v->>'dueDate', '') ~ '^\d{4}-\d{2}-\d{2}$' THEN m.v->>'dueDate' END,
  jsonb_build_object('kind', 'check', 'text', coalesce(nullif(m.v->>'criterion', ''), '—')),
  CASE WHEN p."status" <> 'approved' THEN NULL WHEN (m.v->>'done')::boolean THEN 'done' ELSE 'todo' END,
  m.v->>'note',
  CASE WHEN (m.v->>'done')::boolean THEN coalesce((m.v->>'doneAt')::timestamptz, t."updated_at") END,
  t."updated_at"
FROM "tickets" t
JOIN "rect_plans" p ON p."ticket_id" = t."id" AND p."version" = 1
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(t."plan"->'measures') = 'array' THEN t."plan"->'measures' ELSE '[]'::jsonb END)
  WITH ORDINALITY AS m(v, n);
--> statement-breakpoint
UPDATE "tickets" t SET
  "measure_owner_ids" = coalesce((SELECT array_agg(DISTINCT m."owner_id") FROM "rect_measures" m
    WHERE m."ticket_id" = t."id" AND m."owner_id" IS NOT NULL), '{}'::uuid[]),
  "measures_total" = (SELECT count(*) FROM "rect_measures" m JOIN "rect_plans" p ON p."id" = m."plan_id"
    WHERE m."ticket_id" = t."id" AND p."status" = 'approved' AND m."status" IN ('todo', 'doing', 'done')),
  "measures_done" = (SELECT count(*) FROM "rect_measures" m JOIN "rect_plans" p ON p."id" = m."plan_id"
    WHERE m."ticket_id" = t."id" AND p."status" = 'approved' AND m."status" = 'done')
WHERE t."plan" IS NOT NULL;
--> statement-breakpoint
-- The acceptance JSON (the last verdict) → round 1, without items (earlier releases kept none).
INSERT INTO "acceptance_rounds" ("id", "ticket_id", "plan_id", "round", "status", "started_by", "started_at", "completed_by", "completed_at", "result")
SELECT gen_random_uuid(), t."id", p."id", 1,
  CASE t."acceptance"->>'result' WHEN 'passed' THEN 'passed' ELSE 'failed' END,
  NULL, coalesce((t."acceptance"->>'at')::timestamptz, t."updated_at"),
  (SELECT u."id" FROM "users" u WHERE u."id"::text = t."acceptance"->>'verifierId'),
  coalesce((t."acceptance"->>'at')::timestamptz, t."updated_at"), t."acceptance"->>'note'
FROM "tickets" t LEFT JOIN "rect_plans" p ON p."ticket_id" = t."id" AND p."version" = 1
WHERE t."acceptance" IS NOT NULL;
