CREATE TABLE "article_revisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"article_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"content" jsonb NOT NULL,
	"by_user_id" uuid,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "category_followup_settings" (
	"category_id" uuid PRIMARY KEY NOT NULL,
	"warranty_notice" text,
	"warranty_notice_en" text,
	"link_valid_days" integer DEFAULT 7 NOT NULL,
	"auto_close_days" integer DEFAULT 7 NOT NULL,
	"effectiveness_days" integer,
	"warranty_days" integer DEFAULT 90 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "effectiveness_checks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"owner_id" uuid,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"outcome" text,
	"note" text,
	"reopened" boolean DEFAULT false NOT NULL,
	"checked_by_id" uuid,
	"checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "follow_up_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"superseded_at" timestamp with time zone,
	"sent_to" text,
	"locale" text DEFAULT 'zh-CN' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "follow_up_timers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "follow_ups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"solved" boolean NOT NULL,
	"rating" smallint,
	"customer_words" text,
	"link_id" uuid,
	"by_user_id" uuid,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "knowledge_articles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"problem" text NOT NULL,
	"cause" text DEFAULT '' NOT NULL,
	"solution" text NOT NULL,
	"models" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"category_id" uuid,
	"root_cause_class" text,
	"source_ticket_id" uuid,
	"is_public" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"search_text" text DEFAULT '' NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (strip(to_tsvector('simple'::regconfig, search_text))) STORED,
	"created_by_id" uuid,
	"updated_by_id" uuid,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"earlier_ticket_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'suggested' NOT NULL,
	"reason" text NOT NULL,
	"ticket_created_at" timestamp with time zone NOT NULL,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "article_revisions" ADD CONSTRAINT "article_revisions_article_id_knowledge_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."knowledge_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_revisions" ADD CONSTRAINT "article_revisions_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "category_followup_settings" ADD CONSTRAINT "category_followup_settings_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "effectiveness_checks" ADD CONSTRAINT "effectiveness_checks_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "effectiveness_checks" ADD CONSTRAINT "effectiveness_checks_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "effectiveness_checks" ADD CONSTRAINT "effectiveness_checks_checked_by_id_users_id_fk" FOREIGN KEY ("checked_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_links" ADD CONSTRAINT "follow_up_links_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_timers" ADD CONSTRAINT "follow_up_timers_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_articles" ADD CONSTRAINT "knowledge_articles_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_articles" ADD CONSTRAINT "knowledge_articles_source_ticket_id_tickets_id_fk" FOREIGN KEY ("source_ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_articles" ADD CONSTRAINT "knowledge_articles_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_articles" ADD CONSTRAINT "knowledge_articles_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_links" ADD CONSTRAINT "ticket_links_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_links" ADD CONSTRAINT "ticket_links_earlier_ticket_id_tickets_id_fk" FOREIGN KEY ("earlier_ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_links" ADD CONSTRAINT "ticket_links_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "article_revisions_uq" ON "article_revisions" USING btree ("article_id","revision");--> statement-breakpoint
CREATE INDEX "effectiveness_checks_owner_idx" ON "effectiveness_checks" USING btree ("owner_id","due_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "effectiveness_checks_ticket_idx" ON "effectiveness_checks" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_up_links_token_uq" ON "follow_up_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "follow_up_links_ticket_idx" ON "follow_up_links" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_up_timers_ref_uq" ON "follow_up_timers" USING btree ("ticket_id","kind");--> statement-breakpoint
CREATE INDEX "follow_up_timers_due_idx" ON "follow_up_timers" USING btree ("due_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "follow_ups_ticket_idx" ON "follow_ups" USING btree ("ticket_id","at");--> statement-breakpoint
CREATE INDEX "knowledge_articles_updated_idx" ON "knowledge_articles" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "knowledge_articles_public_idx" ON "knowledge_articles" USING btree ("updated_at","id") WHERE is_public and status = 'published';--> statement-breakpoint
CREATE INDEX "knowledge_articles_search_gin" ON "knowledge_articles" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "knowledge_articles_source_idx" ON "knowledge_articles" USING btree ("source_ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_links_pair_uq" ON "ticket_links" USING btree ("ticket_id","earlier_ticket_id","kind");--> statement-breakpoint
CREATE INDEX "ticket_links_earlier_idx" ON "ticket_links" USING btree ("earlier_ticket_id");--> statement-breakpoint
CREATE INDEX "ticket_links_status_created_idx" ON "ticket_links" USING btree ("status","ticket_created_at");--> statement-breakpoint
-- hand-written (keep when regenerating)
-- Recurrence: earlier tickets of the same product model, newest first (followup/find-repeat-candidates.ts).
CREATE INDEX IF NOT EXISTS "tickets_product_model_created_idx" ON "tickets" USING btree (("product"->>'model'), "created_at");--> statement-breakpoint
-- Reopen rate over a period: the few reopened tickets by creation time (followup/repeat-rates.ts).
CREATE INDEX IF NOT EXISTS "tickets_reopened_created_idx" ON "tickets" USING btree ("created_at") WHERE "reopen_count" > 0;
