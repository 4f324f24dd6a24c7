CREATE TABLE "calendars" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"definition" jsonb NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "calendars_code_uq" ON "calendars" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "calendars_one_default_uq" ON "calendars" USING btree ("is_default") WHERE "calendars"."is_default";