CREATE TABLE "sla_clocks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"policy_id" uuid,
	"policy_version" integer,
	"source" text DEFAULT 'policy' NOT NULL,
	"calendar_id" uuid,
	"target_minutes" integer NOT NULL,
	"warn_percent" smallint NOT NULL,
	"level2_after_percent" smallint NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"warn_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"paused_at" timestamp with time zone,
	"paused_minutes" integer DEFAULT 0 NOT NULL,
	"met_at" timestamp with time zone,
	"warned_at" timestamp with time zone,
	"breached_at" timestamp with time zone,
	"escalation_level" smallint DEFAULT 0 NOT NULL,
	"cycle" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_firings" (
	"clock_id" uuid NOT NULL,
	"cycle" integer NOT NULL,
	"kind" text NOT NULL,
	"ticket_id" uuid NOT NULL,
	"fired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fired_by" text,
	CONSTRAINT "sla_firings_clock_id_cycle_kind_pk" PRIMARY KEY("clock_id","cycle","kind")
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 100 NOT NULL,
	"priorities" text[] DEFAULT '{}' NOT NULL,
	"tiers" text[] DEFAULT '{}' NOT NULL,
	"category_ids" uuid[] DEFAULT '{}' NOT NULL,
	"calendar_id" uuid,
	"first_response_minutes" integer,
	"update_minutes" integer,
	"resolution_minutes" integer,
	"warn_percent" smallint DEFAULT 80 NOT NULL,
	"level2_after_percent" smallint DEFAULT 50 NOT NULL,
	"customer_updates" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_tier_targets" (
	"tier" text PRIMARY KEY NOT NULL,
	"first_response_minutes" integer NOT NULL,
	"calendar_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "timers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"ticket_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_policy_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_state" text;--> statement-breakpoint
ALTER TABLE "sla_clocks" ADD CONSTRAINT "sla_clocks_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_firings" ADD CONSTRAINT "sla_firings_clock_id_sla_clocks_id_fk" FOREIGN KEY ("clock_id") REFERENCES "public"."sla_clocks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sla_clocks_ticket_metric_uq" ON "sla_clocks" USING btree ("ticket_id","metric");--> statement-breakpoint
CREATE INDEX "sla_firings_ticket_idx" ON "sla_firings" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "sla_policies_position_idx" ON "sla_policies" USING btree ("position");--> statement-breakpoint
CREATE UNIQUE INDEX "timers_ref_uq" ON "timers" USING btree ("ticket_id","kind","reference");--> statement-breakpoint
CREATE INDEX "timers_due_idx" ON "timers" USING btree ("due_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "timers_lease_idx" ON "timers" USING btree ("locked_until") WHERE status = 'running';--> statement-breakpoint
CREATE INDEX "tickets_open_sla_due_idx" ON "tickets" USING btree ("sla_due_at","status","department_id","owner_id","priority","channel","category_id") WHERE status not in ('closed', 'cancelled') and sla_due_at is not null;--> statement-breakpoint
CREATE INDEX "tickets_sla_due_idx" ON "tickets" USING btree (coalesce("sla_due_at", '9999-12-31 00:00:00+00'::timestamptz),"id");--> statement-breakpoint
-- hand-written (keep when regenerating)
-- Timers and clocks are updated in place many times (armed, claimed, fired; paused, resumed):
-- room in each page keeps those updates HOT (no index writes for the unchanged key columns).
ALTER TABLE "timers" SET (fillfactor = 80);--> statement-breakpoint
ALTER TABLE "sla_clocks" SET (fillfactor = 80);
