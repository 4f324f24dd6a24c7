CREATE TABLE "flow_actions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"instance_id" uuid NOT NULL,
	"task_id" uuid,
	"node_id" text,
	"kind" text NOT NULL,
	"actor_id" uuid,
	"target_user_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"target_node_id" text,
	"opinion" text,
	"attachment_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flow_definition_categories" (
	"category_id" uuid NOT NULL,
	"gate" text NOT NULL,
	"definition_id" uuid NOT NULL,
	CONSTRAINT "flow_definition_categories_category_id_gate_pk" PRIMARY KEY("category_id","gate")
);
--> statement-breakpoint
CREATE TABLE "flow_definitions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"gate" text NOT NULL,
	"admin_user_id" uuid NOT NULL,
	"draft" jsonb NOT NULL,
	"active_version_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flow_instances" (
	"id" uuid PRIMARY KEY NOT NULL,
	"definition_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"gate" text NOT NULL,
	"ticket_id" uuid NOT NULL,
	"subject_ref" text NOT NULL,
	"initiator_id" uuid NOT NULL,
	"status" text NOT NULL,
	"state" jsonb NOT NULL,
	"fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "flow_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"instance_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"node_name" text NOT NULL,
	"kind" text NOT NULL,
	"assignee_id" uuid NOT NULL,
	"status" text NOT NULL,
	"auto" boolean DEFAULT false NOT NULL,
	"started_at" timestamp with time zone,
	"acted_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flow_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"definition_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"status" text NOT NULL,
	"tree" jsonb NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" uuid
);
--> statement-breakpoint
ALTER TABLE "flow_actions" ADD CONSTRAINT "flow_actions_instance_id_flow_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."flow_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_definition_categories" ADD CONSTRAINT "flow_definition_categories_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_definition_categories" ADD CONSTRAINT "flow_definition_categories_definition_id_flow_definitions_id_fk" FOREIGN KEY ("definition_id") REFERENCES "public"."flow_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_definitions" ADD CONSTRAINT "flow_definitions_admin_user_id_users_id_fk" FOREIGN KEY ("admin_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_instances" ADD CONSTRAINT "flow_instances_definition_id_flow_definitions_id_fk" FOREIGN KEY ("definition_id") REFERENCES "public"."flow_definitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_instances" ADD CONSTRAINT "flow_instances_version_id_flow_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."flow_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_instances" ADD CONSTRAINT "flow_instances_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_tasks" ADD CONSTRAINT "flow_tasks_instance_id_flow_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."flow_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_versions" ADD CONSTRAINT "flow_versions_definition_id_flow_definitions_id_fk" FOREIGN KEY ("definition_id") REFERENCES "public"."flow_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flow_actions_instance_idx" ON "flow_actions" USING btree ("instance_id","id");--> statement-breakpoint
CREATE INDEX "flow_definition_categories_def_idx" ON "flow_definition_categories" USING btree ("definition_id");--> statement-breakpoint
CREATE INDEX "flow_instances_ticket_idx" ON "flow_instances" USING btree ("ticket_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "flow_instances_running_uq" ON "flow_instances" USING btree ("ticket_id","gate","subject_ref") WHERE status = 'running';--> statement-breakpoint
CREATE INDEX "flow_tasks_todo_idx" ON "flow_tasks" USING btree ("assignee_id","started_at","id") WHERE status = 'running' and kind <> 'cc';--> statement-breakpoint
CREATE INDEX "flow_tasks_done_idx" ON "flow_tasks" USING btree ("assignee_id","acted_at","id") WHERE acted_at is not null and not auto and kind <> 'cc';--> statement-breakpoint
CREATE INDEX "flow_tasks_cc_idx" ON "flow_tasks" USING btree ("assignee_id","created_at","id") WHERE kind = 'cc';--> statement-breakpoint
CREATE INDEX "flow_tasks_due_idx" ON "flow_tasks" USING btree ("due_at") WHERE status = 'running' and due_at is not null;--> statement-breakpoint
CREATE INDEX "flow_tasks_instance_idx" ON "flow_tasks" USING btree ("instance_id");--> statement-breakpoint
CREATE UNIQUE INDEX "flow_versions_number_uq" ON "flow_versions" USING btree ("definition_id","number");